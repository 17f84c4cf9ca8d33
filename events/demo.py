"""Fictional events for the demo hub, added by ``seed_demo`` (see its docstring for the hook).

An upcoming workshop with limited seats and the demo resident registered, an online meet-up, an
open lab day of a demo project, and a past market dialogue. Idempotent: each event is looked up by
its title, so a second run adds nothing.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.management.commands.seed_demo import RESIDENT_EMAIL
from events.models import OSLO, Event, EventKind, EventStatus, Registration, RegistrationStatus
from goals.models import Goal

NOTE = "*Fiktive demodata:* dette arrangementet er oppdiktet."


def _at(days: int, hour: int) -> datetime:
    day = timezone.localtime(timezone.now(), OSLO).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=OSLO)


def seed_demo_extend(hub, stdout) -> None:
    from projects.models import ProjectPage

    project = ProjectPage.objects.live().descendant_of(hub).order_by("pk").first()
    events = [
        {
            "title": "Verksted: sirkulær økonomi i Fjordvik (fiktiv)",
            "kind": EventKind.WORKSHOP,
            "starts_at": _at(10, 17),
            "ends_at": _at(10, 20),
            "address": "Fjordvik bibliotek, Storgata 1 (fiktiv)",
            "step_free_access": True,
            "hearing_loop": True,
            "accessible_toilet": True,
            "capacity": 20,
            "ask_dietary_needs": True,
            "ask_accessibility_needs": True,
            "goals": [12, 11],
        },
        {
            "title": "Digitalt møte om havet (fiktiv)",
            "kind": EventKind.MEETUP,
            "starts_at": _at(17, 12),
            "ends_at": _at(17, 13),
            "online_url": "https://meet.fjordvik.example/havet",
            "goals": [14],
        },
        {
            "title": "Åpen lab-dag (fiktiv)",
            "kind": EventKind.OPEN_LAB,
            "starts_at": _at(24, 10),
            "ends_at": _at(24, 15),
            "address": "Framtidslaben, Kaia 3 (fiktiv)",
            "step_free_access": True,
            "project": project,
            "goals": [13],
        },
        {
            "title": "Markedsdialog om fornybar energi (fiktiv)",
            "kind": EventKind.MARKET_DIALOGUE,
            "starts_at": _at(-20, 9),
            "ends_at": _at(-20, 12),
            "address": "Rådhuset, Torget 2 (fiktiv)",
            "capacity": 40,
            "goals": [7],
        },
    ]
    created = 0
    for fields in events:
        goals = fields.pop("goals")
        event, was_created = Event.objects.get_or_create(
            hub=hub,
            title=fields.pop("title"),
            defaults={
                **fields,
                "description": NOTE,
                "status": EventStatus.PUBLISHED,
                "published_at": timezone.now(),
            },
        )
        if was_created:
            event.goals.set(Goal.objects.filter(number__in=goals))
            created += 1
    resident = get_user_model().objects.filter(email=RESIDENT_EMAIL).first()
    workshop = Event.objects.filter(hub=hub, kind=EventKind.WORKSHOP).order_by("pk").first()
    if resident is not None and workshop is not None:
        Registration.objects.get_or_create(
            event=workshop,
            user=resident,
            defaults={
                "status": RegistrationStatus.REGISTERED,
                "queued_at": timezone.now(),
                "dietary_needs": "Vegetar (fiktiv)",
            },
        )
    stdout.write(f"Demo events: {created} new")
