"""Set-up helpers for project tests: pages put in the tree the way Wagtail expects (add_child, then
publish), goals and targets from the catalogue (loaded by goals' data migration)."""

import itertools
from dataclasses import dataclass
from datetime import date

from goals.models import Goal, Target
from partners.models import Partner, PartnershipStatus
from projects.models import Outcome, ProjectIndexPage, ProjectPage, ProjectStatus
from projects.services import ProposalFields
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create, member_add, partner_create, partnership_create

_sequence = itertools.count(1)


def goal(number: int) -> Goal:
    return Goal.objects.get(number=number)


def target(code: str) -> Target:
    return Target.objects.get(code=code)


def project_index_create(hub, **fields) -> ProjectIndexPage:
    fields.setdefault("title", "Prosjekter")
    fields.setdefault("slug", "projects")
    index = ProjectIndexPage(**fields)
    hub.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()
    return index


def project_create(
    index: ProjectIndexPage,
    *,
    title: str | None = None,
    primary_goal: Goal | None = None,
    goals=(),
    targets=(),
    partners=(),
    live: bool = True,
    **fields,
) -> ProjectPage:
    """A project saved directly (no service): published unless ``live`` is false (then a draft)."""
    number = next(_sequence)
    fields.setdefault("summary", f"Om prosjekt {number}.")
    fields.setdefault("status", ProjectStatus.ACTIVE)
    page = ProjectPage(
        title=title or f"Prosjekt {number}",
        slug=f"prosjekt-{number}",
        primary_goal=primary_goal or goal(13),
        **fields,
    )
    page.goals.set(goals)
    page.targets.set(targets)
    page.partners.set(partners)
    if not live:
        page.live = False
    index.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def outcome_create(project: ProjectPage, **fields) -> Outcome:
    """An outcome of a (published) project, saved directly: it is not part of the page's revisions here."""
    fields.setdefault("title", "Utslipp")
    fields.setdefault("unit", "tonn CO₂")
    fields.setdefault("baseline", 100)
    fields.setdefault("target_value", 40)
    fields.setdefault("target_date", date(2030, 12, 31))
    return Outcome.objects.create(project=project, **fields)


def approved_partner_create(hub, **fields) -> Partner:
    partner = partner_create(**fields)
    partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPROVED)
    return partner


@dataclass
class Scene:
    """A hub with a project index, two approved partners with members, coordinators, and a second hub."""

    hub: object
    index: ProjectIndexPage
    lead: Partner
    participant: Partner
    proposer: object
    lead_member: object
    participant_member: object
    coordinator: object
    other_hub: object
    other_index: ProjectIndexPage
    other_coordinator: object
    unrelated_member: object


def scene_create() -> Scene:
    hub = hub_create(title="Ålesund")
    index = project_index_create(hub)
    lead = approved_partner_create(hub, name="Leder AS")
    participant = approved_partner_create(hub, name="Deltaker AS")
    unrelated = approved_partner_create(hub, name="Annen AS")
    other_hub = hub_create(title="Molde", home=hub.get_parent().specific)
    other_index = project_index_create(other_hub)
    return Scene(
        hub=hub,
        index=index,
        lead=lead,
        participant=participant,
        proposer=member_add(lead, email=f"proposer{next(_sequence)}@example.org").user,
        lead_member=member_add(lead).user,
        participant_member=member_add(participant).user,
        coordinator=coordinator_create(hub),
        other_hub=other_hub,
        other_index=other_index,
        other_coordinator=coordinator_create(other_hub),
        unrelated_member=member_add(unrelated).user,
    )


def proposal_fields(scene: Scene, *, actor=None, index=None, **overrides) -> dict:
    """Valid arguments for ``project_propose`` in ``scene``: ``actor``, ``index`` and ``fields``
    (a ``ProposalFields``, with ``overrides`` of its defaults). Drop ``index`` for ``project_proposal_update``."""
    fields = {
        "title": "Grønn havn",
        "summary": "Landstrøm for skip i havna.",
        "primary_goal": goal(13),
        "goals": [goal(7)],
        "targets": [target("13.2"), target("7.2")],
        "status": ProjectStatus.PLANNED,
        "lead_partner": scene.lead,
        "partners": [scene.participant],
        "location": "Ålesund havn",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.org",
        "body_text": "Første avsnitt.\n\nAndre avsnitt.",
    }
    fields.update(overrides)
    return {
        "actor": scene.proposer if actor is None else actor,
        "index": scene.index if index is None else index,
        "fields": ProposalFields(**fields),
    }


def user_create(**fields):
    return UserFactory(verified=True, **fields)
