"""Telling a person's open browsers (``/ws/me/``, ``notifications.consumers``) that their inbox changed.

The socket is a doorbell here too: ``publish_inbox_changes`` sends each person's group
(``inbox-<user id>``) only the new inbox number; the person's sockets then read what is new from
the database and render it in their own language. So one event for 10,000 followers renders
nothing for the people who are not online, and a lost message costs nothing lasting (the next
one, or a reconnect, reads from the database again).

It also records each person's new inbox number in the cache, which is what the header bell's
cached count is keyed by (``notifications.centre.bell``).
"""

import asyncio
import json
import logging
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

from notifications import centre
from notifications.centre import SEQ_TIMEOUT, seq_key
from notifications.models import Inbox, Notification

logger = logging.getLogger(__name__)

# The channel-layer message a person's sockets get (handled by InboxConsumer.inbox_change).
LAYER_MESSAGE_TYPE = "inbox.change"
# Bounds the sends in flight (and the connections a pool may open) for an event with many recipients.
SEND_CONCURRENCY = 500
# How long one batch of sends may hold up the request or task that made the change (Redis away).
SEND_TIMEOUT_SECONDS = 1.0


NOTIFICATION_CREATED = "notification.created"
NOTIFICATIONS_READ = "notifications.read"


def inbox_group_name(user_id: int) -> str:
    return f"inbox-{user_id}"


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


# --- Events --------------------------------------------------------------------------------------


def created_event(notification: Notification, *, unread: int, language: str) -> dict:
    """A notification as the centre shows it, in ``language`` (loaded with ``centre.with_relations``)."""
    return {
        "type": NOTIFICATION_CREATED,
        "seq": notification.seq,
        "id": notification.pk,
        "html": centre.render_item(notification, language),
        "unread": unread,
    }


def read_event(*, seq: int, unread: int) -> dict:
    return {"type": NOTIFICATIONS_READ, "seq": seq, "unread": unread}


@dataclass
class InboxChanges:
    """What changed in an inbox after some number: ``events`` in increasing ``seq``, and ``upto``,
    the inbox's number as read (everything up to it is in ``events`` or was left out on purpose:
    content the person can no longer see, an earlier marking as read)."""

    upto: int
    events: list[dict] = field(default_factory=list)
    truncated: bool = False


def changes_after(user_id: int, after: int | None, *, language: str, limit: int) -> InboxChanges:
    """The notifications numbered after ``after`` that the person can still see, each as it is now,
    and, if they marked something read since, one read event (numbered with the latest marking).
    Every event carries the current unread count. ``after`` None: nothing, just the number now.
    More than ``limit`` notifications: none, ``truncated``."""
    last_seq, read_seq = Inbox.objects.filter(user_id=user_id).values_list("last_seq", "read_seq").first() or (0, 0)
    if after is None or after >= last_seq:
        return InboxChanges(upto=last_seq)
    notifications = list(
        centre.with_relations(centre.visible_notifications(user_id))
        .filter(seq__gt=after, seq__lte=last_seq)
        .order_by("seq")[: limit + 1]
    )
    if len(notifications) > limit:
        return InboxChanges(upto=last_seq, truncated=True)
    unread = centre.unread_count(user_id)
    events = [created_event(n, unread=unread, language=language) for n in notifications]
    if after < read_seq <= last_seq:
        events.append(read_event(seq=read_seq, unread=unread))
    events.sort(key=lambda event: event["seq"])
    return InboxChanges(upto=last_seq, events=events)


def publish_inbox_changes(changes: list[tuple[int, int]]) -> None:
    """``changes``: (user id, inbox seq) pairs just committed. Call only after the commit
    (``notifications.services`` does, from ``transaction.on_commit``). Never raises: the change is
    committed, and browsers catch up when they next hear from their inbox or reconnect."""
    latest: dict[int, int] = {}
    for user_id, seq in changes:
        latest[user_id] = max(seq, latest.get(user_id, 0))
    if not latest:
        return
    try:
        cache.set_many({seq_key(user_id): seq for user_id, seq in latest.items()}, SEQ_TIMEOUT)
    except Exception:
        logger.exception("Could not record the inbox numbers of %s people", len(latest))
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_send_all)(layer, latest)
    except Exception:
        logger.exception("Could not publish the inbox changes of %s people", len(latest))


async def _send_all(layer, latest: dict[int, int]) -> None:
    """One group_send per person, concurrently, at most SEND_CONCURRENCY at a time."""
    pending = list(latest.items())
    errors = []
    for start in range(0, len(pending), SEND_CONCURRENCY):
        results = await asyncio.gather(
            *(
                asyncio.wait_for(
                    layer.group_send(inbox_group_name(user_id), {"type": LAYER_MESSAGE_TYPE, "seq": seq}),
                    SEND_TIMEOUT_SECONDS,
                )
                for user_id, seq in pending[start : start + SEND_CONCURRENCY]
            ),
            return_exceptions=True,
        )
        errors += [result for result in results if isinstance(result, BaseException)]
    if errors:
        logger.error("Could not publish inbox changes to %s of %s people: %r", len(errors), len(latest), errors[0])
