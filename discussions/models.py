"""Discussions: a thread per published project and a forum of topics per hub, with comments.

Every change in a thread (a comment created, edited, deleted, hidden or shown again; the thread
locked or unlocked) takes the thread's next sequence number (``Thread.last_seq``), and the changed
row stores it (``Comment.seq`` with ``Comment.last_change``; ``Thread.lock_seq``). A browser that
has applied every change up to *n* is brought up to date from the database by the rows whose
number is above *n*: see ``docs/live-protocol.md``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import INTRO_RICH_TEXT_FEATURES
from cms.models import HubSectionMixin
from cms.search_text import NormalisedSearchMixin, normalised_search_fields


class ChangeType(models.TextChoices):
    """What happened, as the live protocol names it (the ``type`` of an event)."""

    COMMENT_CREATED = "comment.created", _("Comment posted")
    COMMENT_EDITED = "comment.edited", _("Comment edited")
    COMMENT_DELETED = "comment.deleted", _("Comment deleted")
    COMMENT_HIDDEN = "comment.hidden", _("Comment hidden")
    COMMENT_UNHIDDEN = "comment.unhidden", _("Comment shown again")
    THREAD_LOCKED = "thread.locked", _("Thread locked")
    THREAD_UNLOCKED = "thread.unlocked", _("Thread unlocked")


class ForumIndexPage(HubSectionMixin, RoutablePageMixin, Page):
    """A hub's forum (``<hub>/forum/``): topics opened by registered users, newest activity first.

    ``HubSectionMixin`` comes first so the hub's language wraps the routes (see ``ProjectIndexPage``).
    """

    intro = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, "intro"]
    parent_page_types = ["cms.HubPage"]
    subpage_types = []
    max_count_per_parent = 1
    # The label a new hub's menu gives this page, in each language (cms.services.hub_menu_seed).
    menu_label = _("Forum")

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    # Which forums are private is cached (discussions.permissions.forum_audiences, ``tree``).
    changes_tree_when_live_changes = True

    # The views import services and forms, which import these models: imported late.

    @path("", name="list")
    def list_route(self, request):
        from discussions.views import forum

        return forum.forum_index(request, self)

    @path("new/", name="new_topic")
    def new_topic_route(self, request):
        from discussions.views import forum

        return forum.forum_topic_new(request, self)

    @path("<int:thread_id>/", name="topic")
    def topic_route(self, request, thread_id):
        from discussions.views import forum

        return forum.forum_topic(request, self, thread_id)


class Thread(NormalisedSearchMixin, index.Indexed, models.Model):
    """A conversation: the one of a project (``project`` set) or a topic in a hub's forum."""

    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="threads", verbose_name=_("hub"))
    project = models.OneToOneField(
        "projects.ProjectPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discussion",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False, help_text=_("Nobody can comment in a locked thread."))
    # The number of the latest change in this thread; the next change takes last_seq + 1.
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    # The number of the latest lock or unlock, so a resuming browser learns of it too.
    lock_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-pinned", "-last_activity_at"]

    # Site search (sitesearch) finds forum topics by title; who may see them is decided when searching.
    search_fields = normalised_search_fields([index.SearchField("title", boost=2)])

    def __str__(self):
        return self.title

    @property
    def group_name(self) -> str:
        """The channel-layer group of this thread's live updates."""
        return thread_group_name(self.pk)


def thread_group_name(thread_id: int) -> str:
    return f"thread-{thread_id}"


class Comment(NormalisedSearchMixin, index.Indexed, models.Model):
    """One comment. ``html`` is ``body`` (a small Markdown subset) rendered and sanitised once, on write."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments", verbose_name=_("thread"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussion_comments",
        verbose_name=_("author"),
    )
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    body = models.TextField(_("text"))
    html = models.TextField(editable=False)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="discussion_mentions", verbose_name=_("mentioned")
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_automatically = models.BooleanField(
        _("hidden by reports"), default=False, help_text=_("Hidden because enough people reported it.")
    )
    # The thread's sequence number of this comment's latest change, and what that change was.
    seq = models.PositiveBigIntegerField(editable=False)
    last_change = models.CharField(max_length=20, choices=ChangeType.choices, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "seq"], name="comment_thread_seq")]

    # Site search finds comments by their text; hidden and deleted ones are left out when searching.
    search_fields = normalised_search_fields([index.SearchField("body")])

    def __str__(self):
        return f"#{self.pk} ({self.thread_id})"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class CommentRevision(models.Model):
    """An earlier wording of an edited comment, kept for moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self):
        return f"{self.comment_id} @ {self.written_at:%Y-%m-%d %H:%M}"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Harassment, hate or threats")
    PERSONAL_DATA = "personal_data", _("Shares someone's personal information")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class CommentReport(models.Model):
    """Someone's report of a comment; open until a coordinator decides on the comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reported by")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person")]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.comment_id})"


class CommentingSuspension(models.Model):
    """A coordinator stops someone from commenting in their hub until ``ends_at``."""

    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("hub"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="commenting_suspensions",
        verbose_name=_("person"),
    )
    starts_at = models.DateTimeField(_("from"), auto_now_add=True)
    ends_at = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("commenting suspension")
        verbose_name_plural = _("commenting suspensions")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.user} ({self.ends_at:%Y-%m-%d})"


class ModerationActionKind(models.TextChoices):
    HIDE = "hide", _("Hid a comment")
    UNHIDE = "unhide", _("Showed a comment again")
    AUTO_HIDE = "auto_hide", _("Comment hidden after reports")
    DISMISS_REPORTS = "dismiss_reports", _("Dismissed reports")
    LOCK = "lock", _("Locked a thread")
    UNLOCK = "unlock", _("Unlocked a thread")
    PIN = "pin", _("Pinned a thread")
    UNPIN = "unpin", _("Unpinned a thread")
    SUSPEND = "suspend", _("Suspended from commenting")
    LIFT_SUSPENSION = "lift_suspension", _("Lifted a suspension")


class ModerationAction(models.Model):
    """The log of moderation in a hub: who did what, when and why. Never edited."""

    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("hub"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the site acted on its own (hidden after reports)."),
    )
    kind = models.CharField(_("action"), max_length=20, choices=ModerationActionKind.choices)
    thread = models.ForeignKey(Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concerning"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.get_kind_display()
