"""Consultations (innspill): a question set a hub's coordinators put to people for a time, the
answers, the access codes for groups of children and young people, and the summary of what was heard.

Plain models, not Wagtail pages: a consultation is built in the coordinators' admin
(``consultations.admin``) and shown below its hub by hub routes (``consultations.views``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ResultsPolicy(models.TextChoices):
    PUBLIC_AFTER_CLOSE = "public", _("Public after the consultation closes")
    COORDINATORS = "coordinators", _("Only for coordinators")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating scale (1–5)")
    RANKING = "ranking", _("Ranking (order the options)")


OPTION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
RATING_MIN, RATING_MAX = 1, 5


class AgeBand(models.TextChoices):
    UNDER_10 = "u10", _("Under 10")
    AGE_10_12 = "10-12", _("10–12")
    AGE_13_15 = "13-15", _("13–15")
    AGE_16_18 = "16-18", _("16–18")
    AGE_19_25 = "19-25", _("19–25")
    OVER_25 = "o25", _("Over 25")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Consultation(models.Model):
    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="consultations")
    project = models.ForeignKey(
        "projects.ProjectPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("project"),
        help_text=_("Optional: a project in this hub the consultation is about."),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Why you ask and what happens next."))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    results_policy = models.CharField(
        _("results"), max_length=20, choices=ResultsPolicy.choices, default=ResultsPolicy.PUBLIC_AFTER_CLOSE
    )
    plain_language = models.BooleanField(
        _("plain language"),
        default=False,
        help_text=_("Short sentences and large controls, for children and young people."),
    )
    summary = models.TextField(
        _("what we heard, what we will do"), blank=True, help_text=_("Markdown. Shown on the results page.")
    )
    summary_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Followers hear of the summary once, even if it is unpublished and published again.
    summary_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    opened_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
        if self.project_id and self.hub_id:
            hub = self.project.get_hub()
            if hub is None or hub.pk != self.hub_id:
                raise ValidationError({"project": _("Choose a project in this hub.")})

    def has_opened(self, now=None) -> bool:
        return (now or timezone.now()) >= self.opens_at

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def summary_published(self) -> bool:
        return self.summary_published_at is not None


class Question(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    low_label = models.CharField(_("label for 1"), max_length=60, blank=True)
    high_label = models.CharField(_("label for 5"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def has_options(self) -> bool:
        return self.kind in OPTION_KINDS


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(_("option"), max_length=200)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class AccessCode(models.Model):
    """A code a teacher hands to a group: it lets people without an account answer once per device.

    Stored in plain text so that the coordinator can read it again: 8 characters from a 31-letter
    alphabet (about 8.5 × 10^11 codes), entry attempts rate-limited, valid only until it expires.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="access_codes")
    label = models.CharField(_("group"), max_length=120, help_text=_("For example “7B Ålesund ungdomsskole”."))
    code = models.CharField(max_length=16, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    max_answers = models.PositiveIntegerField(_("at most this many answers"), default=35)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.label

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class Response(models.Model):
    """One person's answers: per account, or per access code and device session (never both)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="consultation_responses"
    )
    access_code = models.ForeignKey(
        AccessCode, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    # A hash of the device session's key, never the key itself: enough to recognise the same device.
    session_hash = models.CharField(max_length=64, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], condition=models.Q(user__isnull=False), name="one_response_per_user"
            ),
            models.UniqueConstraint(
                fields=["consultation", "access_code", "session_hash"],
                condition=models.Q(access_code__isnull=False),
                name="one_response_per_code_session",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) | models.Q(access_code__isnull=True),
                name="response_by_user_or_code",
            ),
        ]

    def __str__(self):
        return f"{self.consultation_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    # Chosen option ids; for a ranking, all of them, first place first.
    option_ids = models.JSONField(default=list, blank=True)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.APPROVED)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"
