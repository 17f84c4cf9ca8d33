"""Log records that say which request they belong to, as plain text or as JSON lines.

Every record passes ``RequestIdFilter``, which copies the current request's id (a context variable
that ``hub.observability`` sets for each HTTP request and each websocket) onto it, so a line written
anywhere while a request is handled (a view, a service, Django's own "Internal Server Error", a
consumer) carries the id; outside a request it is ``-``. ``LOG_FORMAT=json`` turns each record into
one JSON object per line (``JsonFormatter``) for a log collector; plain text stays the default.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

# The id of the request (or websocket) being handled in this context; None outside one.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("dugnad_request_id", default=None)

# An id handed in by the proxy (nginx's $request_id, a UUID, a load balancer's trace id) is taken only
# if it is this plain: it is written into every log line, so it must not carry anything else.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

# Fields a record may carry through ``extra=`` that the JSON formatter writes out (the access log's).
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "route")


def new_request_id() -> str:
    """32 hexadecimal digits, the shape of nginx's ``$request_id``."""
    return uuid.uuid4().hex


def well_formed_request_id(value: str | None) -> bool:
    """Whether ``value`` (say, an ``X-Request-ID`` header) may be used as a request id as it is."""
    return bool(value) and _WELL_FORMED.fullmatch(value) is not None


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        return True


def _json_request_id(record: logging.LogRecord) -> str | None:
    value = getattr(record, "request_id", None) or request_id.get()
    return None if value in (None, "-") else value


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request_id, the
    access log's fields when present, and the exception's traceback as ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _json_request_id(record),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, log_format: str, level: str) -> dict:
    """The ``LOGGING`` setting: one console handler, plain text or JSON lines, request ids on both."""
    formatters = {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "hub.logs.JsonFormatter"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "hub.logs.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # Wagtail logs every search-index and reference-index task at INFO; that is noise here.
        "loggers": {"django.db.backends": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
    }
