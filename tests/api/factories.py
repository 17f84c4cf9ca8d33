"""A public hub with partners, projects, outcomes and progress updates, and things the API must hide."""

import itertools
from dataclasses import dataclass
from datetime import date

from wagtail.models import PageViewRestriction

from partners.models import PartnershipStatus
from projects.services import progress_update_create
from tests.partners.factories import member_add, partner_create, partner_index_create, partnership_create
from tests.projects.factories import (
    approved_partner_create,
    goal,
    hub_create,
    outcome_create,
    project_create,
    project_index_create,
    target,
)

_sequence = itertools.count(1)


@dataclass
class ApiScene:
    hub: object
    index: object
    lead: object
    participant: object
    energy: object  # a public project on goal 7
    other: object  # a public project on goal 13
    outcome: object
    author: object
    update: object
    draft: object
    restricted: object
    pending: object
    suspended: object
    private_hub: object
    private_project: object


def projects_add(index, partner, count: int) -> list:
    return [project_create(index, primary_goal=goal(11), lead_partner=partner) for _ in range(count)]


def api_scene_create() -> ApiScene:
    hub = hub_create(title="Ålesund")
    partner_index_create(hub)
    index = project_index_create(hub)
    lead = approved_partner_create(hub, name="Leder AS", kind="public_sector", goals=[goal(7)])
    participant = approved_partner_create(hub, name="Deltaker AS", kind="business")
    pending = partner_create(name="Venter AS")
    partnership_create(partner=pending, hub=hub, status=PartnershipStatus.APPLIED)
    suspended = partner_create(name="Suspendert AS")
    partnership_create(partner=suspended, hub=hub, status=PartnershipStatus.SUSPENDED)
    energy = project_create(
        index,
        title="Solceller på skolen",
        primary_goal=goal(7),
        goals=[goal(13)],
        targets=[target("7.2")],
        partners=[participant, pending],
        lead_partner=lead,
    )
    other = project_create(index, title="Sykkelveg", primary_goal=goal(13), lead_partner=suspended)
    outcome = outcome_create(energy, title="Produsert straum", unit="kWh", baseline=0, target_value=1000)
    author = member_add(lead).user
    update = progress_update_create(
        actor=author,
        page=energy,
        partner=lead,
        reported_on=date(2026, 3, 1),
        text="Panela er monterte.",
        outcome_values={outcome.pk: "250"},
    )
    draft = project_create(index, title="Hemmeleg utkast", live=False)
    restricted = project_create(index, title="Berre for innlogga")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    private_hub = hub_create(title="Lukka hub", home=hub.get_parent().specific)
    PageViewRestriction.objects.create(page=private_hub, restriction_type=PageViewRestriction.PASSWORD, password="x")
    private_index = project_index_create(private_hub)
    private_project = project_create(private_index, title="Prosjekt i lukka hub", primary_goal=goal(7))
    return ApiScene(
        hub=hub,
        index=index,
        lead=lead,
        participant=participant,
        energy=energy,
        other=other,
        outcome=outcome,
        author=author,
        update=update,
        draft=draft,
        restricted=restricted,
        pending=pending,
        suspended=suspended,
        private_hub=private_hub,
        private_project=private_project,
    )
