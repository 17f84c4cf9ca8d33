"""Every chart component has axes with tick labels, says what it counts, names itself in a visible
caption that points to the table of its figures, and an outcome's chart draws its target as a
labelled line. Geometry stays unlocalised while the labels follow the language."""

import datetime
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from cms.charts import bars
from cms.charts.lines import LineSeries, date_ticks, dated_line_chart, line_chart

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _attributes(html: str, name: str) -> list[str]:
    return re.findall(rf'\s{name}="([^"]*)"', html)


def test_a_bar_chart_has_ticks_a_value_axis_and_its_label_under_the_axis():
    chart = bars.bar_chart("c", "Partners by kind", "D", [bars.Bar("a", 7), bars.Bar("b", 3)], axis_label="Partners")
    html = render_to_string("components/charts/bar_chart.html", {"chart": chart, "table_id": "partners-table"})
    assert chart.maximum == 10 and len(chart.ticks) == 5
    assert html.count('class="chart__tick"') == len(chart.ticks)
    assert 'class="chart__axis"' in html
    assert '<text class="chart__axis-label"' in html and ">Partners</text>" in html
    # The axis label sits below the tick labels, inside the drawing.
    assert chart.axis_label_y > chart.axis_end + 18 - 1
    assert chart.axis_label_y <= chart.height


def test_a_chart_without_an_axis_label_keeps_its_height_and_writes_none():
    plain = bars.bar_chart("c", "T", "D", [bars.Bar("a", 1)])
    labelled = bars.bar_chart("c", "T", "D", [bars.Bar("a", 1)], axis_label="Count")
    assert labelled.height == plain.height + bars.AXIS_LABEL_HEIGHT
    assert "chart__axis-label" not in render_to_string("components/charts/bar_chart.html", {"chart": plain})


def test_every_chart_names_itself_in_a_caption_that_links_its_table():
    stacked = bars.stacked_bar_chart(
        "s",
        "Projects per goal",
        "D",
        [bars.StackedBar("Goal 1", [bars.Segment("a", "A", 3)])],
        [{"key": "a", "label": "A", "css_class": ""}],
        axis_label="Projects",
    )
    columns = bars.column_chart("k", "Comments per month", "D", [bars.Column("01.26", 4)], axis_label="Comments")
    cases = [
        ("components/charts/bar_chart.html", {"chart": bars.bar_chart("b", "Outcomes", "D", [bars.Bar("x", 1)])}),
        ("components/charts/stacked_bar_chart.html", {"chart": stacked}),
        ("components/charts/column_chart.html", {"chart": columns}),
    ]
    for template, context in cases:
        html = render_to_string(template, {**context, "table_id": "the-table"})
        chart_id = context["chart"].chart_id
        assert f'<figcaption class="chart__caption" id="{chart_id}-caption">' in html, template
        assert f'aria-labelledby="{chart_id}-caption"' in html, template
        assert f"{context['chart'].title}</span>" in html, template
        assert 'href="#the-table"' in html and 'class="ds-link chart__table-link"' in html, template
        # Without a table on the page there is no link to one.
        assert "chart__table-link" not in render_to_string(template, context), template


def test_a_column_chart_has_value_ticks_gridlines_and_says_what_it_counts():
    columns = [
        bars.Column(f"{month:02}.26", value) for month, value in zip(range(1, 7), [0, 2, 9, 4, 1, 3], strict=True)
    ]
    with translation.override("nb"):
        chart = bars.column_chart("k", "T", "D", columns, axis_label="Antall kommentarer")
        html = render_to_string("components/charts/column_chart.html", {"chart": chart})
    assert chart.maximum == 10
    assert [tick["label"] for tick in chart.ticks] == ["0", "2", "4", "6", "8", "10"]  # counts: whole numbers
    baseline = chart.legend[0]["baseline"]
    assert chart.ticks[0]["y"] == baseline and chart.ticks[-1]["y"] == bars.COLUMN_TOP
    assert html.count('class="chart__tick chart__tick--y"') == 6
    assert [tick["label"] for tick in bars.column_chart("k", "T", "D", [bars.Column("a", 2)]).ticks] == ["0", "1", "2"]
    with translation.override("nb"):
        assert bars.column_chart("k", "T", "D", [bars.Column("a", 2.5)]).ticks[-1]["label"] == "2,5"  # Norwegian …
    for value in _attributes(html, "y1") + _attributes(html, "y") + _attributes(html, "x"):
        assert NUMBER.match(value), value  # … but geometry with a decimal point
    assert ">Antall kommentarer</text>" in html


def test_date_ticks_are_round_months_over_a_short_span_and_years_over_a_long_one():
    short = date_ticks(datetime.date(2025, 6, 1), datetime.date(2026, 5, 20))
    assert all(tick.day == 1 for tick in short) and 3 <= len(short) <= 9
    steps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(short, short[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    assert step in (1, 2, 3, 6)
    assert all((tick.month - 1) % step == 0 for tick in short)  # round months: Jan, Mar, May … for 2
    assert datetime.date(2025, 6, 1) <= short[0] and short[-1] <= datetime.date(2026, 5, 20)
    long = date_ticks(datetime.date(2020, 3, 5), datetime.date(2030, 1, 1))
    assert all(tick.month == 1 and tick.day == 1 for tick in long)
    assert long[0].year >= 2021 and long[-1] == datetime.date(2030, 1, 1)


def _outcome_chart(language="nb"):
    with translation.override(language):
        return dated_line_chart(
            [
                (datetime.date(2025, 6, 1), Decimal("40")),
                (datetime.date(2026, 5, 1), Decimal("80")),
                (datetime.date(2026, 11, 1), Decimal("230.5")),
            ],
            title="Avskjær som brukes",
            description="Fra 40 til 230,5 tonn.",
            unit="tonn",
            target=(datetime.date(2028, 6, 1), Decimal("400")),
        )


def test_an_outcome_chart_runs_to_the_target_date_and_draws_the_target_as_a_labelled_line():
    chart = _outcome_chart()
    assert chart.target is not None
    # The target is the top of the values: its line is the highest, at or below the top tick.
    assert chart.target.y == min(tick.position for tick in chart.y_ticks if tick.label == "400")
    assert "400 tonn" in chart.target.label and "01.06.2028" in chart.target.label
    # The x axis ends at the target date: the last measurement is well left of the plot's right edge.
    last_marker = max(chart.lines[0].markers, key=lambda marker: marker.x)
    assert chart.left < last_marker.x < chart.right
    assert [marker.value for marker in chart.lines[0].markers] == ["40", "80", "230,5"]
    assert all(tick.label for tick in chart.x_ticks) and len(chart.x_ticks) >= 3


def test_the_outcome_chart_template_writes_axes_ticks_unit_target_and_text_alternative():
    chart = _outcome_chart()
    with translation.override("nb"):
        html = render_to_string(
            "components/charts/line_chart.html", {"chart": chart, "chart_id": "o1", "table_id": "o1-table"}
        )
    assert 'role="img"' in html and 'aria-labelledby="o1-title o1-desc"' in html
    assert '<desc id="o1-desc">Fra 40 til 230,5 tonn.</desc>' in html
    assert html.count('class="line-chart__tick line-chart__tick--y"') == len(chart.y_ticks)
    assert html.count('class="line-chart__tick line-chart__tick--x"') == len(chart.x_ticks)
    assert '<text class="line-chart__unit"' in html and ">tonn</text>" in html
    assert 'class="line-chart__target-line"' in html
    assert re.search(r'class="line-chart__target-label"[^>]*>[^<]*400 tonn', html)
    assert 'href="#o1-table"' in html and 'id="o1-caption"' in html
    assert "style=" not in html
    for value in _attributes(html, "y1") + _attributes(html, "x1") + _attributes(html, "d"):
        assert "," not in value, value  # no decimal comma in the geometry


def test_a_yearly_chart_has_no_target_line_and_its_end_labels_stay():
    chart = line_chart([LineSeries("Fjordvik", [(2020, 1), (2021, 2)])], title="T", unit="%")
    html = render_to_string("components/charts/line_chart.html", {"chart": chart, "chart_id": "y"})
    assert chart.target is None and "line-chart__target" not in html
    assert ">Fjordvik</text>" in html
