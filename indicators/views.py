"""A hub's indicators on the public site, as hub routes (``cms.hub_routes``, registered in ``wagtail_hooks``):

- ``<hub>/indicators/``: the hub's indicators grouped by goal, with their latest value and trend,
  filtered by goal with a GET form (no JavaScript, no cookie: anonymous visitors' copies are cached);
- ``<hub>/indicators/<code>/``: one indicator, its classification, the trend chart against its
  reference series with the same figures as a table, and the projects that aim to move it;
- ``<hub>/indicators/<code>/csv/``: the indicator's series as CSV.

The hub route serves the live hub after Wagtail's ``before_serve_page`` hooks (view restrictions),
in the hub's language.
"""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.charts.lines import LineSeries, format_number, line_chart
from cms.selectors import page_breadcrumbs
from cms.slugs import slugify_no
from indicators import selectors

CSV_COLUMNS = ("indicator_code", "indicator_name", "unit", "region_code", "region", "reference", "year", "value")


def _base_context(request, hub) -> dict:
    return {"hub": hub, "breadcrumbs": [*page_breadcrumbs(hub, Site.find_for_request(request)), hub]}


def indicator_list(request, hub):
    indicators = selectors.hub_indicators(hub)
    goals = sorted({goal.number: goal for i in indicators for goal in i.goals.all()}.values(), key=lambda g: g.number)
    chosen = request.GET.get("goal", "")
    goal = next((goal for goal in goals if str(goal.number) == chosen), None)
    shown = [i for i in indicators if any(g.number == goal.number for g in i.goals.all())] if goal else indicators
    groups = selectors.grouped_by_goal(shown)
    if goal is not None:
        groups = [group for group in groups if group.goal is not None and group.goal.number == goal.number]
    context = _base_context(request, hub)
    context.update(
        {
            "indicators_url": f"{hub.url}indicators/",
            "groups": groups,
            "goals": goals,
            "goal": goal,
            "count": len(shown),
            "any_fictional": any(i.fictional for i in indicators),
        }
    )
    return render(request, "indicators/indicator_list.html", context)


def _chart_series(indicator) -> list[LineSeries]:
    series = list(indicator.series.all())
    own = indicator.own
    ordered = ([own] if own is not None else []) + [one for one in series if one is not own]
    return [
        LineSeries(
            str(one),
            [(value.year, value.value) for value in one.values.all()],
            reference=one is not own,
        )
        for one in ordered
    ]


def _table(series: list[LineSeries]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The chart's figures as a table: one row per year, one column per series (empty where missing)."""
    years = sorted({year for one in series for year, _value in one.points})
    by_series = [dict(one.points) for one in series]
    rows = [
        (year, [format_number(points[year]) if points.get(year) is not None else "" for points in by_series])
        for year in years
    ]
    return [one.label for one in series], rows


def indicator_detail(request, hub, code):
    indicator = selectors.hub_indicator(hub, code)
    if indicator is None:
        raise Http404(_("No such indicator in this hub."))
    series = _chart_series(indicator)
    headers, rows = _table(series)
    chart = line_chart(series, title=indicator.name, unit=indicator.unit) if rows else None
    context = _base_context(request, hub)
    context.update(
        {
            "indicator": indicator,
            "indicators_url": f"{hub.url}indicators/",
            "chart": chart,
            "table_headers": headers,
            "table_rows": rows,
            "targets": list(indicator.targets.all()),
            "un_indicators": list(indicator.un_indicators.all()),
        }
    )
    return render(request, "indicators/indicator_detail.html", context)


def _csv_cell(value) -> str:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def indicator_csv(request, hub, code):
    indicator = selectors.hub_indicator(hub, code)
    if indicator is None:
        raise Http404(_("No such indicator in this hub."))
    buffer = io.StringIO()
    buffer.write("\ufeff")  # for Excel, as the open data downloads (opendata.exports)
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for one in indicator.series.all():
        for value in one.values.all():
            writer.writerow(
                [
                    _csv_cell(cell)
                    for cell in (
                        indicator.code,
                        indicator.name,
                        indicator.unit,
                        one.region_code,
                        one.region_name,
                        "yes" if one.is_reference else "no",
                        value.year,
                        format(value.value.normalize(), "f"),
                    )
                ]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{hub.slug}-{slugify_no(indicator.code)}.csv"'
    return response
