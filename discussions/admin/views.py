"""The coordinators' moderation of discussions in the Wagtail admin: the queue and the dashboard panel.

The queue lists the comments that wait for a decision in the hubs someone coordinates (every hub
for site administrators): comments with open reports, and comments hidden because enough people
reported them. Each decision is a POST (with CSRF) to the queue itself that calls the service
(``comment_hide``, ``comment_unhide``, ``reports_dismiss``), which checks the permission again and
logs who, when and why. Threads, suspensions and the moderation log are viewsets in
``discussions.admin.viewsets``, the forms in ``discussions.admin.forms``.

Registered under ``/admin/discussions/`` by ``discussions.wagtail_hooks`` (so Wagtail's admin
login applies first); coordinators of one hub never see or act on another hub's comments.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.admin.access import coordinated_hubs, forbidden
from cms.forms import add_service_errors
from cms.models import HubPage
from discussions import services
from discussions.admin.access import can_use_discussions_admin, comments_in_scope, sees_every_hub
from discussions.admin.forms import CommentDecisionForm, QueueFilterForm
from discussions.models import Comment, CommentReport, CommentRevision, ForumIndexPage, Thread
from discussions.owners import owner_fields
from discussions.selectors import thread_page_url, waiting_comment_q

QUEUE_URL_NAME = "discussions_admin_queue"
QUEUE_PAGE_SIZE = 20
DASHBOARD_PANEL_LIMIT = 5


def waiting_comments(user, *, hub: HubPage | None = None) -> QuerySet[Comment]:
    """Comments waiting for a coordinator in ``user``'s hubs: with open reports, or hidden by reports."""
    comments = comments_in_scope(user).filter(waiting_comment_q())
    if hub is not None:
        comments = comments.filter(thread__hub=hub)
    return comments


def waiting_count(user) -> int:
    """How many comments wait in ``user``'s hubs (the menu label and the dashboard ask on every page)."""
    if not can_use_discussions_admin(user):
        return 0
    return waiting_comments(user).count()


def moderation_queue(user, *, hub: HubPage | None = None) -> QuerySet[Comment]:
    """The queue with what each row shows, the comment reported first at the top."""
    return (
        waiting_comments(user, hub=hub)
        .annotate(
            first_reported_at=Min("reports__created_at", filter=Q(reports__resolved_at__isnull=True)),
            open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
        )
        .select_related("author", "thread__hub", "thread__project", *owner_fields("thread__"))
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at__isnull=True)
                .select_related("reporter")
                .order_by("created_at", "pk"),
                to_attr="open_reports",
            ),
            Prefetch("revisions", queryset=CommentRevision.objects.order_by("-written_at", "-pk")),
        )
        .order_by(F("first_reported_at").asc(nulls_first=True), "pk")
    )


@dataclass
class ReportBurst:
    hub: HubPage
    person: object
    count: int


def report_bursts(user) -> list[ReportBurst]:
    """People in ``user``'s hubs whose comments drew at least ``DISCUSSIONS_REPORT_BURST`` reports in
    the last ``DISCUSSIONS_REPORT_BURST_MINUTES``: flagged at the top of the queue."""
    since = timezone.now() - timedelta(minutes=settings.DISCUSSIONS_REPORT_BURST_MINUTES)
    scope = Q() if sees_every_hub(user) else Q(comment__thread__hub__in=coordinated_hubs(user))
    rows = list(
        CommentReport.objects.filter(scope, created_at__gte=since, comment__author__isnull=False)
        .values("comment__author", "comment__thread__hub")
        .annotate(count=Count("pk"))
        .filter(count__gte=settings.DISCUSSIONS_REPORT_BURST)
        .order_by("-count")
    )
    if not rows:
        return []
    people = get_user_model().objects.in_bulk({row["comment__author"] for row in rows})
    hubs = HubPage.objects.in_bulk({row["comment__thread__hub"] for row in rows})
    return [
        ReportBurst(hub=hubs[row["comment__thread__hub"]], person=people[row["comment__author"]], count=row["count"])
        for row in rows
    ]


def forums_by_hub(hubs) -> dict[int, ForumIndexPage]:
    """Each hub's live forum page, by hub id (one query for all of them)."""
    hubs = [hub for hub in hubs if hub is not None]
    if not hubs:
        return {}
    under = Q()
    for hub in hubs:
        under |= Q(path__startswith=hub.path, depth=hub.depth + 1)
    by_path = {hub.path: hub.pk for hub in hubs}
    forums = {}
    for forum in ForumIndexPage.objects.live().filter(under):
        hub_id = by_path.get(forum.path[: -ForumIndexPage.steplen])
        if hub_id is not None:
            forums[hub_id] = forum
    return forums


def thread_public_url(thread: Thread, request, forums: dict[int, ForumIndexPage]) -> str:
    """Where readers see ``thread``: its project's page at ``#discussion``, or its topic page."""
    url = thread_page_url(thread, request, forum=forums.get(thread.hub_id))
    if not url:
        return ""
    return f"{url}#discussion" if thread.project_id is not None else url


def author_name(user) -> str:
    if user is None:
        return _("Former user")
    return user.display_name or user.email


# --- The queue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A decision on a comment, as a button in its row."""

    action: str
    label: Promise
    done: Promise
    dangerous: bool = False


HIDE = Decision("hide", gettext_lazy("Hide"), gettext_lazy("The comment is hidden."), dangerous=True)
KEEP_HIDDEN = Decision("hide", gettext_lazy("Keep hidden"), gettext_lazy("The comment stays hidden."), dangerous=True)
UNHIDE = Decision("unhide", gettext_lazy("Show again"), gettext_lazy("The comment is shown again."))
DISMISS = Decision("dismiss", gettext_lazy("Dismiss reports"), gettext_lazy("The reports are dismissed."))


def decisions_for(comment: Comment) -> list[Decision]:
    """What a coordinator can decide on ``comment`` now."""
    if comment.is_deleted:
        return [DISMISS]
    if comment.is_hidden and comment.hidden_automatically:
        return [KEEP_HIDDEN, UNHIDE]
    if comment.is_hidden:
        return [UNHIDE]
    return [HIDE, DISMISS]


@dataclass
class QueueRow:
    comment: Comment
    public_url: str
    thread_admin_url: str
    suspend_url: str
    decisions: list[Decision]
    form: CommentDecisionForm

    @property
    def panel_id(self) -> str:
        return f"comment-{self.comment.pk}"

    @property
    def heading(self) -> str:
        return _("%(author)s in “%(thread)s”") % {
            "author": author_name(self.comment.author),
            "thread": self.comment.thread.title,
        }

    @property
    def status(self) -> str:
        comment = self.comment
        if comment.is_deleted:
            return _("Deleted by its author")
        if comment.is_hidden and comment.hidden_automatically:
            return _("Hidden by reports, waiting for your decision")
        if comment.is_hidden:
            return _("Hidden by a moderator")
        return _("Visible")

    @property
    def reports(self) -> list[CommentReport]:
        return self.comment.open_reports

    @property
    def revisions(self) -> list[CommentRevision]:
        return list(self.comment.revisions.all())


class ModerationQueueView(WagtailAdminTemplateMixin, TemplateView):
    """Reported comments in the hubs this person coordinates, with the decisions open on each."""

    template_name = "discussions/admin/queue.html"
    page_title = gettext_lazy("Moderation queue")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_discussions_admin(request.user):
            return forbidden(request)
        self.filter_form = QueueFilterForm(request.GET or None, user=request.user)
        self.hub = self.filter_form.cleaned_data["hub"] if self.filter_form.is_valid() else None
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, bound_form: CommentDecisionForm | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        queue = moderation_queue(self.request.user, hub=self.hub)
        page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("p"))
        comments = list(page.object_list)
        forums = forums_by_hub({comment.thread.hub for comment in comments})
        rows = []
        for comment in comments:
            form = bound_form
            if form is None or form.initial.get("comment") != comment.pk:
                form = CommentDecisionForm(comment_id=comment.pk)
            suspend_query = f"?hub={comment.thread.hub_id}&user={comment.author_id}" if comment.author_id else ""
            rows.append(
                QueueRow(
                    comment=comment,
                    public_url=thread_public_url(comment.thread, self.request, forums),
                    thread_admin_url=reverse("discussion_thread_admin:inspect", args=[comment.thread_id]),
                    suspend_url=reverse("commenting_suspension_admin:add") + suspend_query if suspend_query else "",
                    decisions=decisions_for(comment),
                    form=form,
                )
            )
        context.update(
            rows=rows,
            page_obj=page,
            waiting_count=page.paginator.count,
            filter_form=self.filter_form,
            hub=self.hub,
            log_url=reverse("moderation_log_admin:index"),
            report_bursts=report_bursts(self.request.user),
            burst_minutes=settings.DISCUSSIONS_REPORT_BURST_MINUTES,
        )
        return context

    def post(self, request, *args, **kwargs):
        comment = get_object_or_404(
            comments_in_scope(request.user).select_related("thread__hub"), pk=request.POST.get("comment") or 0
        )
        form = CommentDecisionForm(request.POST, comment_id=comment.pk)
        if form.is_valid():
            action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
            try:
                if action == "hide":
                    services.comment_hide(actor=request.user, comment=comment, reason=reason)
                elif action == "unhide":
                    services.comment_unhide(actor=request.user, comment=comment, reason=reason)
                else:
                    services.reports_dismiss(actor=request.user, comment=comment, reason=reason)
            except PermissionDenied:
                return forbidden(request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                done = {decision.action: decision.done for decision in decisions_for(comment)}
                messages.success(request, str(done.get(action, _("Done."))))
                return redirect(request.get_full_path())
        for error in form.non_field_errors():
            messages.error(request, error)
        if form.errors and not form.non_field_errors():
            messages.error(request, _("The decision was not saved: see the comment below."))
        return self.render_to_response(self.get_context_data(bound_form=form), status=400)


# --- The dashboard --------------------------------------------------------------------------------


class ModerationQueuePanel(Component):
    """The admin dashboard's panel: how many comments wait for a decision in one's hubs."""

    name = "discussions_moderation"
    template_name = "discussions/admin/dashboard_panel.html"
    order = 100

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        queue = moderation_queue(self.request.user)
        context.update(
            waiting_count=waiting_count(self.request.user),
            waiting=list(queue.prefetch_related(None).select_related("thread__hub")[:DASHBOARD_PANEL_LIMIT]),
            queue_url=reverse(QUEUE_URL_NAME),
        )
        return context
