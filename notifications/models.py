"""Following and notifications: who follows what, what they were told, and how they want e-mail.

A ``Notification`` is one thing one person is told, numbered per person (``seq``, from their
``Inbox``) so that the person's own websocket (``/ws/me/``) resumes by sequence number just like a
thread's. Notifications are written in bulk by background tasks (``notifications.tasks``), never
in the request that caused them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FollowTarget(models.TextChoices):
    PROJECT = "project", _("Project")
    THREAD = "thread", _("Discussion")
    PARTNER = "partner", _("Partner")
    GOAL = "goal", _("Goal")
    HUB = "hub", _("Hub")


# The field of Follow (and Notification) that points at each kind of target.
TARGET_FIELDS = {
    FollowTarget.PROJECT: "project",
    FollowTarget.THREAD: "thread",
    FollowTarget.PARTNER: "partner",
    FollowTarget.GOAL: "goal",
    FollowTarget.HUB: "hub",
}


def _exactly_one_target() -> Q:
    fields = list(TARGET_FIELDS.values())
    condition = Q()
    for chosen in fields:
        only_this = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                only_this &= Q(**{f"{other}__isnull": True})
        condition |= only_this
    return condition


class Follow(models.Model):
    """``user`` follows one project, thread, partner, goal or hub.

    ``active=False`` records that the person stopped following: an automatic follow (from
    proposing, commenting or being a partner) is then not made again behind their back.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    project = models.ForeignKey(
        "projects.ProjectPage", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey("discussions.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    goal = models.ForeignKey("goals.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    active = models.BooleanField(default=True)
    automatic = models.BooleanField(
        default=False, help_text=_("Followed because the person proposed, commented or is a partner.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_target(), name="follow_exactly_one_target"),
            *[
                models.UniqueConstraint(
                    fields=["user", field], condition=Q(**{f"{field}__isnull": False}), name=f"follow_once_{field}"
                )
                for field in TARGET_FIELDS.values()
            ],
        ]
        indexes = [
            models.Index(fields=[field, "active"], name=f"follow_{field}_active") for field in TARGET_FIELDS.values()
        ]

    def __str__(self):
        return f"{self.user_id} → {self.target}"

    @property
    def target_kind(self) -> str:
        for kind, field in TARGET_FIELDS.items():
            if getattr(self, f"{field}_id") is not None:
                return kind
        raise ValueError("A follow without a target")

    @property
    def target(self):
        return getattr(self, TARGET_FIELDS[self.target_kind])


class EventKind(models.TextChoices):
    """What people are told about; each kind has its own e-mail preference."""

    COMMENT = "comment", _("New comments in discussions I follow")
    REPLY = "reply", _("Replies to my comments")
    MENTION = "mention", _("Mentions of me")
    PROJECT_UPDATE = "project_update", _("Progress updates on projects I follow")
    PROJECT_STATUS = "project_status", _("Status changes of projects I follow")
    NEW_PROJECT = "new_project", _("New projects under goals and hubs I follow")
    DECISION = "decision", _("Decisions on my applications and proposals")
    WAITING = "waiting", _("Items waiting for me as a coordinator")
    NEW_EVENT = "new_event", _("New events in hubs and projects I follow")
    EVENT_REMINDER = "event_reminder", _("Reminders of events I registered for")
    EVENT_REGISTRATION = "event_registration", _("Changes to my event registrations")
    CONSULTATION = "consultation", _("Consultations and their results")
    IDEA = "idea", _("Answers to ideas I posted or support")
    CHALLENGE = "challenge", _("Challenges I follow: new phases, answers and awards")


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


DEFAULT_FREQUENCIES = {
    EventKind.REPLY: EmailFrequency.IMMEDIATELY,
    EventKind.MENTION: EmailFrequency.IMMEDIATELY,
    EventKind.DECISION: EmailFrequency.IMMEDIATELY,
    # Applications, proposals and reports wait for a coordinator: they hear at once, as Wagtail's own
    # review e-mail used to tell them (those are no longer sent for proposals).
    EventKind.WAITING: EmailFrequency.IMMEDIATELY,
    # A reminder the day before, a seat from the waiting list or a cancelled event: of use only at once.
    EventKind.EVENT_REMINDER: EmailFrequency.IMMEDIATELY,
    EventKind.EVENT_REGISTRATION: EmailFrequency.IMMEDIATELY,
    # Equal treatment in a procurement: answers and results reach every supplier at once.
    EventKind.CHALLENGE: EmailFrequency.IMMEDIATELY,
}
DEFAULT_FREQUENCY = EmailFrequency.WEEKLY


class EmailPreference(models.Model):
    """How ``user`` wants e-mail about one kind of event; without a row, the default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(_("about"), max_length=20, choices=EventKind.choices)
    frequency = models.CharField(_("e-mail"), max_length=20, choices=EmailFrequency.choices)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user_id}: {self.kind} {self.frequency}"


class Inbox(models.Model):
    """A person's notification counter: the next notification (or read marking) takes last_seq + 1."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="inbox"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    # The number of the latest "marked as read", so a resuming browser learns of it.
    read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("inbox")
        verbose_name_plural = _("inboxes")

    def __str__(self):
        return f"{self.user_id} ({self.last_seq})"


class Notification(models.Model):
    """One thing one person is told. What it is about is kept as links, so the text is written in
    the reader's language when shown, and nothing is shown that the reader can no longer see."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    project = models.ForeignKey(
        "projects.ProjectPage", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey("discussions.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    comment = models.ForeignKey(
        "discussions.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    goal = models.ForeignKey("goals.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # Small facts the text needs (a new status, a decision), and where the notification leads.
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, help_text=_("Sent on its own or in a digest."))
    # Who is sending its e-mail now (notifications.emails.claim): a task's id, so that the same task
    # run again after its worker died takes its own claims back; free again once sent or failed.
    # A database default too: notifications are written by raw INSERT … SELECT (services._write).
    email_claim = models.CharField(max_length=64, blank=True, default="", db_default="")
    email_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-seq"]
        constraints = [models.UniqueConstraint(fields=["recipient", "seq"], name="notification_seq_per_recipient")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["emailed_at", "kind"], name="notification_email_due"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} #{self.seq}"
