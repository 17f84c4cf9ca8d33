"""The dashboard's figures as CSV, one file per section (``<hub>/dashboard/csv/<section>/``).

The same conventions as the open-data downloads: UTF-8 with a BOM (for Excel), a header row of
stable English column names, and text cells that could start a formula prefixed with ``'``.
Only public figures: the partners file counts partners by kind and participation, without names.
"""

import csv
import io
from collections.abc import Iterable

from dashboard.selectors import HubFigures
from projects.models import ProjectStatus

SECTIONS = ("coverage", "together", "activity", "partners", "outcomes", "indicators")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Iterable[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def section_table(figures: HubFigures, section: str) -> tuple[list[str], list[list]]:
    """The columns and rows of one section."""
    if section == "coverage":
        columns = [
            "goal",
            "projects",
            *(f"projects_{status}" for status in ProjectStatus.values),
            "partners",
            "targets",
        ]
        rows = [
            [
                item.number,
                item.projects,
                *(item.projects_by_status[status] for status in ProjectStatus.values),
                item.partners,
                item.targets,
            ]
            for item in figures.coverage
        ]
    elif section == "together":
        columns = ["goal", *(f"goal_{number}" for number in range(1, 18))]
        rows = [[number, *figures.together[number - 1]] for number in range(1, 18)]
    elif section == "activity":
        columns = ["month", "projects_started", "projects_completed", "progress_updates", "comments"]
        rows = [
            [month.month.strftime("%Y-%m"), month.started, month.completed, month.updates, month.comments]
            for month in figures.months
        ]
    elif section == "partners":
        columns = ["kind", "partners"]
        rows = [[kind, count] for kind, count in figures.partners_by_kind.items()]
        rows += [["all", len(figures.partners)], ["in_at_least_one_project", figures.participating]]
    elif section == "outcomes":
        columns = [
            "project",
            "project_url",
            "outcome",
            "unit",
            "baseline",
            "target_value",
            "target_date",
            "latest_value",
            "measured_on",
            "state",
        ]
        rows = [
            [
                row.project_title,
                row.project_url,
                row.title,
                row.unit,
                row.baseline,
                row.target_value,
                row.target_date.isoformat(),
                row.value,
                row.measured_on.isoformat() if row.measured_on else "",
                row.state,
            ]
            for row in figures.outcomes
        ]
    elif section == "indicators":
        columns = ["goal", "indicators"]
        rows = [[number, figures.indicators_by_goal.get(number, 0)] for number in range(1, 18)]
    else:
        raise KeyError(section)
    return columns, rows
