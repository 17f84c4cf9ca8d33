"""Challenges: a municipality's need put to the market (innovation procurement).

A challenge is a plain model on a hub, served as hub routes (``<hub>/challenges/<slug>/``), not a
Wagtail page: almost everything hanging off it (questions, confidential submissions, scores, the
decision log) is user-generated data whose visibility is per person, which Wagtail's page tree,
search index and cache would only get in the way of. Its own publication is a small state machine
(draft → submitted for approval → published) decided by the hub's coordinators.

Submissions and everything about them are confidential: they are never indexed, listed publicly,
exposed in the API or feeds; ``challenges.permissions`` says who sees what.
"""

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.validators import validate_organisation_number

NOTICE_URL = "https://www.doffin.no/notices/{notice_id}"
NOTICE_ID_PATTERN = re.compile(r"^\d{4}-\d{3,9}$")


class Phase(models.TextChoices):
    NEED = "need", _("Need described")
    DIALOGUE = "dialogue", _("Market dialogue")
    COMPETITION = "competition", _("Competition")
    EVALUATION = "evaluation", _("Evaluation")
    AWARDED = "awarded", _("Awarded")
    IN_USE = "in_use", _("In use")
    FOLLOWED_UP = "followed_up", _("Followed up")


PHASE_ORDER = [phase.value for phase in Phase]


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    PUBLISHED = "published", _("Published")


class Maturity(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Pilot")
    MARKET_READY = "market_ready", _("Market-ready")


validate_notice_id = RegexValidator(
    NOTICE_ID_PATTERN,
    _("Give the notice id as it appears in the notice database, for example 2026-123456."),
    code="notice_id",
)


class Challenge(models.Model):
    hub = models.ForeignKey("cms.HubPage", verbose_name=_("hub"), on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    summary = models.CharField(_("summary"), max_length=400)
    need = models.TextField(_("the need"), max_length=20_000, help_text=_("In plain language (Markdown)."))
    owner_unit = models.CharField(_("who has the need"), max_length=200, help_text=_("The municipal unit."))
    owner_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("owning partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_challenges",
    )
    why = models.TextField(_("why it matters"), max_length=5_000, blank=True)
    primary_goal = models.ForeignKey(
        "goals.Goal", verbose_name=_("primary goal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    targets = models.ManyToManyField("goals.Target", verbose_name=_("targets"), blank=True, related_name="challenges")
    indicators = models.ManyToManyField(
        "indicators.Indicator", verbose_name=_("indicators"), blank=True, related_name="challenges"
    )
    budget_min = models.PositiveIntegerField(_("budget from (NOK)"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("budget up to (NOK)"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.NEED)
    publication = models.CharField(
        _("publication"), max_length=16, choices=Publication.choices, default=Publication.DRAFT
    )
    notice_id = models.CharField(
        _("notice id"), max_length=20, blank=True, validators=[validate_notice_id],
        help_text=_("The id of the public notice in the national procurement notice database."),
    )  # fmt: skip
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    documents = models.ManyToManyField(
        "wagtaildocs.Document", verbose_name=_("documents"), blank=True, through="ChallengeDocument"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    awarded_submission = models.ForeignKey(
        "Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    award_summary = models.TextField(_("award summary"), max_length=5_000, blank=True)
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    # --- The editor (challenges.editor_views): where the need came from. ---
    source_idea = models.OneToOneField(
        "ideas.Idea",
        verbose_name=_("started as the idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenge",
    )

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["hub", "slug"], name="challenge_slug_unique_in_hub")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.budget_min is not None and self.budget_max is not None and self.budget_max < self.budget_min:
            raise ValidationError({"budget_max": _("The upper budget must not be below the lower one.")})

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def notice_url(self) -> str:
        return NOTICE_URL.format(notice_id=self.notice_id) if self.notice_id else ""

    @property
    def deadline_passed(self) -> bool:
        return self.submission_deadline is not None and timezone.now() >= self.submission_deadline

    @property
    def url(self) -> str:
        return f"{self.hub.url}challenges/{self.slug}/"

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)


class PhaseDate(models.Model):
    """When a phase starts (planned, or the day it did)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="phase_dates")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    starts_on = models.DateField(_("starts on"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "phase"], name="challenge_phase_date_unique")]

    def __str__(self):
        return f"{self.phase} {self.starts_on}"


class ChallengeDocument(models.Model):
    """A Wagtail document shown on the challenge, in order (the editor uploads them).

    Wagtail serves documents at public addresses: only what may be public (procurement documents)
    belongs here, never anything confidential."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="challenge_links")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "document"], name="challenge_document_once"),
        ]

    def __str__(self):
        return f"{self.challenge_id}: {self.document_id}"


class Requirement(models.Model):
    """A functional requirement: every solution answers each one."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="requirements")
    text = models.CharField(_("requirement"), max_length=500)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text


class ChallengeFollow(models.Model):
    """Someone told when the challenge moves on (notifications' ``Follow`` cannot target a challenge)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="challenge_follow_unique")]

    def __str__(self):
        return f"{self.user_id} → {self.challenge_id}"


class Question(models.Model):
    """A supplier's question in the market dialogue: seen by the asker and coordinators until published."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, blank=True, validators=[validate_organisation_number]
    )
    text = models.TextField(_("question"), max_length=4_000)
    anonymous = models.BooleanField(_("publish without my name"), default=False)
    answer = models.TextField(_("answer"), max_length=8_000, blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self):
        return self.text[:60]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def _attachment_path(instance, filename):
    # Unguessable folder: attachments are served only through the permission-checked view.
    return f"challenges/submissions/{uuid.uuid4().hex}/{filename}"


class Submission(models.Model):
    """A confidential solution proposal from one organisation."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="submissions")
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="challenge_submissions"
    )
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, validators=[validate_organisation_number]
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000)
    maturity = models.CharField(_("maturity"), max_length=16, choices=Maturity.choices)
    price_indication = models.CharField(_("price indication"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "organisation_number"], name="one_submission_per_organisation")
        ]

    def __str__(self):
        return self.organisation_name


class RequirementAnswer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("how the solution meets it"), max_length=4_000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "requirement"], name="one_answer_per_requirement")]

    def __str__(self):
        return self.text[:60]


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    name = models.CharField(max_length=200)

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A weighted evaluation criterion, fixed before the deadline."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Evaluator(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="evaluator_unique")]

    def __str__(self):
        return f"{self.user_id} @ {self.challenge_id}"


class Declaration(models.Model):
    """An evaluator's impartiality declaration for one submission; a conflict excludes them from scoring it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="declarations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conflict = models.BooleanField(_("I have a conflict of interest"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "evaluator"], name="one_declaration")]

    def __str__(self):
        return f"{self.evaluator_id} / {self.submission_id}"


class Score(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(10)])
    justification = models.TextField(_("justification"), max_length=4_000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "criterion", "evaluator"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.value}"


class DecisionAction(models.TextChoices):
    CRITERIA_LOCKED = "criteria_locked", _("Criteria locked")
    AWARDED = "awarded", _("Awarded")
    PHASE = "phase", _("Phase changed")


class DecisionLogEntry(models.Model):
    """Append-only: what was decided, by whom, why. Never changed or deleted."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="decision_log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32, choices=DecisionAction.choices)
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(max_length=8_000)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The decision log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The decision log is append-only.")


# --- Market dialogue: meetings and one-to-one slots (``challenges.dialogue``) --------------------


class DialogueMeeting(models.Model):
    """A dialogue conference of a challenge: an ``events`` event of the challenge's hub, whose page
    and registration (capacity, waiting list) are the events app's."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="dialogue_meetings")
    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="challenge_meeting")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")

    def __str__(self):
        return f"{self.challenge_id}: {self.event_id}"


SLOT_MINUTES_MIN, SLOT_MINUTES_MAX = 10, 180
SLOTS_MAX = 40


class SlotSeries(models.Model):
    """A row of one-to-one meeting slots of the same length (equal treatment of suppliers): made
    once by a coordinator, each slot booked by at most one organisation, each organisation booking
    at most one slot. After the meetings the coordinator publishes a summary."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="slot_series")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("first meeting starts"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of each meeting (minutes)"),
        validators=[MinValueValidator(SLOT_MINUTES_MIN), MaxValueValidator(SLOT_MINUTES_MAX)],
    )
    pause_minutes = models.PositiveSmallIntegerField(
        _("pause between meetings (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    slot_count = models.PositiveSmallIntegerField(
        _("number of meetings"), validators=[MinValueValidator(1), MaxValueValidator(SLOTS_MAX)]
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    booking_closes_at = models.DateTimeField(
        _("booking and cancelling close"),
        help_text=_("The same for everyone; at the latest when the first meeting starts."),
    )
    summary = models.TextField(_("summary"), max_length=20_000, blank=True, help_text=_("Markdown."))
    summary_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("series of one-to-one meetings")
        verbose_name_plural = _("series of one-to-one meetings")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if not self.place.strip() and not self.online_url:
            errors["place"] = _("Give a place or an online link.")
        if self.starts_at and self.booking_closes_at and self.booking_closes_at > self.starts_at:
            errors["booking_closes_at"] = _("Booking must close at the latest when the first meeting starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def ends_at(self):
        """When the last meeting ends."""
        step = self.slot_minutes + self.pause_minutes
        return self.starts_at + timedelta(minutes=step * (self.slot_count - 1) + self.slot_minutes)

    @property
    def booking_open(self) -> bool:
        return timezone.now() < self.booking_closes_at

    @property
    def meetings_over(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def summary_published(self) -> bool:
        return self.summary_published_at is not None


class MeetingSlot(models.Model):
    """One meeting of a series; its length is the series' (``slot_minutes``), never its own."""

    series = models.ForeignKey(SlotSeries, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["series", "starts_at"], name="meeting_slot_unique_start")]

    def __str__(self):
        return f"{self.series_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.series.slot_minutes)


class SlotBooking(models.Model):
    """An organisation's booking of one slot. Confidential: who booked is seen by the challenge's
    coordinators and evaluators and the booking organisation's people only. Cancelling deletes it."""

    slot = models.OneToOneField(MeetingSlot, on_delete=models.CASCADE, related_name="booking")
    series = models.ForeignKey(SlotSeries, on_delete=models.CASCADE, related_name="bookings")
    booker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="challenge_slot_bookings"
    )
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, validators=[validate_organisation_number]
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "organisation_number"], name="one_slot_per_organisation")
        ]

    def __str__(self):
        return f"{self.organisation_name} @ {self.slot_id}"
