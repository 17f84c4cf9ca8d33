"""A challenge scene: a hub with a project index, the municipality as owning partner, two suppliers
(A as an approved partner, B with only an organisation number), two evaluators, coordinators of
this and another hub, a citizen and a staff member."""

import itertools
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from challenges import services
from challenges.models import Challenge, Phase, Publication
from partners.models import PartnerKind
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create, member_add, valid_organisation_number
from tests.projects.factories import approved_partner_create, goal, project_index_create

_sequence = itertools.count(500)


@dataclass
class Scene:
    hub: object
    other_hub: object
    municipality: object
    supplier_a: object
    a_member: object
    a_colleague: object
    b_member: object
    b_number: str
    coordinator: object
    lead_evaluator: object
    evaluator: object
    other_coordinator: object
    citizen: object
    staff: object
    challenge: Challenge


def challenge_create(scene_hub, actor, **fields) -> Challenge:
    fields.setdefault("title", f"Tryggere skolevei {next(_sequence)}")
    fields.setdefault("summary", "Barn skal gå trygt til skolen.")
    fields.setdefault("need", "Vi trenger **bedre** oversikt over farlige kryss.")
    fields.setdefault("owner_unit", "Oppvekst")
    fields.setdefault("primary_goal", goal(11))
    fields.setdefault("requirements", ["Virker uten strøm", "Kan brukes av barn"])
    return services.challenge_create(actor=actor, hub=scene_hub, **fields)


def scene_create(*, phase=Phase.COMPETITION, deadline_in=timedelta(days=7)) -> Scene:
    hub = hub_create(title="Ålesund", default_language="en")
    project_index_create(hub)
    other_hub = hub_create(title="Molde", home=hub.get_parent().specific)
    municipality = approved_partner_create(hub, name="Ålesund kommune", kind=PartnerKind.PUBLIC_SECTOR)
    supplier_a = approved_partner_create(hub, name="Leverandør A AS")
    a_member = member_add(supplier_a).user
    coordinator = coordinator_create(hub)
    lead_evaluator = coordinator_create(hub)
    challenge = challenge_create(
        hub, coordinator, owner_partner=municipality, submission_deadline=timezone.now() + deadline_in
    )
    Challenge.objects.filter(pk=challenge.pk).update(publication=Publication.PUBLISHED, phase=phase)
    challenge.refresh_from_db()
    evaluator = UserFactory(verified=True)
    services.evaluator_assign(actor=coordinator, challenge=challenge, user=lead_evaluator)
    services.evaluator_assign(actor=coordinator, challenge=challenge, user=evaluator)
    services.criteria_set(actor=coordinator, challenge=challenge, criteria=[("Kvalitet", 60), ("Pris", 40)])
    return Scene(
        hub=hub,
        other_hub=other_hub,
        municipality=municipality,
        supplier_a=supplier_a,
        a_member=a_member,
        a_colleague=member_add(supplier_a).user,
        b_member=UserFactory(verified=True),
        b_number=valid_organisation_number(next(_sequence)),
        coordinator=coordinator,
        lead_evaluator=lead_evaluator,
        evaluator=evaluator,
        other_coordinator=coordinator_create(other_hub),
        citizen=UserFactory(verified=True),
        staff=UserFactory(verified=True, is_staff=True),
        challenge=challenge,
    )


def answers_for(challenge) -> dict:
    return {r.pk: f"Slik: {r.text}" for r in challenge.requirements.all()}


def submit_a(scene: Scene, **fields):
    fields.setdefault("description", "Sensorer i kryssene. HEMMELIG-A")
    return services.submission_save(
        actor=scene.a_member,
        challenge=scene.challenge,
        partner=scene.supplier_a,
        organisation_number="",
        organisation_name="",
        maturity="pilot",
        price_indication="200 000 kr",
        answers=answers_for(scene.challenge),
        **fields,
    )


def submit_b(scene: Scene, **fields):
    fields.setdefault("description", "Refleksvester med lys. HEMMELIG-B")
    return services.submission_save(
        actor=scene.b_member,
        challenge=scene.challenge,
        organisation_number=scene.b_number,
        organisation_name="Leverandør B AS",
        maturity="prototype",
        price_indication="50 000 kr",
        answers=answers_for(scene.challenge),
        **fields,
    )


def close_deadline(scene: Scene) -> None:
    Challenge.objects.filter(pk=scene.challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1), phase=Phase.EVALUATION
    )
    scene.challenge.refresh_from_db()
