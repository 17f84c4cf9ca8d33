"""What a person sees of their own notifications: the notification centre, the header bell and the
items their websocket (``/ws/me/``) sends.

Everything here reads; writes go through ``notifications.services`` (``mark_read``). A notification
whose content the reader can no longer see is left out everywhere (list, count, socket), by one
filter on the same query (``visible_q``), never by a check per item:

- a comment that was hidden or deleted since (except a report waiting for a coordinator: that is
  when it matters);
- a project that is no longer live or is behind a view restriction (except decisions and items
  waiting for review: those were addressed, by role, to people who see the draft).

These are the rules ``notifications.emails.deliverable`` applies to e-mail, written as SQL so that a
page of the centre and the unread count cost one query each whatever the number of notifications.

The bell's count is cached per person under their inbox number (``Inbox.last_seq``, which every
new notification and every "mark as read" takes a new value of) and the content version
(``cms.dependency``'s ``any``: hiding a comment or unpublishing a project changes it), so a page costs no
query for it until one of those changes. ``notifications.live.publish_inbox_changes`` stores the
new inbox numbers after each commit.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Page

from cms.dependency import ANY_VERSION_KEY, any_version_reset
from cms.restrictions import public_q
from notifications.models import EventKind, Inbox, Notification

logger = logging.getLogger(__name__)

PER_PAGE = 20
# Kinds addressed by role to the people who may see a draft or a hidden comment's report.
ROLE_KINDS = (EventKind.DECISION, EventKind.WAITING)
ITEM_TEMPLATE = "notifications/includes/notification.html"

SEQ_KEY = "dugnad:inbox-seq:{}"
UNREAD_KEY = "dugnad:unread:{}"
# The inbox numbers are kept as long as memory allows; they are replaced, never invalidated.
SEQ_TIMEOUT = 7 * 24 * 60 * 60
# Bounds how long a count can be wrong if a publish after a commit was lost (a crashed process).
UNREAD_TIMEOUT = 10 * 60


def seq_key(user_id: int) -> str:
    return SEQ_KEY.format(user_id)


# --- Which notifications the reader still sees ---------------------------------------------------


def _project_visible_q(field: str) -> Q:
    """The project at ``field`` (a path to a ProjectPage) is absent, or live and public."""
    visible = Q(**{f"{field}__live": True})
    restricted_paths = public_q()
    if restricted_paths:  # an empty Q: no page has a view restriction, the usual case
        restricted = Page.objects.exclude(restricted_paths).values("pk")
        visible &= ~Q(**{f"{field}__in": restricted})
    return Q(**{f"{field}__isnull": True}) | visible


def _forum_visible_q(user) -> Q:
    """Leaves out forum topics in forums that ``user`` may not see (unpublished, or behind a view
    restriction they do not pass without a session): ``discussions.permissions.can_view_thread``.
    No query while every forum is public (the usual case; the forums' audiences are cached)."""
    from cms.restrictions import audience_allows
    from discussions.models import Thread
    from discussions.permissions import forum_audiences

    audiences = forum_audiences()
    if not audiences:
        return Q()
    if isinstance(user, int):
        user = get_user_model().objects.filter(pk=user).first()
    hidden = [hub_id for hub_id, audience in audiences.items() if not audience_allows(audience, user)]
    if not hidden:
        return Q()
    return ~Q(thread__in=Thread.objects.filter(project__isnull=True, hub_id__in=hidden).values("pk"))


def visible_q(user=None) -> Q:
    """A filter on notifications for those whose content the reader (``user``, or a user id) can
    still see."""
    comment_visible = (
        Q(comment__isnull=True)
        | Q(comment__hidden_at__isnull=True, comment__deleted_at__isnull=True)
        | Q(kind=EventKind.WAITING)
    )
    project_visible = Q(kind__in=ROLE_KINDS) | (_project_visible_q("project") & _project_visible_q("thread__project"))
    visible = comment_visible & project_visible
    return visible & _forum_visible_q(user) if user is not None else visible


def visible_notifications(user) -> QuerySet:
    """``user``'s notifications that they can still see, newest first."""
    return Notification.objects.filter(recipient=user).filter(visible_q(user)).order_by("-seq")


def with_relations(notifications: QuerySet) -> QuerySet:
    """What an item's text needs (``notifications.emails.notification_text``), joined in one query."""
    return notifications.select_related("actor", "project", "thread__project", "comment", "partner", "goal").defer(
        "comment__html"
    )


def unread_count(user) -> int:
    """One query."""
    return visible_notifications(user).filter(read_at__isnull=True).count()


# --- The bell ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bell:
    seq: int  # the inbox number the count is as of: the socket resumes after it
    unread: int


def bell(user) -> Bell:
    """The unread count of ``user`` and the inbox number it is as of: no query while the cached
    count is current, one (two the first time) when it is not."""
    counted_key = UNREAD_KEY.format(user.pk)
    try:
        found = cache.get_many([ANY_VERSION_KEY, seq_key(user.pk), counted_key])
        version = found.get(ANY_VERSION_KEY) or any_version_reset()
    except Exception:  # a cache outage must not take the pages down with it
        logger.exception("Cache unavailable for the notification bell")
        return Bell(seq=_inbox_seq(user.pk), unread=unread_count(user))
    seq = found.get(seq_key(user.pk))
    entry = found.get(counted_key)
    if seq is not None and isinstance(entry, tuple) and entry[:2] == (version, seq):
        return Bell(seq=seq, unread=entry[2])
    if seq is None:
        # Read before counting, and only added if nobody published a newer number meanwhile: a
        # count stored under a number that is already out of date is simply never used.
        seq = _inbox_seq(user.pk)
        cache.add(seq_key(user.pk), seq, SEQ_TIMEOUT)
    unread = unread_count(user)
    try:
        cache.set(counted_key, (version, seq, unread), UNREAD_TIMEOUT)
    except Exception:
        logger.exception("Cache unavailable for the notification bell")
    return Bell(seq=seq, unread=unread)


def _inbox_seq(user_id: int) -> int:
    return Inbox.objects.filter(user_id=user_id).values_list("last_seq", flat=True).first() or 0


# --- Items ---------------------------------------------------------------------------------------


def item_context(notification: Notification) -> dict:
    """What the item template needs; call in the reader's language."""
    from notifications.emails import notification_excerpt, notification_text

    return {
        "notification": notification,
        "text": notification_text(notification),
        "excerpt": notification_excerpt(notification),
    }


def render_item(notification: Notification, language: str) -> str:
    """The item as the centre shows it (without the CSRF token, which the page adds)."""
    with translation.override(language):
        return render_to_string(ITEM_TEMPLATE, item_context(notification))
