"""Live updates inside one server process: one channel-layer subscription shared by every websocket.

Channels' usual pattern gives every socket its own channel and group membership, and the layer
then hands each message to each socket's consumer: 0.2–0.4 ms of CPU per delivery, so one process
saturates a core at about a thousand listeners. Here the process (precisely: each event loop) has
ONE channel. A thread's group gets that channel when the first local socket of the thread joins and
loses it when the last one has gone (after a short linger, so reconnect storms do not churn Redis).
A "thread.change" message carries the event already encoded in every language
(``discussions.live``); the fanout wraps each frame once in an ASGI message and writes that same
message to every local socket of the thread in one loop.

Order and completeness (docs/live-protocol.md, "the database is the truth, the socket is a
doorbell"):

- A room (the local sockets of one thread) opens by joining the group, proving the subscription
  works with a probe message sent to the group and received back, and only then reading the
  thread's last sequence number: every change above that number is published after the process is
  listening. Sockets replay from the database only once the room is open, so nothing falls between
  their replay and the stream.
- Changes are delivered in sequence order. If a message skips ahead of what the room has delivered
  (two processes committed close together and published out of order, or a publish was lost), the
  gap is filled from the database, in order, before delivering; late messages already covered are
  dropped. Each socket also drops any number it has already sent.
- A heartbeat (every ``HEARTBEAT_SECONDS`` while the process follows a thread) checks both
  halves of the doorbell: a probe sent to the process's own channel must come back through the
  layer, and the database's latest number of each followed thread must not stay ahead of what the
  room has delivered. While the layer is away (Redis restarting) the rooms follow their threads
  from the database, beat by beat; a change whose message is lost (its publisher died between the
  commit and the publish) is read from the database one beat after it was first seen missing.
- Sockets are independent: a write that cannot complete at once (the client reads slowly) is
  finished by a task of that socket alone, with a bounded queue behind it; a socket that falls
  further behind is closed (code 1013) and resumes from the database when it reconnects. A failed
  write removes that socket only.
"""

import asyncio
import collections
import contextvars
import logging
import uuid
import weakref
from collections.abc import Awaitable, Callable, Generator

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from prometheus_client import Counter

from discussions import live
from discussions.models import Thread, thread_group_name

logger = logging.getLogger(__name__)

# Frames a socket may have waiting (while it replays, or behind a slow write) before it is closed.
PENDING_LIMIT = 256
# An empty room keeps its group membership this long, in case its sockets come straight back.
ROOM_LINGER_SECONDS = 15.0
# How long a room waits for its probe to come back before it carries on regardless.
PROBE_TIMEOUT_SECONDS = 5.0
# Back-off between failed receives from the channel layer.
RECEIVE_RETRY_SECONDS = (0.1, 5.0)
# How long shutting down waits for the layer to forget the process's groups.
SHUTDOWN_SECONDS = 2.0
# How often the heartbeat checks the layer and the database, and how long its probe may take.
HEARTBEAT_SECONDS = 1.0
HEARTBEAT_PROBE_SECONDS = 1.0

PROBE_MESSAGE_TYPE = "thread.probe"
CLOSE_LAGGING = 1013  # "try again later": the client reconnects and resumes from the database
CLOSE_SERVER_ERROR = 1011

# Read by /metrics (hub.metrics): changes delivered to rooms, and frames handed to their sockets.
DELIVERED_CHANGES = Counter("dugnad_fanout_changes", "Thread changes delivered by the live fanout to its rooms.")
DELIVERIES = Counter("dugnad_fanout_deliveries", "Frames the live fanout handed to websockets (one per socket).")

Send = Callable[[dict], Awaitable[None]]


class Subscriber:
    """One websocket's place in the fanout. ``send`` is the socket's ASGI send callable.

    Until ``go_live`` the subscriber holds what the room delivers (its consumer is replaying from
    the database); afterwards every frame is written at once, in order, and no sequence number is
    ever sent twice or out of order.
    """

    __slots__ = (
        "send",
        "thread_id",
        "language",
        "last_sent",
        "room",
        "closed",
        "_held",
        "_held_event",
        "_pending",
        "_writer",
    )

    def __init__(self, send: Send, *, thread_id: int, language: str, last_sent: int = 0):
        self.send = send
        self.thread_id = thread_id
        self.language = language
        self.last_sent = last_sent
        self.room: _Room | None = None
        self.closed = False
        self._held: list[tuple[int, dict]] | None = []
        self._held_event: asyncio.Event | None = None
        self._pending: collections.deque[dict] = collections.deque()
        self._writer: asyncio.Task | None = None

    def deliver(self, seq: int, message: dict) -> None:
        """Called by the room, in sequence order, with an ASGI ``websocket.send`` message."""
        if seq <= self.last_sent or self.closed:
            return
        held = self._held
        if held is not None:
            if len(held) >= PENDING_LIMIT:
                # Replaying for too long while the thread is busy: go_live() says so.
                self.closed = True
                return
            held.append((seq, message))
            if self._held_event is not None:
                self._held_event.set()
            return
        self.last_sent = seq
        self.write(message)

    def held_event(self) -> asyncio.Event:
        """An event set once the room has handed this subscriber a frame to hold while its consumer
        replays (for tests: made on first asking, so a socket that nobody asks pays nothing)."""
        if self._held_event is None:
            self._held_event = asyncio.Event()
            if self._held:
                self._held_event.set()
        return self._held_event

    def up_to_date(self, after: int | None) -> bool:
        """Whether a client that has applied every change up to ``after`` needs nothing from the
        database: its room is open and has delivered exactly up to ``after``, so every later change
        reaches this subscriber through the room (the usual case: the page was just rendered)."""
        room = self.room
        return after is not None and room is not None and room.delivered is not None and room.delivered == after

    def go_live(self, replayed_upto: int) -> bool:
        """The consumer has sent every change up to ``replayed_upto``: send what was held after it,
        and from now on write frames as they come. False if the subscriber fell too far behind."""
        held, self._held = self._held, None
        if self.closed:
            return False
        self.last_sent = max(self.last_sent, replayed_upto)
        for seq, message in held or ():
            if seq > self.last_sent:
                self.last_sent = seq
                self.write(message)
        return not self.closed

    def write(self, message: dict) -> None:
        """Write an ASGI message without waiting: behind the socket's own queue if a write is still
        in progress, else at once.

        Most writes complete without ever waiting (the transport takes the bytes), so the send is
        stepped by hand and only a write that has to wait gets a task, which finishes it and then
        empties the queue. One slow socket therefore costs nothing to the others, and a thousand
        fast ones cost no thousand tasks.
        """
        if self.closed:
            return
        if self._writer is not None:
            if len(self._pending) >= PENDING_LIMIT:
                self._close_lagging()
                return
            self._pending.append(message)
            return
        step = self.send(message).__await__()
        try:
            waiting_on = step.send(None)
        except StopIteration:
            return
        except Exception:
            logger.debug("A websocket write failed; dropping the socket", exc_info=True)
            self._drop()
            return
        self._writer = asyncio.ensure_future(self._finish_writes(step, waiting_on))

    async def _finish_writes(self, step: Generator, waiting_on) -> None:
        try:
            await _Resume(step, waiting_on)
            while self._pending:
                await self.send(self._pending.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.debug("A websocket write failed; dropping the socket", exc_info=True)
            self._drop()
        finally:
            self._writer = None

    def close(self, code: int) -> None:
        """Close the socket after the frames it has been sent (frames still queued are dropped) and
        leave the room; the client resumes from its last applied number, the database has it all.
        While the consumer is still replaying, the consumer closes it (``go_live`` says False)."""
        if self.closed:
            return
        if self._held is None:
            self._pending.clear()
            self.write({"type": "websocket.close", "code": code})
        self.closed = True
        self._leave_room()

    def _close_lagging(self) -> None:
        logger.info("Closing a websocket of thread %s that fell %s frames behind", self.thread_id, PENDING_LIMIT)
        self.close(CLOSE_LAGGING)

    def _drop(self) -> None:
        self.closed = True
        self._pending.clear()
        self._leave_room()

    def _leave_room(self) -> None:
        room = self.room
        if room is not None:
            room.fanout.leave(self)

    def cancel_writes(self) -> None:
        """The socket has gone: stop any write still waiting on it."""
        self.closed = True
        self._pending.clear()
        if self._writer is not None:
            self._writer.cancel()


class _Resume:
    """Await the rest of a coroutine that was stepped by hand up to its first wait.

    ``yield from`` for a coroutine already started: each value it yields (the future it waits on)
    goes to the task driving us, and whatever the task sends or throws goes back into it.
    """

    __slots__ = ("_step", "_waiting_on")

    def __init__(self, step: Generator, waiting_on):
        self._step = step
        self._waiting_on = waiting_on

    def __await__(self):
        step, value = self._step, self._waiting_on
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                step.close()
                raise
            except BaseException as error:
                try:
                    value = step.throw(error)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    value = step.send(sent)
                except StopIteration as stop:
                    return stop.value


class RoomUnavailable(Exception):
    """The thread's room could not open (the channel layer or the database is away)."""


class _Room:
    """The local sockets of one thread, and how far the stream of its changes has been delivered."""

    __slots__ = (
        "fanout",
        "thread_id",
        "group",
        "subscribers",
        "delivered",
        "ready",
        "backlog",
        "filling",
        "opening",
        "retire_handle",
        "left_group",
        "missing",
    )

    def __init__(self, fanout: "Fanout", thread_id: int):
        self.fanout = fanout
        self.thread_id = thread_id
        self.group = thread_group_name(thread_id)
        self.subscribers: set[Subscriber] = set()
        # The highest sequence number delivered (or known to be covered); None until the room is open.
        self.delivered: int | None = None
        self.ready: asyncio.Future = asyncio.get_running_loop().create_future()
        # Nobody may be waiting when opening fails; the exception must not be reported as lost.
        self.ready.add_done_callback(_retrieve_exception)
        # Messages waiting for the room to open or for a gap to be filled, as (seq, frames).
        self.backlog: list[tuple[int, dict]] = []
        self.filling = False
        self.opening: asyncio.Task | None = None
        self.retire_handle: asyncio.TimerHandle | None = None
        # Set once the room, retired (or failed to open), has asked the layer to drop its group.
        self.left_group = asyncio.Event()
        # The database's number for the thread when the last heartbeat found the room behind it.
        self.missing: int | None = None


def _retrieve_exception(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()


def _last_seq(thread_id: int) -> int:
    return Thread.objects.filter(pk=thread_id).values_list("last_seq", flat=True).first() or 0


def _detached(coroutine) -> asyncio.Task:
    """A task of the process rather than of whichever request started it: it must not inherit that
    request's context (Django runs each HTTP request's database work in an executor of its own,
    gone when the request ends; /healthz may be what starts the fanout)."""
    return asyncio.get_running_loop().create_task(coroutine, context=contextvars.Context())


def _last_seqs(thread_ids: list[int]) -> dict[int, int]:
    return dict(Thread.objects.filter(pk__in=thread_ids).values_list("pk", "last_seq"))


def _frames_after(thread_id: int, after: int) -> tuple[list[tuple[int, dict[str, str]]], int]:
    """Every change after ``after`` rendered in every language, and the number they reach."""
    found = live.catch_up(thread_id, after)
    if found is None:
        return [], after
    return [(seq, live.event_frames(change)) for seq, change in found.changes], found.upto


class Fanout:
    """The fanout of one event loop: its channel, the receiving task, and a room per thread with
    local sockets. Get it with ``fanout_for_running_loop()``."""

    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.rooms: dict[int, _Room] = {}
        self._retiring: dict[int, asyncio.Task] = {}
        self._probes: dict[str, asyncio.Future] = {}
        self._started: asyncio.Future | None = None
        self._receiver: asyncio.Task | None = None
        self._heartbeat: asyncio.Task | None = None
        # The heartbeat's last word on the layer: False while its probes do not come back.
        self.layer_answering = True

    # --- Sockets coming and going ----------------------------------------------------------------

    async def join(self, subscriber: Subscriber) -> None:
        """Add ``subscriber`` to its thread's room and return once the room is open: from then on
        every change after the room's starting point reaches the subscriber (held until it goes
        live). Raises RoomUnavailable if the room cannot open."""
        await self._start()
        room = self.rooms.get(subscriber.thread_id)
        if room is None:
            room = _Room(self, subscriber.thread_id)
            self.rooms[room.thread_id] = room
            room.opening = asyncio.ensure_future(self._open(room))
        elif room.retire_handle is not None:
            room.retire_handle.cancel()
            room.retire_handle = None
        room.subscribers.add(subscriber)
        subscriber.room = room
        try:
            await asyncio.shield(room.ready)
        except Exception:
            self.leave(subscriber)
            raise

    def leave(self, subscriber: Subscriber) -> None:
        """Take ``subscriber`` out of its room (any number of times); an empty room retires after
        ``ROOM_LINGER_SECONDS`` unless a socket joins again."""
        room = subscriber.room
        if room is None:
            return
        subscriber.room = None
        room.subscribers.discard(subscriber)
        if not room.subscribers and self.rooms.get(room.thread_id) is room and room.retire_handle is None:
            room.retire_handle = asyncio.get_running_loop().call_later(ROOM_LINGER_SECONDS, self._retire, room)

    # --- Rooms -------------------------------------------------------------------------------------

    async def _open(self, room: _Room) -> None:
        try:
            previous = self._retiring.get(room.thread_id)
            if previous is not None:
                # The last room of this thread is still leaving the group; join after it has left.
                await asyncio.gather(previous, return_exceptions=True)
            await self.layer.group_add(room.group, self.channel)
            await self._probe(room)
            room.delivered = await database_sync_to_async(_last_seq)(room.thread_id)
        except Exception as error:
            logger.exception("Could not open the live room of thread %s", room.thread_id)
            if self.rooms.get(room.thread_id) is room:
                del self.rooms[room.thread_id]
            room.subscribers.clear()
            room.ready.set_exception(RoomUnavailable(str(error)))
            await self._discard_group(room)
            return
        room.ready.set_result(None)
        self._take_backlog(room)

    async def _probe(self, room: _Room) -> None:
        """Send a message to the room's group and wait for it to come back: once it has, the
        subscription is live (Redis confirms a SUBSCRIBE only by delivering on it)."""
        token = uuid.uuid4().hex
        arrived = asyncio.get_running_loop().create_future()
        self._probes[token] = arrived
        try:
            await self.layer.group_send(room.group, {"type": PROBE_MESSAGE_TYPE, "token": token})
            await asyncio.wait_for(arrived, PROBE_TIMEOUT_SECONDS)
        except TimeoutError:
            logger.warning("The channel layer did not echo the probe of thread %s; carrying on", room.thread_id)
        finally:
            self._probes.pop(token, None)

    def _retire(self, room: _Room) -> None:
        room.retire_handle = None
        if room.subscribers or self.rooms.get(room.thread_id) is not room:
            return
        del self.rooms[room.thread_id]
        task = asyncio.ensure_future(self._discard_group(room))
        self._retiring[room.thread_id] = task

        def forget(done: asyncio.Task, thread_id: int = room.thread_id) -> None:
            if self._retiring.get(thread_id) is done:
                del self._retiring[thread_id]

        task.add_done_callback(forget)

    async def _discard_group(self, room: _Room) -> None:
        if room.opening is not None and not room.opening.done() and room.opening is not asyncio.current_task():
            await asyncio.gather(room.opening, return_exceptions=True)
        try:
            await self.layer.group_discard(room.group, self.channel)
        except Exception:
            logger.exception("Could not leave the group of thread %s", room.thread_id)
        finally:
            room.left_group.set()

    # --- Messages ----------------------------------------------------------------------------------

    def _dispatch(self, message: dict) -> None:
        kind = message.get("type")
        if kind == live.LAYER_MESSAGE_TYPE:
            room = self.rooms.get(message.get("thread"))
            if room is None:
                return
            seq, frames = message.get("seq"), message.get("frames")
            if not isinstance(seq, int) or not isinstance(frames, dict) or not frames:
                logger.warning("Ignoring a malformed change message for thread %s", room.thread_id)
                return
            self._offer(room, seq, frames)
        elif kind == PROBE_MESSAGE_TYPE:
            arrived = self._probes.get(message.get("token"))
            if arrived is not None and not arrived.done():
                arrived.set_result(None)
        else:
            logger.warning("Ignoring a channel-layer message of type %r", kind)

    def _offer(self, room: _Room, seq: int, frames: dict[str, str]) -> None:
        """Deliver the change numbered ``seq`` in order: at once if it is the next one, not at all
        if it is covered already, after filling the gap from the database if it skips ahead."""
        if room.delivered is None or room.filling:
            room.backlog.append((seq, frames))
        elif seq <= room.delivered:
            return
        elif seq == room.delivered + 1:
            self._deliver(room, seq, frames)
        else:
            room.backlog.append((seq, frames))
            room.filling = True
            _detached(self._fill_gap(room))

    def _take_backlog(self, room: _Room) -> None:
        backlog, room.backlog = room.backlog, []
        backlog.sort(key=lambda item: item[0])
        for seq, frames in backlog:
            self._offer(room, seq, frames)

    async def _fill_gap(self, room: _Room) -> None:
        """Bring the room up to date from the database, then deliver what waited behind the gap."""
        try:
            while True:
                before = room.delivered
                found, upto = await database_sync_to_async(_frames_after)(room.thread_id, room.delivered)
                for seq, frames in found:
                    if seq > room.delivered:
                        self._deliver(room, seq, frames)
                room.delivered = max(room.delivered, upto)
                # A change can commit while the database is read and be published out of order
                # again: read again, as long as the database has something new. A number it does
                # not know (the thread deleted meanwhile) must not stall the thread: deliver it.
                trust_messages = room.delivered == before
                backlog, room.backlog = sorted(room.backlog, key=lambda item: item[0]), []
                for index, (seq, frames) in enumerate(backlog):
                    if seq == room.delivered + 1 or (trust_messages and seq > room.delivered):
                        self._deliver(room, seq, frames)
                    elif seq > room.delivered:
                        room.backlog = backlog[index:] + room.backlog
                        break
                if not room.backlog:
                    return
        except Exception:
            # Delivering past the gap would leave browsers silently behind: close the room's
            # sockets instead, and their clients resume from the database when it answers again.
            logger.exception("Could not fill a gap in thread %s from the database", room.thread_id)
            room.backlog = []
            for subscriber in tuple(room.subscribers):
                subscriber.close(CLOSE_SERVER_ERROR)
        finally:
            room.filling = False

    def _deliver(self, room: _Room, seq: int, frames: dict[str, str]) -> None:
        """Write the change to every socket of the room: one ASGI message per language, one loop."""
        room.delivered = seq
        messages = {language: {"type": "websocket.send", "text": text} for language, text in frames.items()}
        fallback = messages.get(settings.LANGUAGE_CODE) or next(iter(messages.values()))
        subscribers = tuple(room.subscribers)
        for subscriber in subscribers:
            subscriber.deliver(seq, messages.get(subscriber.language, fallback))
        DELIVERED_CHANGES.inc()
        DELIVERIES.inc(len(subscribers))

    # --- The process's channel ---------------------------------------------------------------------

    async def _start(self) -> None:
        """Create the channel and start receiving, once (concurrent callers wait for the first)."""
        if self._started is None:
            self._started = asyncio.get_running_loop().create_future()
            self._started.add_done_callback(_retrieve_exception)
            try:
                self.channel = await self.layer.new_channel(prefix="discussions.fanout.")
            except Exception as error:
                logger.exception("Could not create the fanout's channel")
                started, self._started = self._started, None
                started.set_exception(RoomUnavailable(str(error)))
                raise RoomUnavailable(str(error)) from error
            self._receiver = _detached(self._receive_forever())
            self._heartbeat = _detached(self._beat_forever())
            self._started.set_result(None)
        elif not self._started.done():
            await asyncio.shield(self._started)

    async def _receive_forever(self) -> None:
        delay = RECEIVE_RETRY_SECONDS[0]
        try:
            while True:
                try:
                    message = await self.layer.receive(self.channel)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.exception("The fanout could not receive from the channel layer; retrying in %ss", delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECEIVE_RETRY_SECONDS[1])
                    continue
                delay = RECEIVE_RETRY_SECONDS[0]
                try:
                    self._dispatch(message)
                except Exception:
                    logger.exception("The fanout could not handle a message")
        finally:
            await self._shut_down()

    async def _shut_down(self) -> None:
        """The loop is ending: leave every group, so the layer sends this process nothing more."""
        _fanouts.pop(asyncio.get_running_loop(), None)
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        rooms = list(self.rooms.values())
        self.rooms.clear()
        for room in rooms:
            if room.retire_handle is not None:
                room.retire_handle.cancel()
            for subscriber in room.subscribers:
                subscriber.cancel_writes()
        discards = [self.layer.group_discard(room.group, self.channel) for room in rooms]
        if discards:
            try:
                await asyncio.wait_for(asyncio.gather(*discards, return_exceptions=True), SHUTDOWN_SECONDS)
            except (TimeoutError, asyncio.CancelledError):
                logger.warning("The fanout could not leave its groups while shutting down")

    # --- The heartbeat ------------------------------------------------------------------------------

    async def layer_answers(self, timeout: float) -> bool:
        """Whether a message sent through the layer to this process's channel comes back within
        ``timeout`` seconds (it proves publishing and the subscription both work)."""
        try:
            await asyncio.wait_for(self._echo(), timeout)
        except (RoomUnavailable, TimeoutError):
            return False
        except Exception:
            # Redis away: the heartbeat and /healthz say so once, each in its own words.
            logger.debug("The channel layer did not take the probe", exc_info=True)
            return False
        return True

    async def _echo(self) -> None:
        await self._start()
        token = uuid.uuid4().hex
        arrived = asyncio.get_running_loop().create_future()
        self._probes[token] = arrived
        try:
            await self.layer.send(self.channel, {"type": PROBE_MESSAGE_TYPE, "token": token})
            await arrived
        finally:
            self._probes.pop(token, None)

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            if not self.rooms:
                continue
            try:
                await self.beat()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("The fanout's heartbeat failed")

    async def beat(self) -> None:
        """Check the layer, then bring every open room that the database shows behind up to date:
        at once while the layer is away or has just come back, else if the room was already behind
        at the last beat (a change's message was lost, not merely on its way)."""
        answering = await self.layer_answers(HEARTBEAT_PROBE_SECONDS)
        back = answering and not self.layer_answering
        if answering != self.layer_answering:
            if answering:
                logger.warning("The channel layer answers again; catching up from the database")
            else:
                logger.warning("The channel layer is away; following threads from the database")
            self.layer_answering = answering
        rooms = [room for room in self.rooms.values() if room.delivered is not None]
        if not rooms:
            return
        latest = await database_sync_to_async(_last_seqs)([room.thread_id for room in rooms])
        for room in rooms:
            last = latest.get(room.thread_id, 0)
            if last <= room.delivered:
                room.missing = None
                continue
            lost = room.missing is not None and room.delivered < room.missing
            if (not answering or back or lost) and not room.filling:
                if lost and answering and not back:
                    logger.warning("Thread %s: change %s never came through the layer", room.thread_id, room.missing)
                room.filling = True
                _detached(self._fill_gap(room))
            room.missing = last


_fanouts: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Fanout]" = weakref.WeakKeyDictionary()


def fanout_for_running_loop() -> Fanout:
    """The fanout of the running event loop (a server process has one; tests make many)."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None:
        layer = get_channel_layer()
        if layer is None:
            raise RoomUnavailable("No channel layer is configured (CHANNEL_LAYERS).")
        fanout = _fanouts[loop] = Fanout(layer)
    return fanout
