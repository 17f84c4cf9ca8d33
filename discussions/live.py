"""The server's half of the live protocol (docs/live-protocol.md): events, rendered and published.

An event is rendered once per language the site speaks and published once to the thread's group;
every socket then gets the frame in its own language, already encoded. Services schedule
``publish_*`` with ``transaction.on_commit``: a rolled-back change never reaches a browser, and a
publish that fails (Redis away) loses nothing, because browsers resume from the database.
"""

import asyncio
import json
import logging
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from discussions.models import ChangeType, Comment, Thread, thread_group_name

logger = logging.getLogger(__name__)

# The channel-layer message type of a thread's change; the per-process fanout handles it.
LAYER_MESSAGE_TYPE = "thread.change"
# How long a publish may hold up the request that made the change (Redis away or slow): the change
# is committed, and the fanouts bring it from the database (discussions.fanout, the heartbeat).
PUBLISH_TIMEOUT_SECONDS = 0.5


def comment_html(comment: Comment) -> str:
    """A comment as every reader sees it, in the active language; per-viewer controls are switched
    on in the browser (see static/js/discussion.js), so one rendering serves everyone."""
    return render_to_string("discussions/includes/comment.html", {"comment": comment, "live": True})


def thread_state_html(thread: Thread) -> str:
    """The notice that replaces (or restores) the comment form when a thread is locked (or unlocked)."""
    return render_to_string("discussions/includes/thread_state.html", {"thread": thread})


def comment_event(comment: Comment) -> dict:
    """The event for a comment's latest change, in the active language."""
    return {
        "type": comment.last_change,
        "seq": comment.seq,
        "id": comment.pk,
        "parent": comment.reply_to_id,
        "html": comment_html(comment),
    }


def thread_event(thread: Thread) -> dict:
    """The event for a thread's latest lock or unlock, in the active language."""
    return {
        "type": ChangeType.THREAD_LOCKED if thread.locked else ChangeType.THREAD_UNLOCKED,
        "seq": thread.lock_seq,
        "id": thread.pk,
        "html": thread_state_html(thread),
    }


def encode(event: dict) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def frames_by_language(render) -> dict[str, str]:
    """``render()`` called once in each of the site's languages, encoded: {"nb": "...", ...}."""
    frames = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            frames[code] = encode(render())
    return frames


@dataclass(frozen=True)
class CatchUp:
    """What a browser that has applied every change up to ``after`` needs to be current.

    ``changes`` are (seq, comment or thread) in order: the current state of each comment whose latest
    change is in (after, upto], and the thread if its latest lock or unlock is. ``upto`` is the
    thread's last sequence number when it was read: every change up to it is in ``changes`` or has
    been superseded by a later change of the same comment (which comes with a number above ``upto``).
    ``truncated``: there were more than ``limit`` changes and ``changes`` holds none of them.
    """

    changes: list[tuple[int, object]]
    upto: int
    truncated: bool = False


def catch_up(thread_id: int, after: int | None, *, limit: int | None = None) -> CatchUp | None:
    """The changes in the thread after ``after`` (None: none, just where the thread stands); None if
    there is no such thread.

    The thread is read first and the comments are bounded by its ``last_seq``: the numbers are taken
    under the thread's row lock in commit order, so every change up to it has committed, and a
    comment changed again since (a number above it) is left for the next change to bring.
    """
    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None:
        return None
    upto = thread.last_seq
    if after is None or after >= upto:
        return CatchUp(changes=[], upto=upto)
    comments = (
        Comment.objects.filter(thread_id=thread_id, seq__gt=after, seq__lte=upto)
        .select_related("author", "reply_to__author", "thread")
        .order_by("seq")
    )
    if limit is not None:
        comments = comments[: limit + 1]
    changes: list[tuple[int, object]] = [(comment.seq, comment) for comment in comments]
    if after < thread.lock_seq <= upto:
        changes.append((thread.lock_seq, thread))
        changes.sort(key=lambda change: change[0])
    if limit is not None and len(changes) > limit:
        return CatchUp(changes=[], upto=upto, truncated=True)
    return CatchUp(changes=changes, upto=upto)


def changes_after(thread_id: int, after: int) -> list[tuple[int, object]]:
    """Every change in the thread after sequence number ``after``, as (seq, comment or thread), in
    order: the current state of each changed comment, and the thread if it was locked or unlocked."""
    found = catch_up(thread_id, after)
    return found.changes if found is not None else []


def event_frame(change: object, language: str) -> str:
    """The frame for one change from ``changes_after``, in one language."""
    with translation.override(language):
        return encode(comment_event(change) if isinstance(change, Comment) else thread_event(change))


def event_frames(change: object) -> dict[str, str]:
    """Frames for one change from ``changes_after``. A comment keeps the html rendered for them
    (``published_html``), so the view that posted it need not render it once more."""
    if isinstance(change, Comment):
        rendered: dict[str, str] = {}

        def render() -> dict:
            event = comment_event(change)
            rendered[translation.get_language()] = event["html"]
            return event

        frames = frames_by_language(render)
        change._published_html = rendered
        return frames
    return frames_by_language(lambda: thread_event(change))


def published_html(comment: Comment) -> str:
    """``comment_html`` in the active language, as published just now if it was (it has not changed
    since: the publish runs on commit, in the request that made the change)."""
    html = getattr(comment, "_published_html", {}).get(translation.get_language())
    return html if html is not None else comment_html(comment)


def _publish(thread_id: int, seq: int, frames: dict[str, str]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": LAYER_MESSAGE_TYPE, "thread": thread_id, "seq": seq, "frames": frames}
    try:
        async_to_sync(_send_within_timeout)(layer, thread_group_name(thread_id), message)
    except Exception:
        # The change is committed; the fanouts read it from the database (their heartbeat notices
        # the thread moved on without them), and browsers that reconnect resume from there too.
        logger.exception("Could not publish change %s of thread %s", seq, thread_id)


async def _send_within_timeout(layer, group: str, message: dict) -> None:
    await asyncio.wait_for(layer.group_send(group, message), PUBLISH_TIMEOUT_SECONDS)


def publish_comment_change(comment: Comment) -> None:
    """Publish ``comment``'s latest change. Call only from ``transaction.on_commit``."""
    _publish(comment.thread_id, comment.seq, event_frames(comment))


def publish_thread_change(thread: Thread) -> None:
    """Publish ``thread``'s latest lock or unlock. Call only from ``transaction.on_commit``."""
    _publish(thread.pk, thread.lock_seq, event_frames(thread))
