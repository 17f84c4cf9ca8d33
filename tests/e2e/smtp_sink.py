"""A small SMTP server for tests: it accepts messages as a mail server does and records each one
when it answers 250 to its data, which is when a real server takes responsibility for it.

``stall_at=n`` makes it hold its answer to the n-th message (1-based) until the client goes away,
then drop that message unanswered, as a real server drops an unfinished transaction: a test can
kill the sender at a known point in the middle of a batch. aiosmtpd is not installed, and this is
all the protocol Django's SMTP backend needs (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT).
"""

import asyncio
import email
import threading
from email.message import Message


class SmtpSink:
    def __init__(self, *, stall_at: int | None = None):
        self.stall_at = stall_at
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
                    with self._lock:
                        self.messages.append(email.message_from_bytes(data[: -len(b".\r\n")]))
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
