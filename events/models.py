"""A hub's events (workshops, meet-ups, market dialogues, open lab days) and the registrations for them.

Events are plain models managed by the hub's coordinators in the Wagtail admin (``events.admin``),
not pages: they have no drafts or revisions beyond their own ``status``. A registration holds a
person's seat or place on the waiting list; what they said about diet and accessibility is personal
data deleted ``EVENT_PERSONAL_DATA_RETENTION_DAYS`` after the event (``services.personal_data_purge``).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Events are shown, and their days counted, in Norwegian time.
OSLO = ZoneInfo("Europe/Oslo")


def oslo_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of ``day`` in Norway, as aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=OSLO)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=OSLO)


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    MEETUP = "meetup", _("Meet-up")
    MARKET_DIALOGUE = "market_dialogue", _("Market dialogue")
    OPEN_LAB = "open_lab", _("Open lab day")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="events", verbose_name=_("hub"))
    project = models.ForeignKey(
        "projects.ProjectPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown: *emphasis*, lists, links."))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.MEETUP)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_notes = models.TextField(_("more about accessibility"), blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    goals = models.ManyToManyField("goals.Goal", blank=True, related_name="+", verbose_name=_("goals"))
    partners = models.ManyToManyField(
        "partners.Partner", blank=True, related_name="+", verbose_name=_("organising partners")
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty means no limit."))
    ask_dietary_needs = models.BooleanField(_("ask about dietary needs"), default=False)
    ask_accessibility_needs = models.BooleanField(_("ask about accessibility needs"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)
    # How many had a seat, kept when the registrations are deleted after the event.
    attended_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["hub", "status", "starts_at"], name="event_hub_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after",
                violation_error_message=_("The event cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def seats_left(self) -> int | None:
        """Free seats (None: no limit); uses ``seats_taken`` when the selector annotated it."""
        if self.capacity is None:
            return None
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = self.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        return max(self.capacity - taken, 0)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """One person's registration for one event; cancelling keeps the row (status ``cancelled``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the person took their current place (registered or waiting): the waiting list's order.
    queued_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="registration_queue")]

    def __str__(self):
        return f"{self.user_id} → {self.event_id} ({self.status})"
