"""The dashboard's charts from its figures (``dashboard.selectors``), with their texts in the active language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.charts import bars
from dashboard.selectors import HubFigures
from projects.models import ProjectStatus
from projects.selectors import goal_catalogue


def goal_labels() -> list[dict]:
    return [
        {
            "number": goal.number,
            "short": str(goal.number),
            "title": f"{goal.number}. {goal.short_name}",
            "css_class": goal.css_class,
        }
        for goal in goal_catalogue()
    ]


def coverage_chart(figures: HubFigures, chart_id: str = "dashboard-coverage") -> bars.Chart:
    goals = {goal.number: goal for goal in goal_catalogue()}
    legend = [
        {"key": status, "label": label, "css_class": f"status-{status}"} for status, label in ProjectStatus.choices
    ]
    rows = [
        bars.StackedBar(
            label=f"{item.number}. {goals[item.number].short_name}",
            css_class=goals[item.number].css_class,
            segments=[
                bars.Segment(
                    key=status, label=label, value=item.projects_by_status[status], css_class=f"status-{status}"
                )
                for status, label in ProjectStatus.choices
            ],
        )
        for item in figures.coverage
    ]
    busiest = max(figures.coverage, key=lambda item: item.projects)
    description = _(
        "Projects per goal, each bar divided by status in the order of the legend. "
        "%(projects)s published projects; goal %(goal)s has the most (%(count)s). "
        "The table below has every number."
    ) % {"projects": figures.projects, "goal": busiest.number, "count": busiest.projects}
    return bars.stacked_bar_chart(
        chart_id, _("Projects per goal, by status"), description, rows, legend, axis_label=_("Number of projects")
    )


def partner_kind_chart(figures: HubFigures, kind_labels: dict[str, str]) -> bars.Chart:
    rows = [
        bars.Bar(label=str(kind_labels[kind]), value=count, css_class=f"chart__bar--series-{number % 4 + 1}")
        for number, (kind, count) in enumerate(figures.partners_by_kind.items())
    ]
    description = ngettext(
        "%(count)s approved partner, by kind of organisation.",
        "%(count)s approved partners, by kind of organisation.",
        len(figures.partners),
    ) % {"count": len(figures.partners)}
    return bars.bar_chart(
        "dashboard-partner-kinds", _("Partners by kind"), description, rows, axis_label=_("Number of partners")
    )


def outcome_chart(figures: HubFigures, state_labels: dict[str, str]) -> bars.Chart:
    rows = [
        bars.Bar(label=str(state_labels[state]), value=count, css_class=f"chart__bar--series-{number + 1}")
        for number, (state, count) in enumerate(figures.outcome_counts.items())
    ]
    description = ngettext(
        "%(count)s committed outcome: how many are on track, behind or not reported.",
        "%(count)s committed outcomes: how many are on track, behind or not reported.",
        sum(figures.outcome_counts.values()),
    ) % {"count": sum(figures.outcome_counts.values())}
    return bars.bar_chart("dashboard-outcomes", _("Outcomes"), description, rows, axis_label=_("Number of outcomes"))


def activity_charts(figures: HubFigures) -> list[bars.Chart]:
    series = [
        ("started", _("Projects started per month"), _("Number of projects")),
        ("completed", _("Projects completed per month"), _("Number of projects")),
        ("updates", _("Progress updates per month"), _("Number of progress updates")),
        ("comments", _("Comments per month"), _("Number of comments")),
    ]
    charts = []
    for number, (attribute, title, axis_label) in enumerate(series, start=1):
        columns = [
            bars.Column(label=month.month.strftime("%m.%y"), value=getattr(month, attribute))
            for month in figures.months
        ]
        total = sum(column.value for column in columns)
        description = _(
            "%(total)s in the last %(months)s months, one column per month; the table below has every number."
        ) % {
            "total": total,
            "months": len(columns),
        }
        charts.append(
            bars.column_chart(
                f"dashboard-activity-{attribute}",
                title,
                description,
                columns,
                css_class=f"chart__bar--series-{number}",
                axis_label=axis_label,
            )
        )
    return charts


def together_table(figures: HubFigures) -> bars.HeatTable:
    return bars.heat_table(
        _("Projects pursuing both goals: row goal and column goal (the diagonal: projects with the goal)"),
        goal_labels(),
        figures.together,
    )
