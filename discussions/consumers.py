"""The websocket of a thread: ``ws/threads/<thread id>/?after=<seq>`` (docs/live-protocol.md).

Thin on purpose: the access check is ``can_view_thread``, as in the views; the stream comes from
the process's fanout (``discussions.fanout``), so a socket costs no channel-layer subscription of
its own. A socket joins the fanout first, then is sent from the database every change after the
client's ``after``, then what the fanout held meanwhile, with no number sent twice.
"""

import asyncio
import dataclasses
import json
import logging
import weakref
from dataclasses import dataclass
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from discussions import live
from discussions.fanout import CLOSE_LAGGING, CLOSE_SERVER_ERROR, RoomUnavailable, Subscriber, fanout_for_running_loop
from discussions.models import Thread
from discussions.permissions import can_view_thread

logger = logging.getLogger(__name__)

# A browser further behind than this reloads the thread instead of replaying it frame by frame.
REPLAY_LIMIT = 500
# Clients send only small control frames ({"type": "ping"}).
CLIENT_FRAME_MAX_CHARS = 1024

# The largest primary key the database holds (a longer number in the URL names no thread).
MAX_ID = 2**63 - 1

CLOSE_BAD_REQUEST = 4400
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_RESYNC = 4409

PONG = {"type": "websocket.send", "text": live.encode({"type": "pong"})}


@dataclass(frozen=True)
class _Access:
    allowed: bool
    found: bool = True
    language: str = settings.LANGUAGE_CODE


@dataclass(frozen=True)
class _Replay:
    frames: list[tuple[int, str]]
    upto: int
    found: bool = True
    truncated: bool = False


def _language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _access(thread_id: int, user, cookie_language: str | None, session=None) -> _Access:
    thread = (
        Thread.objects.select_related("hub", "project").filter(pk=thread_id).first() if thread_id <= MAX_ID else None
    )
    if thread is None:
        return _Access(allowed=False, found=False, language=cookie_language or settings.LANGUAGE_CODE)
    language = cookie_language or thread.hub.default_language or settings.LANGUAGE_CODE
    return _Access(allowed=can_view_thread(user, thread, session), language=language)


# Access checks in progress for anonymous visitors, per event loop and thread: visitors who arrive
# together share one database round trip. Only checks in flight are shared, nothing is cached.
_anonymous_checks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Future]]" = (
    weakref.WeakKeyDictionary()
)


async def _access_shared(thread_id: int, user, cookie_language: str | None, session=None) -> _Access:
    """``_access`` in a worker thread; for anonymous visitors without a session (whose answer
    depends on the thread alone) one check in flight per thread serves everyone who asks meanwhile.
    A visitor with a session may have passed a page's password (Wagtail keeps that in the session),
    so is checked alone."""
    if (user is not None and user.is_authenticated) or session is not None:
        return await database_sync_to_async(_access)(thread_id, user, cookie_language, session)
    checks = _anonymous_checks.setdefault(asyncio.get_running_loop(), {})
    check = checks.get(thread_id)
    if check is None:
        check = asyncio.ensure_future(database_sync_to_async(_access)(thread_id, AnonymousUser(), None))
        checks[thread_id] = check

        def forget(done: asyncio.Future) -> None:
            if checks.get(thread_id) is done:
                del checks[thread_id]

        check.add_done_callback(forget)
    access = await asyncio.shield(check)
    return dataclasses.replace(access, language=cookie_language) if cookie_language else access


def _replay(thread_id: int, after: int | None, language: str) -> _Replay:
    found = live.catch_up(thread_id, after, limit=REPLAY_LIMIT)
    if found is None:
        return _Replay(frames=[], upto=0, found=False)
    if found.truncated:
        return _Replay(frames=[], upto=found.upto, truncated=True)
    return _Replay(frames=[(seq, live.event_frame(change, language)) for seq, change in found.changes], upto=found.upto)


def _parse_after(query_string: bytes) -> int | None:
    """``after`` from the query string: None when absent; ValueError unless one whole number >= 0."""
    values = parse_qs(query_string.decode("latin-1"), keep_blank_values=True).get("after")
    if values is None:
        return None
    if len(values) != 1 or not values[0].isascii() or not values[0].isdigit() or len(values[0]) > 18:
        raise ValueError(values)
    return int(values[0])


class ThreadConsumer(AsyncWebsocketConsumer):
    """One browser listening to one thread."""

    # Names no configured layer, so Channels gives this consumer no channel of its own: the
    # process's fanout is the only subscriber (see discussions.fanout).
    channel_layer_alias = "discussions.no-layer-per-socket"

    subscriber: Subscriber | None = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            # However the socket ends (the client gone mid-replay, the server shutting down), it
            # leaves the fanout.
            self._leave()

    async def dispatch(self, message):
        # Channels hops to the database thread to close stale connections before every handler
        # and after a disconnect. This consumer reaches the database only through
        # database_sync_to_async, which does that itself, and client frames (a ping every half
        # minute from every browser) never do: skip the hops.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message):
        self._leave()
        raise StopConsumer()

    async def connect(self):
        self.thread_id = self.scope["url_route"]["kwargs"]["thread_id"]
        self.language = self._cookie_language() or settings.LANGUAGE_CODE
        await self.accept()
        try:
            after = _parse_after(self.scope.get("query_string", b""))
        except ValueError:
            await self._refuse("bad_request", CLOSE_BAD_REQUEST, _("“after” must be a whole number."))
            return
        access = await _access_shared(self.thread_id, self.scope.get("user"), self._cookie_language(), self._session())
        self.language = access.language
        if not access.found:
            await self._refuse("not_found", CLOSE_NOT_FOUND, _("There is no such thread."))
            return
        if not access.allowed:
            await self._refuse("forbidden", CLOSE_FORBIDDEN, _("You cannot follow this thread."))
            return

        self.subscriber = Subscriber(
            self.base_send, thread_id=self.thread_id, language=self.language, last_sent=after or 0
        )
        try:
            await fanout_for_running_loop().join(self.subscriber)
        except RoomUnavailable:
            self.subscriber = None
            await self._refuse("unavailable", CLOSE_SERVER_ERROR, _("Live updates are not available right now."))
            return
        await self.catch_up(after)

    async def catch_up(self, after: int | None) -> None:
        """Send every change after ``after`` from the database, then go live. Call after joining."""
        if self.subscriber.up_to_date(after):
            # Nothing to replay: no database round trip (a burst of readers of a popular thread).
            if not self.subscriber.go_live(after):
                self._leave()
                await self.close(CLOSE_LAGGING)
            return
        replay = await database_sync_to_async(_replay)(self.thread_id, after, self.language)
        if not replay.found:
            await self._refuse("not_found", CLOSE_NOT_FOUND, _("There is no such thread."))
            return
        if replay.truncated or (after is not None and after > replay.upto):
            await self._refuse(
                "resync", CLOSE_RESYNC, _("This page is too far out of date to update. Reload it to see the latest.")
            )
            return
        for _seq, frame in replay.frames:
            await self.base_send({"type": "websocket.send", "text": frame})
        if not self.subscriber.go_live(replay.upto):
            self._leave()
            await self.close(CLOSE_LAGGING)

    async def receive(self, text_data=None, bytes_data=None):
        if self.subscriber is None:
            return
        if text_data is None:
            self._error("bad_frame", _("Send text frames of JSON."))
            return
        if len(text_data) > CLIENT_FRAME_MAX_CHARS:
            self._error("too_large", _("That frame is too large."))
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            self._error("bad_frame", _("Send a JSON object with a “type”."))
        elif frame["type"] == "ping":
            self.subscriber.write(PONG)
        else:
            self._error("unknown_type", _("Unknown frame type."))

    def _leave(self) -> None:
        subscriber, self.subscriber = self.subscriber, None
        if subscriber is not None:
            subscriber.cancel_writes()
            if subscriber.room is not None:
                subscriber.room.fanout.leave(subscriber)

    def _session(self):
        """The visitor's session (``AuthMiddlewareStack``), or None when they sent no session cookie."""
        if settings.SESSION_COOKIE_NAME not in self.scope.get("cookies", {}):
            return None
        return self.scope.get("session")

    def _cookie_language(self) -> str | None:
        chosen = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
        return chosen if chosen in _language_codes() else None

    def _error_message(self, code: str, message) -> dict:
        with translation.override(self.language):
            text = str(message)
        return {"type": "websocket.send", "text": live.encode({"type": "error", "code": code, "message": text})}

    def _error(self, code: str, message) -> None:
        self.subscriber.write(self._error_message(code, message))

    async def _refuse(self, code: str, close_code: int, message) -> None:
        """An error frame, then the close code that tells the client not to retry as it was."""
        self._leave()
        await self.base_send(self._error_message(code, message))
        await self.close(close_code)
