"""A line chart of yearly values (years on x, values on y, one line per series), as inline SVG.

``line_chart()`` computes the geometry; ``templates/components/charts/line_chart.html`` draws it:
``<svg role="img" aria-labelledby=…>`` with a ``<title>`` and a ``<desc>`` that says each series'
first and last values, nice axis ticks, lines broken where a year is missing, a marker on every
value (so a single point shows), negative values and a zero line. The series are told apart
without colour: the own series is a thick solid line with round markers, each reference series a
dashed line of its own pattern with square or diamond markers, and every line carries its name at
its end (direct labels, no legend to match colours against). Every look is a class in
``static/css/charts.css``: the Content-Security-Policy (``style-src 'self'``) forbids ``style``
attributes and ``<style>`` elements, which an inline SVG is subject to.

Why no charting library. pygal (the maintained pure-Python SVG library) always writes a
``<style>`` element into the SVG's ``<defs>`` (its base CSS, and the per-series colours are CSS
there) and, unless switched off, an inline tooltip ``<script>``: both are refused by our CSP in an
inline SVG, and the figure would have no colours or patterns left. It writes no ``<desc>`` and
tells series apart by colour. matplotlib's SVG puts ``style="…"`` on every element and is a large
dependency for a few lines; leather (wireservice) writes presentation colours only and has no
title/description or per-series dash patterns. What remains of a line chart once accessibility and
the CSP are met — scales, nice ticks, gaps — is the hundred lines below, tested in
``tests/indicators/test_charts.py``.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

Number = int | float | Decimal

WIDTH = 640
HEIGHT = 320
MARGIN_LEFT = 56
MARGIN_RIGHT = 150  # room for the direct labels at the lines' ends
MARGIN_TOP = 16
MARGIN_BOTTOM = 36
LABEL_GAP = 14  # the least vertical distance between two end labels
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class LineSeries:
    """One line: ``points`` are (year, value) pairs; a value of None is a gap."""

    label: str
    points: list[tuple[int, Number | None]]
    reference: bool = False


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    year: int
    value: str


@dataclass
class ChartLine:
    label: str
    reference: bool
    style: str  # "own", "ref-1", "ref-2", …: the line's class in charts.css
    marker: str  # one of MARKERS
    paths: list[str] = field(default_factory=list)  # one "M x y L …" path per unbroken run
    markers: list[Marker] = field(default_factory=list)
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass(frozen=True)
class TargetLine:
    """A horizontal line at a target value across the plot, with its label written above its right end."""

    y: float
    label: str
    label_x: float
    label_y: float


@dataclass
class LineChart:
    """Everything the template draws, in SVG user units (a ``viewBox`` of ``width`` × ``height``)."""

    title: str
    description: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[ChartLine]
    zero_y: float | None
    unit: str
    empty: bool
    target: TargetLine | None = None

    @property
    def y_label_x(self) -> float:
        return self.left - 6

    @property
    def x_label_y(self) -> float:
        return self.bottom + 20

    @property
    def x_tick_end(self) -> float:
        return self.bottom + 5

    @property
    def unit_y(self) -> float:
        return self.top - 4


def nice_step(span: float, count: int = 5) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten that cuts ``span`` into about ``count`` parts."""
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power  # pragma: no cover (the loop ends at 10)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Ticks on round numbers from at or below ``low`` to at or above ``high``.

    A flat range (one value, or all equal) is widened around the value so that the line sits in the
    middle instead of on an axis.
    """
    if low > high:
        low, high = high, low
    if low == high:
        spread = abs(low) / 10 or 1.0
        low, high = low - spread, high + spread
    step = nice_step(high - low, count)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    ticks = []
    index = 0
    while True:
        tick = first + index * step
        if tick > last + step / 2:
            break
        ticks.append(round(tick, 10) + 0.0)  # + 0.0 turns -0.0 into 0.0
        index += 1
    return ticks


def year_ticks(first: int, last: int, count: int = 8) -> list[int]:
    """Whole years from ``first`` to ``last``, every one when few, else on a round step (2, 5, 10…)."""
    if last <= first:
        return [first]
    step = max(1, math.ceil(nice_step(last - first, count)))
    start = math.ceil(first / step) * step
    return list(range(start, last + 1, step))


def _decimals(step: float) -> int:
    """How many decimals tell ticks ``step`` apart (0 for whole steps, 1 for 2.5 or 0.5, …)."""
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1
    return decimals


def format_number(value: Number, decimals: int | None = None) -> str:
    """``value`` the way the active language writes it (decimal comma in Norwegian); without
    ``decimals``, as many as the value has, at most four."""
    if decimals is None:
        value = Decimal(str(value)).normalize()
        exponent = value.as_tuple().exponent
        decimals = min(4, max(0, -exponent)) if isinstance(exponent, int) else 0
    return number_format(round(float(value), decimals), decimal_pos=decimals)


class Scale:
    """A linear map from a domain (``low``..``high``) onto a range of SVG positions (may be reversed)."""

    def __init__(self, low: float, high: float, start: float, end: float):
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return round((self.start + self.end) / 2, 2)
        return round(self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start), 2)


def _runs(points: list[tuple[int, float | None]]) -> list[list[tuple[int, float]]]:
    """The unbroken runs of a series: a None value or a missing year between two values breaks it."""
    runs: list[list[tuple[int, float]]] = []
    previous_year = None
    for year, value in sorted(points, key=lambda point: point[0]):
        if value is None:
            previous_year = None
            continue
        if previous_year is None or year != previous_year + 1 or not runs:
            runs.append([])
        runs[-1].append((year, value))
        previous_year = year
    return runs


def _spread_labels(positions: list[float], low: float, high: float, gap: float = LABEL_GAP) -> list[float]:
    """Move end labels apart (keeping their order) so that none is closer than ``gap`` to the next."""
    order = sorted(range(len(positions)), key=lambda index: positions[index])
    placed = [positions[index] for index in order]
    for index in range(1, len(placed)):
        placed[index] = max(placed[index], placed[index - 1] + gap)
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [position - overflow for position in placed]
        for index in range(len(placed) - 2, -1, -1):
            placed[index] = min(placed[index], placed[index + 1] - gap)
    result = [0.0] * len(positions)
    for rank, index in enumerate(order):
        result[index] = round(max(placed[rank], low), 2)
    return result


def _description(series: list[LineSeries], unit: str) -> str:
    """First and last value of each series, in words: what the chart shows for those who cannot see it."""
    sentences = []
    suffix = f" {unit}" if unit else ""
    for one in series:
        values = [(year, value) for year, value in sorted(one.points, key=lambda p: p[0]) if value is not None]
        if not values:
            sentences.append(_("%(series)s: no values.") % {"series": one.label})
        elif len(values) == 1:
            year, value = values[0]
            sentences.append(
                _("%(series)s: %(value)s in %(year)s.")
                % {"series": one.label, "value": format_number(value) + suffix, "year": year}
            )
        else:
            (first_year, first), (last_year, last) = values[0], values[-1]
            sentences.append(
                _("%(series)s: from %(first)s in %(first_year)s to %(last)s in %(last_year)s.")
                % {
                    "series": one.label,
                    "first": format_number(first) + suffix,
                    "first_year": first_year,
                    "last": format_number(last) + suffix,
                    "last_year": last_year,
                }
            )
    return " ".join(sentences)


def _value_axis(values: list[float], bottom: float, top: float) -> tuple[Scale, list[Tick], float | None]:
    """The y axis over ``values``: its scale, its round ticks, and where zero lies if the axis crosses it."""
    y_values = nice_ticks(min(values), max(values))
    y_scale = Scale(y_values[0], y_values[-1], bottom, top)
    y_decimals = _decimals(y_values[1] - y_values[0]) if len(y_values) > 1 else 0
    y_ticks = [Tick(y_scale(value), format_number(value, y_decimals)) for value in y_values]
    zero_y = y_scale(0) if y_values[0] < 0 < y_values[-1] else None
    return y_scale, y_ticks, zero_y


def line_chart(
    series: list[LineSeries], *, title: str, unit: str = "", width: int = WIDTH, height: int = HEIGHT
) -> LineChart:
    """The geometry of a line chart of ``series`` (the own series first, then references)."""
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
    values = [float(value) for one in series for _year, value in one.points if value is not None]
    years = [year for one in series for year, value in one.points if value is not None]
    description = _description(series, unit)
    if not values:
        return LineChart(title, description, width, height, left, right, top, bottom, [], [], [], None, unit, True)

    y_scale, y_ticks, zero_y = _value_axis(values, bottom, top)
    first_year, last_year = min(years), max(years)
    x_scale = Scale(first_year, last_year, left, right)
    x_ticks = [Tick(x_scale(year), str(year)) for year in year_ticks(first_year, last_year)]

    lines: list[ChartLine] = []
    references = 0
    for one in series:
        if one.reference:
            references += 1
            style, marker = f"ref-{min(references, 3)}", MARKERS[1 + (references - 1) % (len(MARKERS) - 1)]
        else:
            style, marker = "own", MARKERS[0]
        line = ChartLine(label=one.label, reference=one.reference, style=style, marker=marker)
        points = [(year, None if value is None else float(value)) for year, value in one.points]
        for run in _runs(points):
            coordinates = [(x_scale(year), y_scale(value)) for year, value in run]
            if len(coordinates) > 1:  # a lone value is its marker alone
                line.paths.append("M" + " L".join(f"{x} {y}" for x, y in coordinates))
            line.markers.extend(
                Marker(x, y, year, format_number(value)) for (x, y), (year, value) in zip(coordinates, run, strict=True)
            )
        if line.markers:
            last = max(line.markers, key=lambda marker: marker.x)
            line.label_x, line.label_y = right + 8, last.y
            lines.append(line)
    for line, label_y in zip(lines, _spread_labels([line.label_y for line in lines], top, bottom), strict=True):
        line.label_y = label_y
    return LineChart(
        title, description, width, height, left, right, top, bottom, x_ticks, y_ticks, lines, zero_y, unit, False
    )


DATED_HEIGHT = 260
DATED_MARGIN_RIGHT = 24


def date_ticks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Round dates between ``first`` and ``last`` for the x axis: 1 January of round years over a long
    span, else the first of every 1, 2, 3 or 6 months, at most about eight ticks."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if months > 36:
        return [
            datetime.date(year, 1, 1)
            for year in year_ticks(first.year + (first > datetime.date(first.year, 1, 1)), last.year)
        ]
    step = next((step for step in (1, 2, 3, 6, 12) if months / step <= 8), 12)
    ticks = []
    index = first.year * 12 + first.month - 1
    if first.day > 1:
        index += 1
    index = math.ceil(index / step) * step
    while True:
        tick = datetime.date(index // 12, index % 12 + 1, 1)
        if tick > last:
            break
        ticks.append(tick)
        index += step
    return ticks


def dated_line_chart(
    points: list[tuple[datetime.date, Number]],
    *,
    title: str,
    description: str,
    unit: str = "",
    target: tuple[datetime.date, Number] | None = None,
    width: int = WIDTH,
    height: int = DATED_HEIGHT,
) -> LineChart:
    """One measured series over dates (an outcome's baseline and measurements) against its target:
    the x axis runs from the first date to the target date, the y axis covers the values and the
    target, and the target is a labelled horizontal line. ``description`` is the text alternative."""
    left, right = MARGIN_LEFT, width - DATED_MARGIN_RIGHT
    top, bottom = MARGIN_TOP + 8, height - MARGIN_BOTTOM
    dates = [day for day, _value in points] + ([target[0]] if target else [])
    values = [float(value) for _day, value in points] + ([float(target[1])] if target else [])
    if not values:
        return LineChart(title, description, width, height, left, right, top, bottom, [], [], [], None, unit, True)
    y_scale, y_ticks, zero_y = _value_axis(values, bottom, top)
    first, last = min(dates), max(dates)
    x_scale = Scale(first.toordinal(), last.toordinal(), left, right)
    span_months = (last.year - first.year) * 12 + last.month - first.month
    tick_format = "Y" if span_months > 36 else "N Y"
    x_ticks = [Tick(x_scale(day.toordinal()), date_format(day, tick_format)) for day in date_ticks(first, last)]
    line = ChartLine(label="", reference=False, style="own", marker=MARKERS[0])
    coordinates = [(x_scale(day.toordinal()), y_scale(float(value))) for day, value in sorted(points)]
    if len(coordinates) > 1:
        line.paths.append("M" + " L".join(f"{x} {y}" for x, y in coordinates))
    line.markers.extend(
        Marker(x, y, day.year, format_number(value))
        for (x, y), (day, value) in zip(coordinates, sorted(points), strict=True)
    )
    target_line = None
    if target is not None:
        target_day, target_value = target
        y = y_scale(float(target_value))
        label = _("Target: %(value)s by %(date)s") % {
            "value": format_number(target_value) + (f" {unit}" if unit else ""),
            "date": date_format(target_day, "SHORT_DATE_FORMAT"),
        }
        # Above the line, unless the line runs along the top of the plot.
        label_y = y - 6 if y - 6 > top + 4 else y + 16
        target_line = TargetLine(y=y, label=label, label_x=right, label_y=round(label_y, 2))
    return LineChart(
        title,
        description,
        width,
        height,
        left,
        right,
        top,
        bottom,
        x_ticks,
        y_ticks,
        [line] if line.markers else [],
        zero_y,
        unit,
        False,
        target_line,
    )
