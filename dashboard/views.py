"""The hub dashboard (``<hub>/dashboard/``, a hub route), its CSV files, and the hubs compared (``/dashboard/``).

Public and the same for every visitor, except that a hub's coordinators also see which approved
partners take part in no project (everyone else sees the count).
"""

import dataclasses

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.permissions import is_hub_coordinator
from dashboard import charts, exports, selectors
from partners.models import PartnerKind
from projects.models import ProjectStatus
from projects.selectors import goal_catalogue


def _state_labels() -> dict[str, str]:
    return {selectors.ON_TRACK: _("On track"), selectors.BEHIND: _("Behind"), selectors.NOT_REPORTED: _("Not reported")}


def hub_dashboard(request, hub):
    figures = selectors.hub_figures(hub, language=get_language())
    kind_labels = dict(PartnerKind.choices)
    state_labels = _state_labels()
    goals = {goal.number: goal for goal in goal_catalogue()}
    outcome_groups = []
    for state in selectors.OUTCOME_STATES:
        rows = [row for row in figures.outcomes if row.state == state]
        count = figures.outcome_counts[state]
        outcome_groups.append(
            {"state": state, "label": state_labels[state], "count": count, "rows": rows, "more": count - len(rows)}
        )
    context = {
        "hub": hub,
        "page": hub,
        "figures": figures,
        "statuses": ProjectStatus.choices,
        "coverage_rows": [
            {
                "goal": goals[item.number],
                "item": item,
                "by_status": [item.projects_by_status[status] for status, _label in ProjectStatus.choices],
                "indicators": figures.indicators_by_goal.get(item.number, 0),
            }
            for item in figures.coverage
        ],
        "coverage_chart": charts.coverage_chart(figures),
        "together": charts.together_table(figures),
        "activity_charts": charts.activity_charts(figures),
        "partner_kinds": [(kind_labels[kind], count) for kind, count in figures.partners_by_kind.items()],
        "partner_chart": charts.partner_kind_chart(figures, kind_labels),
        "outcome_chart": charts.outcome_chart(figures, state_labels),
        "outcome_groups": outcome_groups,
        "is_coordinator": is_hub_coordinator(request.user, hub),
        "indicators_url": f"{hub.url}indicators/",
        "dashboard_url": f"{hub.url}dashboard/",
    }
    return render(request, "dashboard/hub_dashboard.html", context)


def hub_dashboard_csv(request, hub, section: str):
    if section not in exports.SECTIONS:
        raise Http404
    figures = selectors.hub_figures(hub, language=get_language())
    if section == "outcomes":
        figures = dataclasses.replace(figures, outcomes=selectors.outcome_rows(hub))  # all, not only the page's
    columns, rows = exports.section_table(figures, section)
    response = HttpResponse(exports.csv_text(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{hub.slug}-dashboard-{section}.csv"'
    return response


def comparison(request):
    hubs = selectors.comparison(language=get_language())
    goals = goal_catalogue()
    state_labels = _state_labels()
    kind_labels = dict(PartnerKind.choices)
    tables = [
        {
            "id": "compare-coverage",
            "caption": _("Published projects per goal"),
            "rows": [
                (
                    f"{goal.number}. {goal.short_name}",
                    [figures.coverage[goal.number - 1].projects for _hub, figures in hubs],
                )
                for goal in goals
            ]
            + [(_("All projects"), [figures.projects for _hub, figures in hubs])],
        },
        {
            "id": "compare-activity",
            "caption": _("Activity in the last 24 months"),
            "rows": [
                (_("Projects started"), [sum(m.started for m in figures.months) for _hub, figures in hubs]),
                (_("Projects completed"), [sum(m.completed for m in figures.months) for _hub, figures in hubs]),
                (_("Progress updates"), [sum(m.updates for m in figures.months) for _hub, figures in hubs]),
                (_("Comments"), [sum(m.comments for m in figures.months) for _hub, figures in hubs]),
            ],
        },
        {
            "id": "compare-partners",
            "caption": _("Partners"),
            "rows": [
                (kind_labels[kind], [figures.partners_by_kind[kind] for _hub, figures in hubs])
                for kind in PartnerKind.values
            ]
            + [
                (_("All approved partners"), [len(figures.partners) for _hub, figures in hubs]),
                (_("In at least one project"), [figures.participating for _hub, figures in hubs]),
                (
                    _("Share in at least one project"),
                    [
                        "–" if figures.participation_share is None else f"{figures.participation_share} %"
                        for _hub, figures in hubs
                    ],
                ),
            ],
        },
        {
            "id": "compare-outcomes",
            "caption": _("Outcomes"),
            "rows": [
                (state_labels[state], [figures.outcome_counts[state] for _hub, figures in hubs])
                for state in selectors.OUTCOME_STATES
            ],
        },
        {
            "id": "compare-indicators",
            "caption": _("Municipal indicators per goal"),
            "rows": [
                (
                    f"{goal.number}. {goal.short_name}",
                    [figures.indicators_by_goal.get(goal.number, 0) for _hub, figures in hubs],
                )
                for goal in goals
            ]
            + [(_("All indicators"), [figures.indicators for _hub, figures in hubs])],
        },
    ]
    return render(request, "dashboard/comparison.html", {"hubs": [hub for hub, _figures in hubs], "tables": tables})
