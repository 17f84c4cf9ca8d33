"""An e-mail backend for tests of retries: it refuses a number of messages, as an unreachable mail
server would, then delivers to ``django.core.mail.outbox`` like the locmem backend."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    """Set ``FlakyEmailBackend.failures`` to how many sends must fail; ``attempts`` counts every send."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        cls = type(self)
        cls.attempts += len(messages)
        if cls.failures > 0:
            cls.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)

    @classmethod
    def reset(cls, *, failures: int) -> None:
        cls.failures = failures
        cls.attempts = 0


PATH = f"{__name__}.FlakyEmailBackend"
