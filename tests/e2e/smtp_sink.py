"""A small SMTP server for tests: it accepts messages as a mail server does and records each one
when it answers 250 to its data, which is when a real server takes responsibility for it.

``stall_at=n`` makes it hold its answer to the n-th message (1-based) until the client goes away,
then drop that message unanswered, as a real server drops an unfinished transaction: a test can
kill the sender at a known point in the middle of a batch. aiosmtpd is not installed, and this is
all the protocol Django's SMTP backend needs (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT).

``headers_only=True`` keeps only each message's ``To`` and ``Message-ID`` (a dict), for the digest
benchmark's hundreds of thousands of messages: parsing each whole would cost the machine more CPU
than the sender it measures.
"""

import asyncio
import email
import threading
from email.message import Message


class SmtpSink:
    def __init__(self, *, stall_at: int | None = None, headers_only: bool = False):
        self.stall_at = stall_at
        self.headers_only = headers_only
        self.stalled = threading.Event()
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        self._received = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    def start(self) -> "SmtpSink":
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def close():
            self._server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def recorded(self) -> list[Message]:
        with self._lock:
            return list(self.messages)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def _record(self, data: bytes) -> None:
        if not self.headers_only:
            message = email.message_from_bytes(data)
        else:
            message = {}
            for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
                name, _colon, value = line.partition(b":")
                if name.lower() in {b"to", b"message-id"}:
                    message[name.decode().title().replace("-Id", "-ID")] = value.strip().decode(errors="replace")
        with self._lock:
            self.messages.append(message)

    async def _serve(self):
        return await asyncio.start_server(self._session, "127.0.0.1", 0)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        try:
            await reply("220 sink ESMTP")
            while line := await reader.readline():
                verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                if verb == "EHLO":
                    await reply("250-sink\r\n250 8BITMIME")
                elif verb in {"HELO", "MAIL", "RCPT", "RSET", "NOOP"}:
                    await reply("250 OK")
                elif verb == "DATA":
                    await reply("354 End data with <CR><LF>.<CR><LF>")
                    data = await reader.readuntil(b"\r\n.\r\n")
                    self._received += 1
                    if self._received == self.stall_at:
                        self.stalled.set()
                        await reader.read()  # until the client is gone: never answered, never delivered
                        return
                    self._record(data[: -len(b".\r\n")])
                    await reply("250 OK queued")
                elif verb == "QUIT":
                    await reply("221 Bye")
                    return
                else:
                    await reply("502 Command not implemented")
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()
