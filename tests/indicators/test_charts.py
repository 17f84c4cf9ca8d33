"""The line chart's geometry (cms.charts.lines): scales, nice ticks, gaps, one point, negative values."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from cms.charts.lines import (
    LineSeries,
    Scale,
    _runs,
    _spread_labels,
    line_chart,
    nice_step,
    nice_ticks,
    year_ticks,
)


@pytest.mark.parametrize(
    ("span", "step"),
    [(10, 2), (7, 2), (1, 0.2), (100, 20), (0.03, 0.01), (0.02, 0.005), (12.5, 2.5), (45, 10)],
)
def test_nice_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_nice_ticks_cover_the_values_on_round_numbers():
    assert nice_ticks(3.2, 17.9) == [0, 5, 10, 15, 20]
    assert nice_ticks(3.2, 11.9) == [2, 4, 6, 8, 10, 12]
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]


def test_nice_ticks_handle_negative_values_and_cross_zero():
    ticks = nice_ticks(-7.5, 12)
    assert ticks[0] <= -7.5 and ticks[-1] >= 12
    assert 0 in ticks
    assert all(b - a == pytest.approx(ticks[1] - ticks[0]) for a, b in zip(ticks, ticks[1:], strict=False))


def test_a_single_value_is_widened_around_itself():
    ticks = nice_ticks(50, 50)
    assert ticks[0] < 50 < ticks[-1]
    assert nice_ticks(0, 0)[0] < 0 < nice_ticks(0, 0)[-1]


def test_year_ticks_every_year_when_few_and_round_steps_when_many():
    assert year_ticks(2015, 2020) == [2015, 2016, 2017, 2018, 2019, 2020]
    assert year_ticks(2000, 2023) == [2000, 2005, 2010, 2015, 2020]
    assert year_ticks(2021, 2021) == [2021]


def test_a_scale_maps_the_domain_onto_the_range_and_may_be_reversed():
    y = Scale(0, 100, 300, 20)  # SVG's y grows downwards
    assert y(0) == 300
    assert y(100) == 20
    assert y(50) == 160
    assert Scale(5, 5, 0, 100)(5) == 50  # a flat domain puts the value in the middle


def test_missing_years_and_empty_values_break_a_series_into_runs():
    points = [(2015, 1.0), (2016, 2.0), (2017, None), (2018, 3.0), (2020, 4.0), (2021, 5.0)]
    assert _runs(points) == [[(2015, 1.0), (2016, 2.0)], [(2018, 3.0)], [(2020, 4.0), (2021, 5.0)]]


def test_end_labels_that_would_overlap_are_moved_apart_in_order():
    placed = _spread_labels([100, 102, 300], 16, 284)
    assert placed[1] - placed[0] >= 14
    assert placed[2] <= 284  # pushed back inside the plot
    assert placed[0] < placed[1] < placed[2]


def test_a_chart_draws_a_path_per_run_and_a_marker_per_value():
    chart = line_chart(
        [
            LineSeries("Ålesund", [(2015, Decimal("10")), (2016, Decimal("12")), (2018, Decimal("15"))]),
            LineSeries("Norge", [(2015, 9), (2016, 10), (2017, 11), (2018, 12)], reference=True),
        ],
        title="Renewable energy",
        unit="%",
    )
    own, reference = chart.lines
    assert len(own.paths) == 1 and len(own.markers) == 3  # 2018 stands alone: a marker, no path
    assert len(reference.paths) == 1 and len(reference.markers) == 4
    assert (own.style, own.marker) == ("own", "circle")
    assert (reference.style, reference.marker) == ("ref-1", "square")
    # The first year sits on the left edge, the last on the right; the larger value is higher up.
    assert own.markers[0].x == chart.left
    assert own.markers[-1].x == chart.right
    assert own.markers[-1].y < own.markers[0].y
    assert chart.zero_y is None
    assert [tick.label for tick in chart.x_ticks] == ["2015", "2016", "2017", "2018"]


def test_negative_values_get_a_zero_line_between_them():
    chart = line_chart([LineSeries("Net", [(2020, -5), (2021, 3)])], title="Net")
    assert chart.zero_y is not None
    assert chart.top < chart.zero_y < chart.bottom
    marker_low, marker_high = chart.lines[0].markers
    assert marker_low.y > chart.zero_y > marker_high.y


def test_one_point_is_drawn_in_the_middle_with_a_marker():
    chart = line_chart([LineSeries("Ålesund", [(2022, 7)])], title="One")
    (marker,) = chart.lines[0].markers
    assert marker.x == (chart.left + chart.right) / 2
    assert chart.top < marker.y < chart.bottom


def test_the_description_says_first_and_last_values_in_the_active_language():
    series = [
        LineSeries("Ålesund", [(2015, Decimal("10.5")), (2016, None), (2020, Decimal("12.25"))]),
        LineSeries("Norge", [], reference=True),
    ]
    with translation.override("en"):
        chart = line_chart(series, title="T", unit="%")
    assert chart.description == "Ålesund: from 10.5 % in 2015 to 12.25 % in 2020. Norge: no values."
    with translation.override("nb"):
        assert "10,5 %" in line_chart(series, title="T", unit="%").description


def test_no_values_make_an_empty_chart():
    chart = line_chart([LineSeries("Ålesund", [(2020, None)])], title="T")
    assert chart.empty and chart.lines == []


def test_the_template_writes_an_accessible_svg_without_inline_styles():
    chart = line_chart(
        [LineSeries("Ålesund", [(2015, Decimal("1.5")), (2016, 2)]), LineSeries("Norge", [(2015, 1)], reference=True)],
        title="Waste per person",
    )
    with translation.override("nb"):
        html = render_to_string("components/charts/line_chart.html", {"chart": chart, "chart_id": "c1"})
    assert 'role="img"' in html
    assert 'aria-labelledby="c1-title c1-desc"' in html
    assert '<title id="c1-title">Waste per person</title>' in html
    assert '<desc id="c1-desc">' in html
    assert "style=" not in html and "<script" not in html and "<style" not in html
    # Coordinates stay machine-readable in Norwegian (no decimal commas in attributes).
    assert 'd="M56.0 150.0 L490.0 16.0"' in html
    assert "line-chart__series--ref-1" in html and "line-chart__series--own" in html
