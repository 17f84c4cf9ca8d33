"""Who may do what in discussions: the one place these rules live.

Views, templates, the consumer, the Wagtail admin and the services all ask these predicates. A
thread's hub is ``Thread.hub``; coordinators of one hub never moderate another hub's threads.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.request_memo import remembered
from cms import dependency
from cms.permissions import is_hub_coordinator
from cms.restrictions import PageAudience, audience_allows, page_audience
from cms.versioned_cache import versioned
from discussions.models import Comment, CommentingSuspension, ForumIndexPage, Thread
from discussions.owners import owner_of
from partners.models import PartnerMember

AnyUser = AbstractBaseUser | AnonymousUser | None


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def has_verified_email(user: AnyUser) -> bool:
    return _active(user) and remembered(
        user, "discussions:verified", lambda: EmailAddress.objects.filter(user=user, verified=True).exists()
    )


def current_suspension(user: AnyUser, hub_id: int) -> CommentingSuspension | None:
    """The suspension in force for ``user`` in the hub (the one that ends last), or None."""
    if not _active(user):
        return None

    def find() -> CommentingSuspension | None:
        now = timezone.now()
        return (
            CommentingSuspension.objects.filter(
                user=user, hub_id=hub_id, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True
            )
            .order_by("-ends_at")
            .first()
        )

    return remembered(user, ("discussions:suspension", hub_id), find)


def is_suspended(user: AnyUser, hub_id: int) -> bool:
    """A suspension that has started, not ended and not been lifted stops ``user`` commenting in the hub."""
    return current_suspension(user, hub_id) is not None


def can_moderate_thread(user: AnyUser, thread: Thread) -> bool:
    """Hide and show comments, lock and pin threads, suspend people: the thread's hub's coordinators."""
    return is_hub_coordinator(user, thread.hub)


def forum_page_of(thread: Thread):
    """The page a forum topic belongs to: its hub's forum (live or not); the hub itself when the hub
    has no forum page (the topic then shows nowhere but is as private as its hub)."""
    hub = thread.hub
    forum = versioned(
        f"forum-page:{hub.pk}:{hub.path}",
        lambda: ForumIndexPage.objects.child_of(hub).first(),
        depends_on=(f"hub:{hub.pk}",),
    )
    return forum if forum is not None else hub


def forum_audiences() -> dict[int, PageAudience]:
    """The audience of every hub's forum that not everyone may see (unpublished, or under a view
    restriction of its own or an ancestor's), by hub id; from the versioned cache (publishing,
    unpublishing, moving pages and changing restrictions change the version)."""

    def compute() -> dict[int, PageAudience]:
        audiences = {}
        for forum in ForumIndexPage.objects.all():
            audience = page_audience(forum)
            if not audience.public:
                audiences[forum.path[: -forum.steplen]] = audience
        if not audiences:
            return {}
        from cms.models import HubPage

        hubs = dict(HubPage.objects.filter(path__in=list(audiences)).values_list("path", "pk"))
        return {hubs[path]: audience for path, audience in audiences.items() if path in hubs}

    return versioned("forum-audiences", compute, depends_on=[dependency.TREE])


def thread_audience(thread: Thread) -> PageAudience:
    """Who may see the page ``thread`` belongs to (its project's page, or its hub's forum)."""
    if thread.project_id is not None:
        return page_audience(thread.project)
    owned = owner_of(thread)
    if owned is not None:
        owner, subject = owned
        return page_audience(owner.audience_page(subject))
    return page_audience(forum_page_of(thread))


def can_view_thread(user: AnyUser, thread: Thread, session=None) -> bool:
    """A thread is visible exactly when the page it belongs to is: its project's page (a draft's or a
    proposal's thread only to the project's people), or its hub's forum page; unpublished pages and
    view restrictions (on the page or above it) included. ``session`` is the visitor's (request or
    websocket), where Wagtail records the password restrictions they passed; without it no password
    restriction is passed."""
    if thread.project_id is not None:
        from projects.permissions import can_view_project

        project = thread.project
        if not project.live:
            return can_view_project(user, project) and audience_allows(
                page_audience(project, require_live=False), user, session
            )
        return audience_allows(page_audience(project), user, session)
    owned = owner_of(thread)
    if owned is not None and not owned[0].can_view(user, owned[1]):
        return False
    return audience_allows(thread_audience(thread), user, session)


def can_comment(user: AnyUser, thread: Thread, session=None) -> bool:
    """Registered people with a verified address, who can see the thread, are not suspended in its hub,
    and the thread is open (its coordinators may still write in a locked thread)."""
    if not has_verified_email(user) or not can_view_thread(user, thread, session):
        return False
    if can_moderate_thread(user, thread):
        return True
    return not thread.locked and not is_suspended(user, thread.hub_id)


def why_not_comment(user: AnyUser, thread: Thread) -> str:
    """Why ``user`` cannot comment in ``thread``, in words they can act on (views and services say it)."""
    if user is None or not user.is_authenticated:
        return _("Log in to comment.")
    if not has_verified_email(user):
        return _("Confirm your e-mail address before you comment.")
    if thread.locked:
        return _("This thread is locked: nobody can comment in it.")
    suspension = current_suspension(user, thread.hub_id)
    if suspension is not None:
        return suspension_message(suspension)
    return _("You cannot comment in this thread.")


def suspension_until(suspension: CommentingSuspension) -> str:
    """When the suspension ends, as the reader's language writes a date and time."""
    return date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")


def suspension_message(suspension: CommentingSuspension, *, topic: bool = False) -> str:
    """Tell a suspended person until when, and why (the reason the coordinator gave)."""
    values = {"until": suspension_until(suspension), "reason": suspension.reason.strip()}
    if topic:
        if values["reason"]:
            return (
                _(
                    "A coordinator has suspended you from opening topics and commenting in this hub until %(until)s. "
                    "Reason: %(reason)s"
                )
                % values
            )
        return (
            _("A coordinator has suspended you from opening topics and commenting in this hub until %(until)s.")
            % values
        )
    if values["reason"]:
        return (
            _("A coordinator has suspended you from commenting in this hub until %(until)s. Reason: %(reason)s")
            % values
        )
    return _("A coordinator has suspended you from commenting in this hub until %(until)s.") % values


def can_open_topic(user: AnyUser, hub) -> bool:
    """Forum topics are opened by the same people who may comment in the hub."""
    if not has_verified_email(user):
        return False
    return is_hub_coordinator(user, hub) or not is_suspended(user, hub.pk)


def can_edit_comment(user: AnyUser, comment: Comment, session=None) -> bool:
    """Authors edit their own visible comments while they could still comment in the thread."""
    return (
        _active(user)
        and comment.author_id == user.pk
        and comment.is_visible
        and can_comment(user, comment.thread, session)
    )


def can_delete_comment(user: AnyUser, comment: Comment) -> bool:
    """Authors delete their own comments (even when suspended or the thread is locked)."""
    return _active(user) and comment.author_id == user.pk and not comment.is_deleted


def can_report_comment(user: AnyUser, comment: Comment, session=None) -> bool:
    """Anyone logged in reports a visible comment that is not their own."""
    return (
        _active(user)
        and comment.author_id != user.pk
        and comment.is_visible
        and can_view_thread(user, comment.thread, session)
    )


# --- How much a report counts ------------------------------------------------------------------
#
# Auto-hiding by reports must resist sock puppets: a comment is hidden when the *weights* of its
# open reports add up to DISCUSSIONS_REPORTS_TO_HIDE (3), and a report weighs
#   0    from an account younger than DISCUSSIONS_NEW_ACCOUNT_HOURS (24 h) or without a verified
#        e-mail address (it still reaches the coordinators' queue);
#   0.5  from an established account without an accepted contribution (no visible comment older
#        than a day, no membership of a partner, not a coordinator);
#   1    from everyone else (the hub's coordinators always).
# Comments by the hub's coordinators and by partners' people are never hidden by reports: they wait
# in the queue for a coordinator.

REPORT_WEIGHT_NONE = 0.0
REPORT_WEIGHT_NEWCOMER = 0.5
REPORT_WEIGHT_FULL = 1.0


def has_accepted_contribution(user: AnyUser, hub) -> bool:
    """A visible comment older than a day, a partner membership, or a coordinator's role in ``hub``."""
    if not _active(user):
        return False
    day_ago = timezone.now() - timedelta(days=1)
    return (
        Comment.objects.filter(
            author=user, created_at__lte=day_ago, deleted_at__isnull=True, hidden_at__isnull=True
        ).exists()
        or PartnerMember.objects.filter(user=user).exists()
        or is_hub_coordinator(user, hub)
    )


def report_weight(user: AnyUser, hub) -> float:
    """How much ``user``'s report counts towards hiding a comment in ``hub`` (see above)."""
    if not _active(user):
        return REPORT_WEIGHT_NONE
    if is_hub_coordinator(user, hub):
        return REPORT_WEIGHT_FULL
    young = timezone.now() - user.date_joined < timedelta(hours=settings.DISCUSSIONS_NEW_ACCOUNT_HOURS)
    if young or not has_verified_email(user):
        return REPORT_WEIGHT_NONE
    return REPORT_WEIGHT_FULL if has_accepted_contribution(user, hub) else REPORT_WEIGHT_NEWCOMER


def is_hidden_only_by_coordinators(comment: Comment) -> bool:
    """Comments by the hub's coordinators and by partners' people go to the queue when reported,
    never hidden automatically."""
    author = comment.author
    if author is None:
        return False
    return is_hub_coordinator(author, comment.thread.hub) or PartnerMember.objects.filter(user=author).exists()
