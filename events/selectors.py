"""Reads of events: a hub's list and month, a project's upcoming events, the hub page's next ones,
one event and a person's registration. Lists cost a constant number of queries (goals prefetched,
seats counted in the same query)."""

import calendar as calendar_module
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from events.models import OSLO, Event, EventStatus, Registration, RegistrationStatus, oslo_day_bounds

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def _public(queryset: QuerySet) -> QuerySet:
    return (
        queryset.filter(status__in=PUBLIC_STATUSES)
        .select_related("hub", "project")
        .prefetch_related("goals")
        .annotate(seats_taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)))
    )


def hub_events(hub, *, when: str = "upcoming", kind: str = "", goal_number: int | None = None) -> QuerySet:
    """A hub's public events: upcoming (not yet ended; soonest first) or past (latest first)."""
    now = timezone.now()
    events = _public(Event.objects.filter(hub=hub))
    if when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if kind:
        events = events.filter(kind=kind)
    if goal_number is not None:
        events = events.filter(goals__number=goal_number)
    return events


def hub_goals(hub) -> list:
    """The goals any public event of the hub is tagged with (for the filter)."""
    from goals.models import Goal

    return list(
        Goal.objects.filter(
            pk__in=Event.goals.through.objects.filter(event__hub=hub, event__status__in=PUBLIC_STATUSES).values(
                "goal_id"
            )
        ).order_by("number")
    )


def project_upcoming_events(project, *, limit: int = 5) -> list[Event]:
    return list(
        _public(
            Event.objects.filter(project=project, status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        ).order_by("starts_at", "pk")[:limit]
    )


def project_events(project) -> QuerySet:
    return _public(Event.objects.filter(project=project)).order_by("starts_at", "pk")


def hub_next_events(hub, *, limit: int = 3) -> list[Event]:
    return list(
        _public(Event.objects.filter(hub=hub, status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())).order_by(
            "starts_at", "pk"
        )[:limit]
    )


def hub_event(hub, pk: int) -> Event | None:
    """One event of the hub, drafts included (the view checks who may see them)."""
    return (
        Event.objects.filter(hub=hub, pk=pk)
        .select_related("hub", "project")
        .prefetch_related("goals", "partners")
        .annotate(seats_taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)))
        .first()
    )


def registration_of(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITING)
        .filter(Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk))
        .count()
        + 1
    )


@dataclass
class Day:
    day: date
    in_month: bool
    events: list


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    previous: date
    next: date

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


def month_calendar(hub, year: int, month: int) -> Month:
    """The month's weeks (Monday first) with each day's public events, in Norwegian time."""
    days = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, _ = oslo_day_bounds(days[0][0])
    _, end = oslo_day_bounds(days[-1][-1])
    by_day: dict[date, list] = {}
    for event in _public(Event.objects.filter(hub=hub, starts_at__gte=start, starts_at__lt=end)).order_by(
        "starts_at", "pk"
    ):
        by_day.setdefault(timezone.localtime(event.starts_at, OSLO).date(), []).append(event)
    weeks = [[Day(day, day.month == month, by_day.get(day, [])) for day in week] for week in days]
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Month(year, month, weeks, previous, following)


def admin_event_list(hub_ids) -> QuerySet:
    return (
        Event.objects.filter(hub_id__in=hub_ids)
        .select_related("hub")
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        )
        .order_by("-starts_at", "-pk")
    )


def event_registrations(event: Event) -> QuerySet:
    return event.registrations.select_related("user").order_by("status", "queued_at", "pk")
