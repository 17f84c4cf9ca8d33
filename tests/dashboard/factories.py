"""A small hand-made data set whose dashboard figures are counted by hand in the tests."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from discussions.models import Comment, Thread
from indicators.models import Indicator
from partners.models import PartnerKind, PartnershipStatus
from projects.models import OutcomeMeasurement, ProgressUpdate, ProjectStatus
from tests.discussions.factories import comment_create, forum_create, topic_create
from tests.partners.factories import coordinator_create, hub_create, partner_create, partnership_create
from tests.projects.factories import goal, outcome_create, project_create, project_index_create, target

TODAY = datetime.date(2026, 6, 15)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass
class Scene:
    hub: object
    other_hub: object
    p1: object
    p2: object
    p3: object
    p4: object
    pr1: object
    pr2: object
    pr3: object
    draft: object
    topic: Thread
    coordinator: object


def measured(outcome, update, value, day):
    return OutcomeMeasurement.objects.create(outcome=outcome, update=update, value=Decimal(value), measured_on=day)


def comment_at(thread, day, **fields):
    comment = comment_create(thread, **fields)
    Comment.objects.filter(pk=comment.pk).update(created_at=at(day))
    return comment


def scene_create() -> Scene:
    hub = hub_create(title="Ålesund")
    other_hub = hub_create(title="Molde", home=hub.get_parent().specific)
    index = project_index_create(hub)
    other_index = project_index_create(other_hub)
    forum_create(hub)
    p1 = partner_create(name="Leder AS", kind=PartnerKind.BUSINESS)
    p2 = partner_create(name="Frivillig lag", kind=PartnerKind.NGO)
    p3 = partner_create(name="Kommunen", kind=PartnerKind.PUBLIC_SECTOR)
    p4 = partner_create(name="Søker AS", kind=PartnerKind.BUSINESS)
    for partner in (p1, p2, p3):
        partnership_create(partner=partner, hub=hub)
    partnership_create(partner=p4, hub=hub, status=PartnershipStatus.APPLIED)
    pr1 = project_create(
        index,
        title="Grønn havn",
        primary_goal=goal(13),
        goals=[goal(7)],
        targets=[target("13.2"), target("7.2")],
        status=ProjectStatus.ACTIVE,
        lead_partner=p1,
        partners=[p2],
        start_date=datetime.date(2026, 2, 10),
    )
    pr2 = project_create(
        index,
        title="Solceller på skolen",
        primary_goal=goal(7),
        goals=[goal(13), goal(11)],
        targets=[target("7.2")],
        status=ProjectStatus.COMPLETED,
        lead_partner=p2,
        partners=[p4],
        start_date=datetime.date(2025, 1, 5),
        end_date=datetime.date(2026, 5, 20),
    )
    pr3 = project_create(index, title="Helsedag", primary_goal=goal(3), status=ProjectStatus.IDEA)
    draft = project_create(
        index,
        title="Utkast",
        primary_goal=goal(13),
        lead_partner=p3,
        live=False,
        start_date=datetime.date(2026, 3, 1),
    )
    other = project_create(other_index, title="Molde-prosjekt", primary_goal=goal(13), lead_partner=p3)

    # Progress updates: two in March 2026 on public projects; one on the draft and one too old.
    update1 = ProgressUpdate.objects.create(
        project=pr1, partner=p1, reported_on=datetime.date(2026, 3, 3), text="<p>x</p>"
    )
    ProgressUpdate.objects.create(project=pr2, partner=p2, reported_on=datetime.date(2026, 3, 20), text="<p>x</p>")
    ProgressUpdate.objects.create(project=draft, partner=p3, reported_on=datetime.date(2026, 3, 5), text="<p>x</p>")
    ProgressUpdate.objects.create(project=pr1, partner=p1, reported_on=datetime.date(2023, 1, 1), text="<p>x</p>")

    # Outcomes of pr1 (start 2026-02-10), target a year later; measured 182 days in (plan: 49.9 %).
    year_later = datetime.date(2027, 2, 10)
    on_track = outcome_create(pr1, title="Deltakere", baseline=0, target_value=100, target_date=year_later)
    measured(on_track, update1, 45, datetime.date(2026, 8, 11))
    behind = outcome_create(pr1, title="Besøk", baseline=0, target_value=100, target_date=year_later)
    measured(behind, update1, 60, datetime.date(2026, 4, 1))
    measured(behind, update1, 30, datetime.date(2026, 8, 11))  # the latest counts
    outcome_create(pr1, title="Trær", baseline=0, target_value=100, target_date=year_later)  # not reported
    falling = outcome_create(pr1, title="Utslipp", baseline=100, target_value=40, target_date=year_later)
    measured(falling, update1, 70, datetime.date(2026, 8, 11))  # half the change: on track
    outcome_create(draft, title="Skjult")  # a draft's outcome is not counted

    # Comments in April 2026: two visible on pr1, one hidden, one deleted, one in the forum; others elsewhere.
    thread = Thread.objects.get(project=pr1)
    comment_at(thread, datetime.date(2026, 4, 2))
    comment_at(thread, datetime.date(2026, 4, 9))
    comment_at(thread, datetime.date(2026, 4, 10), hidden_at=at(datetime.date(2026, 4, 11)))
    comment_at(thread, datetime.date(2026, 4, 12), deleted_at=at(datetime.date(2026, 4, 13)))
    topic = topic_create(hub, title="Sykkelveier")
    comment_at(topic, datetime.date(2026, 4, 20))
    comment_at(topic_create(other_hub, title="Annet"), datetime.date(2026, 4, 20))
    comment_at(Thread.objects.get(project=other), datetime.date(2026, 4, 21))

    # Municipal indicators: two for goal 13, one of them also for goal 7, one without goals.
    first = Indicator.objects.create(hub=hub, code="A1", name="Fornybar energi")
    first.goals.set([goal(13), goal(7)])
    second = Indicator.objects.create(hub=hub, code="A2", name="Klimagassutslipp")
    second.goals.set([goal(13)])
    Indicator.objects.create(hub=hub, code="A3", name="Uten mål")
    Indicator.objects.create(hub=other_hub, code="B1", name="Andre hub").goals.set([goal(13)])

    return Scene(
        hub=hub,
        other_hub=other_hub,
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
        pr1=pr1,
        pr2=pr2,
        pr3=pr3,
        draft=draft,
        topic=topic,
        coordinator=coordinator_create(hub),
    )
