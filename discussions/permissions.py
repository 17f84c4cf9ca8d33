"""Who may do what in discussions: the one place these rules live.

Views, templates, the consumer, the Wagtail admin and the services all ask these predicates. A
thread's hub is ``Thread.hub``; coordinators of one hub never moderate another hub's threads.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cms.permissions import is_hub_coordinator
from discussions.models import Comment, CommentingSuspension, Thread

AnyUser = AbstractBaseUser | AnonymousUser | None


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def has_verified_email(user: AnyUser) -> bool:
    return _active(user) and EmailAddress.objects.filter(user=user, verified=True).exists()


def current_suspension(user: AnyUser, hub_id: int) -> CommentingSuspension | None:
    """The suspension in force for ``user`` in the hub (the one that ends last), or None."""
    if not _active(user):
        return None
    now = timezone.now()
    return (
        CommentingSuspension.objects.filter(
            user=user, hub_id=hub_id, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True
        )
        .order_by("-ends_at")
        .first()
    )


def is_suspended(user: AnyUser, hub_id: int) -> bool:
    """A suspension that has started, not ended and not been lifted stops ``user`` commenting in the hub."""
    return current_suspension(user, hub_id) is not None


def can_moderate_thread(user: AnyUser, thread: Thread) -> bool:
    """Hide and show comments, lock and pin threads, suspend people: the thread's hub's coordinators."""
    return is_hub_coordinator(user, thread.hub)


def can_view_thread(user: AnyUser, thread: Thread) -> bool:
    """A project's thread is as visible as the project (a draft's thread only to its people); forum
    topics are public."""
    if thread.project_id is not None:
        from projects.permissions import can_view_project

        return can_view_project(user, thread.project)
    return True


def can_comment(user: AnyUser, thread: Thread) -> bool:
    """Registered people with a verified address, who can see the thread, are not suspended in its hub,
    and the thread is open (its coordinators may still write in a locked thread)."""
    if not has_verified_email(user) or not can_view_thread(user, thread):
        return False
    if can_moderate_thread(user, thread):
        return True
    return not thread.locked and not is_suspended(user, thread.hub_id)


def can_open_topic(user: AnyUser, hub) -> bool:
    """Forum topics are opened by the same people who may comment in the hub."""
    if not has_verified_email(user):
        return False
    return is_hub_coordinator(user, hub) or not is_suspended(user, hub.pk)


def can_edit_comment(user: AnyUser, comment: Comment) -> bool:
    """Authors edit their own visible comments while they could still comment in the thread."""
    return _active(user) and comment.author_id == user.pk and comment.is_visible and can_comment(user, comment.thread)


def can_delete_comment(user: AnyUser, comment: Comment) -> bool:
    """Authors delete their own comments (even when suspended or the thread is locked)."""
    return _active(user) and comment.author_id == user.pk and not comment.is_deleted


def can_report_comment(user: AnyUser, comment: Comment) -> bool:
    """Anyone logged in reports a visible comment that is not their own."""
    return (
        _active(user) and comment.author_id != user.pk and comment.is_visible and can_view_thread(user, comment.thread)
    )
