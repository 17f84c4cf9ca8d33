"""The geometry of the server-drawn bar charts (cms.charts.bars) and their templates' accessibility markup."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from cms.charts import bars


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (0.7, 1), (1, 1), (3, 5), (7, 10), (12, 20), (23, 25), (26, 50), (4999, 5000)]
)
def test_nice_maximum_rounds_up_to_1_2_2_5_5(value, expected):
    assert bars.nice_maximum(value) == expected


def test_scale_is_linear_and_clamped():
    assert bars.scale(5, 10, 200) == 100
    assert bars.scale(-3, 10, 200) == 0
    assert bars.scale(30, 10, 200) == 200
    assert bars.scale(5, 0, 200) == 0


def test_bar_chart_rows_widths_and_value_positions():
    chart = bars.bar_chart("c", "T", "D", [bars.Bar("a", 10), bars.Bar("b", 5), bars.Bar("c", 0)], width=720)
    plot = 720 - bars.LABEL_WIDTH - bars.VALUE_WIDTH
    assert chart.maximum == 10
    assert [bar.width for bar in chart.rows] == [plot, plot / 2, 0]
    assert [bar.y for bar in chart.rows] == [bars.TOP, bars.TOP + bars.ROW_HEIGHT, bars.TOP + 2 * bars.ROW_HEIGHT]
    assert chart.rows[0].text_x == bars.LABEL_WIDTH + plot + 4
    assert chart.height == bars.TOP + 3 * bars.ROW_HEIGHT + 24
    with translation.override("nb"):
        assert bars._number(2.5) == "2,5"
    with translation.override("en"):
        assert [tick["label"] for tick in bars.bar_chart("c", "T", "D", [bars.Bar("a", 10)]).ticks] == [
            "0",
            "2.5",
            "5",
            "7.5",
            "10",
        ]


def test_stacked_segments_follow_each_other_and_label_only_wide_ones():
    row = bars.StackedBar("Goal 7", [bars.Segment("a", "A", 1), bars.Segment("b", "B", 0), bars.Segment("c", "C", 29)])
    chart = bars.stacked_bar_chart("s", "T", "D", [row], legend=[])
    first, empty, last = row.segments
    assert row.total == 30
    assert first.x == bars.LABEL_WIDTH
    assert empty.x == last.x == round(first.x + first.width, 2)
    assert round(last.x + last.width, 2) == round(chart.label_width + chart.plot_width * 30 / 50, 2)
    assert not first.label_inside and not empty.label_inside and last.label_inside
    assert row.text_x == round(last.x + last.width + 4, 2)


def test_column_chart_columns_stand_on_the_baseline():
    chart = bars.column_chart("k", "T", "D", [bars.Column("01", 4), bars.Column("02", 2)])
    baseline = chart.legend[0]["baseline"]
    for column in chart.rows:
        assert round(column.y + column.height, 2) == baseline
    assert chart.rows[0].height == 2 * chart.rows[1].height
    assert chart.rows[1].x > chart.rows[0].x


def test_heat_levels_ignore_the_diagonal():
    table = bars.heat_table("cap", [{"short": "1"}, {"short": "2"}], [[100, 4], [4, 50]])
    assert table.maximum == 4
    assert table.cells[0][1]["level"] == bars.HEAT_LEVELS
    assert table.cells[0][0]["level"] == 0 and table.cells[0][0]["diagonal"]
    assert bars.heat_level(1, 5) == 1
    assert bars.heat_level(0, 5) == 0
    assert bars.heat_level(3, 5) == 3


def test_templates_give_svg_a_title_and_description_and_no_style():
    chart = bars.bar_chart("my-chart", "Partners & kinds", "Described", [bars.Bar("<b>", 3, css_class="x")])
    html = render_to_string("components/charts/bar_chart.html", {"chart": chart})
    assert 'role="img" aria-labelledby="my-chart-title my-chart-desc"' in html
    assert '<title id="my-chart-title">Partners &amp; kinds</title>' in html
    assert '<desc id="my-chart-desc">Described</desc>' in html
    assert "&lt;b&gt;" in html and "style" not in html
    assert ">3</text>" in html  # the value is written, not only drawn


def test_svg_lengths_keep_a_decimal_point_in_norwegian():
    """Norwegian formats write 2,5; an SVG length with a comma is an error in the browser."""
    columns = [bars.Column("01", 3), bars.Column("02", 7)]
    with translation.override("nb"):
        html = render_to_string(
            "components/charts/column_chart.html", {"chart": bars.column_chart("k", "T", "D", columns, width=701)}
        )
    assert re.findall(r'(?:x|y|width|height)="[0-9]+,[0-9]', html) == []
    assert re.search(r'x="[0-9]+\.[0-9]+"', html)
