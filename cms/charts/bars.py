"""Bar charts and a heat table, drawn on the server as inline SVG (and an HTML table) for the dashboard.

Why not a charting library. Pygal, the maintained pure-Python SVG charting library, writes a
``<style>`` element and inline ``style`` attributes into every chart and adds a ``<script>`` for its
tooltips; our Content-Security-Policy (``style-src 'self'; script-src 'self'``) refuses all three in
an inline SVG, and switching them off leaves a chart without its colours. Matplotlib (and Plotly,
Bokeh, Altair) paint with inline styles or need JavaScript in the browser, and none of them lets us
put the goal colours in CSS classes (``static/css/charts-bars.css``) or add the ``role``/``aria``
markup, direct value labels and goal numbers that make a chart readable without colour. What is
left to do by hand is small: the geometry (a linear scale, rounded "nice" axis maxima, label
positions), here as plain functions with unit tests (``tests/cms/test_charts_bars.py``); the SVG is
written by the templates in ``templates/components/charts/``.

Rules every chart follows: ``<svg role="img" aria-labelledby>`` with ``<title>`` and ``<desc>``;
classes only, no ``style`` attribute; every bar carries its value as text (colour is never the only
carrier: rows are labelled and ordered, segments of a stacked bar are in a fixed order with a
legend, and the same figures are in a table and a CSV download beside the chart); it works
without JavaScript.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format

WIDTH = 720
LABEL_WIDTH = 220
VALUE_WIDTH = 56
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 8
# A value label goes inside a segment only when the segment is at least this wide (px).
INSIDE_LABEL_MIN = 28
HEAT_LEVELS = 5


def nice_maximum(value: float) -> float:
    """The smallest "round" number (1, 2, 2.5, 5 × 10^n) at least ``value``: the end of the axis."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    base = 10**exponent
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * base + 1e-9:
            return step * base
    return 10 * base  # pragma: no cover - the loop always returns


def scale(value: float, maximum: float, length: float) -> float:
    """``value`` on an axis from 0 to ``maximum`` drawn ``length`` pixels long (never negative)."""
    if maximum <= 0:
        return 0.0
    return round(max(0.0, min(value, maximum)) / maximum * length, 2)


@dataclass
class Bar:
    label: str
    value: float
    css_class: str = ""
    href: str = ""
    # Filled in by the layout.
    y: float = 0
    width: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class Segment:
    key: str
    label: str
    value: float
    css_class: str = ""
    x: float = 0
    width: float = 0
    label_inside: bool = False
    text_x: float = 0


@dataclass
class StackedBar:
    label: str
    segments: list[Segment]
    css_class: str = ""
    y: float = 0
    total: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    """What a chart template needs: ids, texts, size, and the laid-out rows."""

    chart_id: str
    title: str
    description: str
    rows: list
    width: int = WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    plot_width: int = 0
    maximum: float = 0
    ticks: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    bar_height: int = BAR_HEIGHT
    # What the value axis counts ("Number of projects"), written under (bars) or above (columns) it.
    axis_label: str = ""
    axis_label_x: float = 0
    axis_label_y: float = 0
    # Where the plot's value axis starts and ends (the baseline the bars grow from).
    axis_start: float = 0
    axis_end: float = 0


def _ticks(maximum: float, plot_width: float, count: int = 4) -> list[dict]:
    ticks = []
    for n in range(count + 1):
        value = maximum * n / count
        ticks.append({"x": round(LABEL_WIDTH + plot_width * n / count, 2), "label": _number(value)})
    return ticks


def _number(value: float) -> str:
    """An axis label in the active language's format (2,5 in Norwegian); geometry is never localised
    (the templates switch localisation off: SVG lengths need a decimal point)."""
    return number_format(int(value)) if float(value).is_integer() else number_format(value, decimal_pos=1)


AXIS_LABEL_HEIGHT = 18


def _horizontal_chart(
    chart_id, title, description, rows, totals, draw, *, width: int, legend=None, axis_label: str = ""
) -> Chart:
    """The frame both horizontal bar charts share: one row per bar, scaled to a round maximum of
    ``totals``; ``draw(row, maximum, plot_width)`` lays out a row's bar and returns where it ends,
    and the row's value is written just after it."""
    plot_width = width - LABEL_WIDTH - VALUE_WIDTH
    maximum = nice_maximum(max(totals, default=0))
    for number, row in enumerate(rows):
        row.y = TOP + number * ROW_HEIGHT
        end = draw(row, maximum, plot_width)
        row.text_x = round(end + 4, 2)
        row.text_y = round(row.y + BAR_HEIGHT * 0.75, 2)
    plot_bottom = TOP + len(rows) * ROW_HEIGHT
    height = plot_bottom + 24 + (AXIS_LABEL_HEIGHT if axis_label else 0)
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        rows=rows,
        width=width,
        height=height,
        plot_width=plot_width,
        maximum=maximum,
        ticks=_ticks(maximum, plot_width),
        legend=legend if legend is not None else [],
        axis_label=axis_label,
        axis_label_x=round(LABEL_WIDTH + plot_width / 2, 2),
        axis_label_y=height - 4,
        axis_start=TOP - 4,
        axis_end=plot_bottom,
    )


def bar_chart(
    chart_id: str, title: str, description: str, bars: list[Bar], *, width: int = WIDTH, axis_label: str = ""
) -> Chart:
    """A horizontal bar chart: one labelled row per bar, its value written at the end of the bar;
    ``axis_label`` says what the values count (written under the value axis)."""

    def draw(bar: Bar, maximum: float, plot_width: float) -> float:
        bar.width = scale(bar.value, maximum, plot_width)
        return LABEL_WIDTH + bar.width

    values = [bar.value for bar in bars]
    return _horizontal_chart(chart_id, title, description, bars, values, draw, width=width, axis_label=axis_label)


def stacked_bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: list[StackedBar],
    legend: list[dict],
    *,
    width: int = WIDTH,
    axis_label: str = "",
) -> Chart:
    """A horizontal stacked bar chart: segments in the legend's order, each labelled with its value
    when wide enough, and the row's total written after the bar. ``legend`` is a list of
    ``{"key", "label", "css_class"}`` in drawing order."""
    for bar in bars:
        bar.total = sum(segment.value for segment in bar.segments)

    def draw(bar: StackedBar, maximum: float, plot_width: float) -> float:
        x = float(LABEL_WIDTH)
        for segment in bar.segments:
            segment.x = round(x, 2)
            segment.width = scale(segment.value, maximum, plot_width)
            segment.label_inside = segment.value > 0 and segment.width >= INSIDE_LABEL_MIN
            segment.text_x = round(x + segment.width / 2, 2)
            x += segment.width
        return x

    totals = [bar.total for bar in bars]
    return _horizontal_chart(
        chart_id, title, description, bars, totals, draw, width=width, legend=legend, axis_label=axis_label
    )


@dataclass
class Column:
    label: str
    value: float
    x: float = 0
    y: float = 0
    height: float = 0
    text_y: float = 0


COLUMN_PLOT_HEIGHT = 120
COLUMN_BOTTOM = 40
COLUMN_LEFT = 40
COLUMN_TOP = 32  # room for the axis label and the tallest column's value


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    columns: list[Column],
    *,
    width: int = WIDTH,
    css_class: str = "",
    axis_label: str = "",
) -> Chart:
    """A vertical column chart (a count per month): every column has its value written above it, the
    value axis has ticks and gridlines, and ``axis_label`` (what is counted) stands above that axis."""
    plot_width = width - COLUMN_LEFT - 8
    step = plot_width / max(len(columns), 1)
    maximum = nice_maximum(max((column.value for column in columns), default=0))
    top = COLUMN_TOP
    for number, column in enumerate(columns):
        column.height = scale(column.value, maximum, COLUMN_PLOT_HEIGHT)
        column.x = round(COLUMN_LEFT + number * step + step * 0.15, 2)
        column.y = round(top + COLUMN_PLOT_HEIGHT - column.height, 2)
        column.text_y = round(column.y - 3, 2)
    chart = Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        rows=columns,
        width=width,
        height=top + COLUMN_PLOT_HEIGHT + COLUMN_BOTTOM,
        plot_width=plot_width,
        maximum=maximum,
        axis_label=axis_label,
        axis_label_x=0,
        axis_label_y=12,
        axis_start=COLUMN_LEFT,
        axis_end=width,
    )
    # Value ticks on the left (y where the gridline runs, the number in the active language), on whole
    # numbers: the columns are counts.
    steps = next((count for count in (5, 4, 2) if float(maximum / count).is_integer()), 1)
    chart.ticks = [
        {
            "y": round(top + COLUMN_PLOT_HEIGHT - COLUMN_PLOT_HEIGHT * n / steps, 2),
            "label": _number(maximum * n / steps),
        }
        for n in range(steps + 1)
    ]
    chart.bar_height = round(step * 0.7, 2)  # the columns' width
    chart.legend = [{"css_class": css_class, "baseline": top + COLUMN_PLOT_HEIGHT, "step": round(step, 2)}]
    return chart


def heat_level(value: float, maximum: float, levels: int = HEAT_LEVELS) -> int:
    """The shade of a heat-table cell: 0 for nothing, else 1..``levels`` in proportion to ``maximum``."""
    if value <= 0 or maximum <= 0:
        return 0
    return max(1, min(levels, math.ceil(value / maximum * levels)))


@dataclass
class HeatTable:
    """A square matrix as a table: ``cells[i][j]`` is ``{"value", "level"}``; the diagonal is marked."""

    caption: str
    labels: list[dict]
    cells: list[list[dict]]
    maximum: float

    @property
    def rows(self) -> list[dict]:
        return [{"label": label, "cells": cells} for label, cells in zip(self.labels, self.cells, strict=True)]


def heat_table(
    caption: str, labels: list[dict], matrix: list[list[float]], *, include_diagonal: bool = False
) -> HeatTable:
    """Shade the cells of ``matrix`` relative to its largest value off the diagonal (the diagonal, a
    goal with itself, is the number of projects with the goal and would flatten every other shade)."""
    size = len(labels)
    maximum = max(
        (matrix[i][j] for i in range(size) for j in range(size) if include_diagonal or i != j),
        default=0,
    )
    cells = [
        [
            {
                "value": matrix[i][j],
                "level": heat_level(matrix[i][j], maximum) if (include_diagonal or i != j) else 0,
                "diagonal": i == j,
            }
            for j in range(size)
        ]
        for i in range(size)
    ]
    return HeatTable(caption=caption, labels=labels, cells=cells, maximum=maximum)
