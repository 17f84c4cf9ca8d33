"""Ideas: what citizens and partners suggest for their hub, supported by others, discussed in a
thread, answered publicly by the hub's coordinators and perhaps turned into a project proposal.

An idea is a plain model, not a Wagtail page: it is user-generated content, visible as soon as it is
posted (like a comment), and a coordinator hides an abusive one (with a reason) rather than approving
every one first. ``html`` is ``text`` rendered through the site's Markdown subset and sanitised once,
on write; the same for the coordinators' ``answer``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 3000


class IdeaStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    TAKEN_FORWARD = "taken_forward", _("Taken forward")
    NOT_NOW = "not_now", _("Not now")


def idea_picture_path(instance, filename: str) -> str:
    # The file is re-encoded by us (accounts.images): only its random name is used.
    return f"ideas/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class Idea(models.Model):
    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="ideas", verbose_name=_("hub"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    html = models.TextField(editable=False, blank=True)
    goals = models.ManyToManyField("goals.Goal", blank=True, related_name="ideas", verbose_name=_("goals"))
    picture = models.ImageField(_("picture"), upload_to=idea_picture_path, blank=True)
    picture_description = models.CharField(
        _("picture description"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answer_html = models.TextField(editable=False, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), max_length=1000, blank=True)
    thread = models.OneToOneField(
        "discussions.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea",
        verbose_name=_("discussion"),
    )
    project = models.ForeignKey(
        "projects.ProjectPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("project"),
    )
    # A challenge made from the idea links back through ``Challenge.source_idea`` (``idea.challenge``).
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def get_url(self, request=None) -> str:
        return f"{self.hub.get_url(request)}ideas/{self.pk}/"


class IdeaSupport(models.Model):
    """One person's support of an idea; withdrawn by deleting it."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("supported"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_person")]

    def __str__(self):
        return f"{self.user_id} → {self.idea_id}"
