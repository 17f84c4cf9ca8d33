"""The discussion block, for the pages that show a thread (a project's page, a forum topic).

``projects`` never imports ``discussions``: the project page's template loads these tags instead,
so the dependency points from discussions down to projects.

    {% load discussions %}
    {% discussion page %}          {# a project page: its thread, if it has one #}
    {% discussion thread %}        {# a forum topic #}
"""

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.names import public_name
from cms import dependency
from discussions import selectors
from discussions.forms import CommentForm
from discussions.models import Comment, Thread
from discussions.permissions import suspension_message

register = template.Library()


@register.inclusion_tag("discussions/includes/thread_block.html", takes_context=True)
def discussion(context, subject):
    """The thread block of ``subject`` (a Thread, or a project page whose thread it shows) for the
    visitor in ``context``; nothing when there is no thread or the visitor may not see it."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    thread = _thread_of(subject)
    if thread is None:
        return {"thread": None}
    dependency.uses(dependency.thread(thread.pk))
    block = selectors.thread_block(thread, user, getattr(request, "session", None))
    if not block.viewer.can_view:
        return {"thread": None}
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "thread": thread,
        "block": block,
        "viewer": block.viewer,
        "nodes": block.nodes,
        "form": CommentForm() if block.viewer.can_comment_when_open or block.viewer.can_comment_when_locked else None,
        "ws_path": f"/ws/threads/{thread.pk}/",
        "login_url": f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path if request else '/'})}",
        "why_not": _why_not(block.viewer),
    }


def _thread_of(subject) -> Thread | None:
    if isinstance(subject, Thread):
        return subject
    if subject is None or getattr(subject, "pk", None) is None:
        return None
    thread = Thread.objects.select_related("hub").filter(project_id=subject.pk).first()
    if thread is not None:
        # The page in hand is the project; asking permissions about it costs no second fetch.
        thread.project = subject
    return thread


def _why_not(viewer: selectors.Viewer) -> str:
    """Why a logged-in viewer who can see the thread cannot comment in it even when it is open."""
    if viewer.user_id is None or viewer.can_comment_when_open:
        return ""
    if not viewer.verified:
        return _("Confirm your e-mail address to take part in the discussion.")
    if viewer.suspension is not None:
        return suspension_message(viewer.suspension)
    return _("You cannot comment in this discussion.")


@register.filter
def comment_state(comment: Comment) -> str:
    """``visible``, ``deleted`` or ``hidden``: the data-state the browser reads."""
    if comment.is_deleted:
        return "deleted"
    if comment.is_hidden:
        return "hidden"
    return "visible"


@register.filter
def comment_author_name(comment: Comment) -> str:
    if comment.author_id:
        dependency.uses(dependency.person(comment.author_id))
    return public_name(comment.author) if comment.author_id and comment.author else _("Former user")


@register.filter
def comment_excerpt(comment: Comment) -> str:
    return selectors.comment_excerpt(comment)


@register.filter
def comment_controls(viewer, comment: Comment) -> dict | None:
    """The controls ``comment`` shows ``viewer`` (a ``selectors.Viewer``); None renders none visible."""
    return viewer.controls(comment) if viewer is not None else None


HUB_TOPICS_COUNT = 3


@register.inclusion_tag("discussions/includes/hub_latest_topics.html", takes_context=True)
def hub_latest_topics(context, hub):
    """The hub page's "latest discussion": the forum's most recently active topics and a link to the
    forum. Nothing when the hub has no public forum. Two queries; the same for every visitor, so the
    hub page stays cacheable."""
    request = context.get("request")
    forum = selectors.public_forum_of(hub)
    if forum is None:
        return {"topics": []}
    forum_url = forum.get_url(request) or ""
    topics = list(selectors.forum_topics(hub).order_by("-last_activity_at", "-pk")[:HUB_TOPICS_COUNT])
    return {"topics": topics, "forum_url": forum_url}
