"""A person's own websocket: ``ws/me/?after=<inbox seq>`` (the header bell and the notification
centre, ``static/js/notifications.js``).

The same rules as a thread's socket (docs/live-protocol.md), on the person's inbox numbers
(``Inbox.last_seq``: every notification, and every "mark as read", takes the next one):

- the socket joins the person's group (``inbox-<user id>``) first, then sends from the database
  what came after ``after``, then, each time the group rings (``notifications.live``), what came
  after the last number it sent; it never sends a number twice nor out of order;
- events: ``notification.created`` ``{"type", "seq", "id", "html", "unread"}`` (``html``: the item as
  the centre shows it, in its current state, in the socket's language) and ``notifications.read``
  ``{"type", "seq", "unread"}``, sent once, numbered with the latest marking, when the person marked
  something read after ``after``. ``unread`` is the unread count when the event was sent: the badge
  shows the count of the last event applied. Notifications whose content the person can no longer
  see are skipped, so numbers have gaps;
- client frames: ``{"type": "ping"}`` → ``{"type": "pong"}``; anything else gets an error frame
  (``bad_frame``, ``unknown_type``, ``too_large``) and the socket stays open;
- refusals (an error frame, then the close code): ``unauthorized`` 4401 (not logged in),
  ``bad_request`` 4400 (``after`` is not a whole number), ``resync`` 4409 (``after`` is beyond the
  inbox, or more than ``REPLAY_LIMIT`` notifications behind: reload the page), ``unavailable`` 1011.

A standard Channels consumer with a channel and a group membership of its own: a person has few
sockets (the thread sockets' shared fanout is for thousands of sockets on one thread). The origin
is checked by ``AllowedHostsOriginValidator`` (hub/asgi.py), the person comes from the session.
Language: the ``django_language`` cookie, else the person's preferred language, else the site's.
"""

import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications import live

logger = logging.getLogger(__name__)

# A browser further behind than this reloads instead of replaying notification by notification.
REPLAY_LIMIT = 200
CLIENT_FRAME_MAX_CHARS = 1024

CLOSE_SERVER_ERROR = 1011
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_RESYNC = 4409

PONG = live.encode({"type": "pong"})


def _parse_after(query_string: bytes) -> int | None:
    """``after`` from the query string: None when absent; ValueError unless one whole number >= 0."""
    values = parse_qs(query_string.decode("latin-1"), keep_blank_values=True).get("after")
    if values is None:
        return None
    if len(values) != 1 or not values[0].isascii() or not values[0].isdigit() or len(values[0]) > 18:
        raise ValueError(values)
    return int(values[0])


class InboxConsumer(AsyncWebsocketConsumer):
    """One browser listening to its person's notifications."""

    user_id: int | None = None
    last_sent = 0

    async def connect(self):
        self.language = self._cookie_language() or settings.LANGUAGE_CODE
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self._refuse("unauthorized", CLOSE_UNAUTHORIZED, _("Log in to see your notifications."))
            return
        self.language = self._cookie_language() or user.preferred_language or settings.LANGUAGE_CODE
        try:
            after = _parse_after(self.scope.get("query_string", b""))
        except ValueError:
            await self._refuse("bad_request", CLOSE_BAD_REQUEST, _("“after” must be a whole number."))
            return
        group = live.inbox_group_name(user.pk)
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except Exception:
            logger.exception("Could not join %s", group)
            await self._refuse("unavailable", CLOSE_SERVER_ERROR, _("Live updates are not available right now."))
            return
        self.groups.append(group)  # left again when the socket closes (websocket_disconnect)
        self.user_id = user.pk
        await self._catch_up(after, first=True)

    async def inbox_change(self, message):
        """The group rang: something after ``message["seq"]`` is in the database."""
        if self.user_id is None or message.get("seq", 0) <= self.last_sent:
            return
        await self._catch_up(self.last_sent, first=False)

    async def _catch_up(self, after: int | None, *, first: bool) -> None:
        try:
            changes = await database_sync_to_async(live.changes_after)(
                self.user_id, after, language=self.language, limit=REPLAY_LIMIT
            )
        except Exception:
            logger.exception("Could not read the inbox of %s", self.user_id)
            await self._refuse("unavailable", CLOSE_SERVER_ERROR, _("Live updates are not available right now."))
            return
        if changes.truncated or (first and after is not None and after > changes.upto):
            await self._refuse(
                "resync", CLOSE_RESYNC, _("This page is too far out of date to update. Reload it to see the latest.")
            )
            return
        for event in changes.events:
            if event["seq"] > self.last_sent:
                await self.send(text_data=live.encode(event))
                self.last_sent = event["seq"]
        self.last_sent = max(self.last_sent, changes.upto)

    async def receive(self, text_data=None, bytes_data=None):
        if self.user_id is None:
            return
        if text_data is None:
            await self._error("bad_frame", _("Send text frames of JSON."))
            return
        if len(text_data) > CLIENT_FRAME_MAX_CHARS:
            await self._error("too_large", _("That frame is too large."))
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self._error("bad_frame", _("Send a JSON object with a “type”."))
        elif frame["type"] == "ping":
            await self.send(text_data=PONG)
        else:
            await self._error("unknown_type", _("Unknown frame type."))

    def _cookie_language(self) -> str | None:
        chosen = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
        return chosen if chosen in {code for code, _name in settings.LANGUAGES} else None

    async def _error(self, code: str, message) -> None:
        with translation.override(self.language):
            text = str(message)
        await self.send(text_data=live.encode({"type": "error", "code": code, "message": text}))

    async def _refuse(self, code: str, close_code: int, message) -> None:
        """An error frame, then the close code that tells the client not to retry as it was."""
        await self._leave()
        await self._error(code, message)
        await self.close(close_code)

    async def _leave(self) -> None:
        self.user_id = None
        groups, self.groups = self.groups, []
        for group in groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                logger.exception("Could not leave %s", group)
