"""A channel layer for the embedded defaults (no Redis) that still reaches every process.

``make run`` starts the web server and the task worker as two processes. Channels' in-memory layer
only knows the groups of its own process, so a notification the worker wrote rang nobody's bell.
``DatabaseRelayChannelLayer`` is that in-memory layer plus a relay through the database both
processes already share:

- ``group_send`` delivers to this process's members at once (as the in-memory layer does) and also
  writes the message to ``RelayMessage``. Sends made together (``asyncio.gather``, as
  ``notifications.live`` sends to many people) are written in one insert.
- A process that has members (the first ``group_add`` in an event loop) runs one background task
  that reads the rows written by other processes after the newest row it found when it started,
  by increasing id, every ``poll_interval`` seconds (an indexed primary-key range: cheap), and
  delivers each to its own members of that group. ``group_add`` returns once that task has found
  its starting point, so a consumer that reads the database after joining misses nothing.
- Rows older than ``retention`` seconds are deleted by the writers now and then.

Only groups cross processes: a message ``send`` to a channel name reaches this process alone
(channel names of the in-memory layer are process-local anyway). Messages must encode as JSON.

Live messages are doorbells here (docs/live-protocol.md): the database is the truth and a
browser catches up from it, so a message that arrives late or not at all (a process that was
paused for longer than ``retention``) costs nothing lasting. On SQLite, writes are serialised, so
ids grow in commit order; on PostgreSQL two concurrent inserts may commit out of id order and the
later-committed one can then be skipped. Production uses Redis (``channels_redis``) instead.
"""

import asyncio
import contextvars
import json
import logging
import time
import uuid
import weakref
from datetime import timedelta

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer
from django.utils import timezone

from hub.relay.models import RelayMessage

logger = logging.getLogger(__name__)

READ_RETRY_SECONDS = (1.0, 30.0)
# While nothing new arrives, every this many reads check whether the table was emptied with its
# ids restarted (``manage.py flush``); otherwise new rows would wait behind the old cursor.
RESTART_CHECK_READS = 20


class DatabaseRelayChannelLayer(InMemoryChannelLayer):
    """Channels' in-memory layer whose group messages also reach the other processes on the same
    database (see the module's docstring). Options: ``poll_interval`` (seconds between two reads
    of new rows), ``retention`` (seconds a row is kept), ``batch`` (rows read at most at once)."""

    extensions = ["groups", "flush"]

    def __init__(self, poll_interval: float = 0.25, retention: float = 60, batch: int = 500, **kwargs):
        super().__init__(**kwargs)
        self.poll_interval = poll_interval
        self.retention = retention
        self.batch = batch
        self.origin = uuid.uuid4().hex
        self._listeners: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Listener] = weakref.WeakKeyDictionary()
        self._outboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Outbox] = weakref.WeakKeyDictionary()
        self._pruned_at = 0.0

    # --- Channel layer API --------------------------------------------------------------------------

    async def group_add(self, group, channel):
        await super().group_add(group, channel)
        await self._listening()

    async def group_send(self, group, message):
        """Deliver to this process's members now, and to the other processes' through the database.
        Raises if the message cannot be written (the local members have it already)."""
        await super().group_send(group, message)
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        await self._relay(group, text)

    async def close(self):
        loop = asyncio.get_running_loop()
        listener = self._listeners.pop(loop, None)
        if listener is not None:
            listener.task.cancel()
            await asyncio.gather(listener.task, return_exceptions=True)
        await super().close()

    # --- Sending ----------------------------------------------------------------------------------

    async def _relay(self, group: str, text: str) -> None:
        loop = asyncio.get_running_loop()
        outbox = self._outboxes.get(loop)
        if outbox is None:
            written = loop.create_future()
            written.add_done_callback(_retrieve_exception)
            outbox = self._outboxes[loop] = _Outbox(written)
            # Written once every send already scheduled alongside this one has added its row (the
            # outbox holds the task, and the senders waiting on it hold the outbox).
            outbox.task = loop.create_task(self._write(loop, outbox))
        outbox.rows.append((group, text))
        await asyncio.shield(outbox.written)

    async def _write(self, loop: asyncio.AbstractEventLoop, outbox: "_Outbox") -> None:
        await asyncio.sleep(0)
        if self._outboxes.get(loop) is outbox:
            del self._outboxes[loop]
        prune = time.monotonic() - self._pruned_at >= self.retention / 4
        if prune:
            self._pruned_at = time.monotonic()
        try:
            # The caller's thread (thread-sensitive): in a worker that is the one holding its connection.
            await sync_to_async(self._insert)(outbox.rows, prune)
        except asyncio.CancelledError:
            outbox.written.cancel()
            raise
        except Exception as error:
            outbox.written.set_exception(error)
        else:
            outbox.written.set_result(None)

    def _insert(self, rows: list[tuple[str, str]], prune: bool) -> None:
        now = timezone.now()
        RelayMessage.objects.bulk_create(
            [RelayMessage(group=group, message=text, origin=self.origin, created_at=now) for group, text in rows]
        )
        if prune:
            RelayMessage.objects.filter(created_at__lt=now - timedelta(seconds=self.retention)).delete()

    # --- Receiving --------------------------------------------------------------------------------

    async def _listening(self) -> None:
        """Start this loop's listener unless it runs, and wait until it knows where to start."""
        loop = asyncio.get_running_loop()
        listener = self._listeners.get(loop)
        if listener is None:
            listener = self._listeners[loop] = _Listener(self, loop)
        try:
            await asyncio.shield(listener.started)
        except Exception:
            if self._listeners.get(loop) is listener:
                del self._listeners[loop]  # the next group_add tries again
            raise

    def _newest_id(self) -> int:
        return RelayMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def _rows_after(self, cursor: int) -> list[tuple[int, str, str, str]]:
        return list(
            RelayMessage.objects.filter(pk__gt=cursor)
            .order_by("pk")
            .values_list("pk", "origin", "group", "message")[: self.batch]
        )

    async def _deliver(self, rows: list[tuple[int, str, str, str]]) -> None:
        for _pk, origin, group, text in rows:
            if origin == self.origin or group not in self.groups:
                continue
            try:
                message = json.loads(text)
                await InMemoryChannelLayer.group_send(self, group, message)
            except Exception:
                logger.exception("Could not deliver a relayed message to %s", group)


class _Outbox:
    """The rows that one insert will write, and the future their senders wait on."""

    __slots__ = ("rows", "task", "written")

    def __init__(self, written: asyncio.Future):
        self.rows: list[tuple[str, str]] = []
        self.written = written
        self.task: asyncio.Task | None = None


class _Listener:
    """The task that reads other processes' rows for one event loop."""

    def __init__(self, layer: DatabaseRelayChannelLayer, loop: asyncio.AbstractEventLoop):
        self.layer = layer
        self.started: asyncio.Future = loop.create_future()
        self.started.add_done_callback(_retrieve_exception)
        # A context of its own: the task outlives the connection whose group_add started it.
        self.task = loop.create_task(self._run(), context=contextvars.Context())

    async def _run(self) -> None:
        layer = self.layer
        try:
            cursor = await database_sync_to_async(layer._newest_id)()
        except Exception as error:
            logger.exception("The live relay could not read its starting point")
            self.started.set_exception(error)
            return
        self.started.set_result(None)
        delay = READ_RETRY_SECONDS[0]
        idle_reads = 0
        while True:
            try:
                rows = await database_sync_to_async(layer._rows_after)(cursor)
                idle_reads = 0 if rows else idle_reads + 1
                if idle_reads >= RESTART_CHECK_READS:
                    idle_reads = 0
                    if await database_sync_to_async(layer._newest_id)() < cursor:
                        # Everything there now was written after the restart: deliver it all.
                        cursor = 0
                        continue
            except Exception:
                logger.exception("The live relay could not read new messages; retrying in %ss", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, READ_RETRY_SECONDS[1])
                continue
            delay = READ_RETRY_SECONDS[0]
            if rows:
                cursor = rows[-1][0]
                await layer._deliver(rows)
            if len(rows) < layer.batch:
                await asyncio.sleep(layer.poll_interval)


def _retrieve_exception(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()
