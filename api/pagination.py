"""Cursor pagination: a stable order on (key, id), and an opaque cursor for the position after a page.

A cursor is ``<key>-<id>`` with the key as an integer (microseconds since 1970 for a time, a position
in the catalogue's order for goals, targets and indicators). Clients should treat it as opaque: they
follow ``next``. Every string that matches ``CURSOR_PATTERN`` is a position (possibly past the end),
so a well-formed cursor never fails.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from accounts.urls_absolute import absolute_url

CURSOR_PATTERN = r"^[0-9]{1,16}-[0-9]{1,10}$"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    key: int
    id: int

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """The position ``text`` names (the API's schema has checked its pattern already)."""
        if not text:
            return None
        key, pk = text.split("-", 1)
        return cls(int(key), int(pk))

    def __str__(self) -> str:
        return f"{self.key}-{self.id}"

    @property
    def time(self) -> datetime:
        return EPOCH + self.key * MICROSECOND


def time_key(moment: datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


@dataclass
class Page:
    items: list
    next_cursor: Cursor | None


def queryset_page(queryset: QuerySet, *, key: str, cursor: Cursor | None, limit: int) -> Page:
    """The ``limit`` rows of ``queryset`` after ``cursor`` in the order (``key``, pk); ``key`` is a
    datetime column or annotation. Rows are model instances, or dicts with ``key`` and ``pk``. One query."""
    if cursor is not None:
        moment = cursor.time
        queryset = queryset.filter(Q(**{f"{key}__gt": moment}) | Q(**{key: moment, "pk__gt": cursor.id}))
    rows = list(queryset.order_by(key, "pk")[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    last = rows[-1]
    if isinstance(last, dict):  # a values() queryset
        return Page(rows, Cursor(time_key(last[key]), last["pk"]))
    return Page(rows, Cursor(time_key(getattr(last, key)), last.pk))


def list_page(items: list, *, key, cursor: Cursor | None, limit: int) -> Page:
    """The same over a list in memory; ``key(item)`` gives (integer key, id)."""
    ordered = sorted(items, key=key)
    if cursor is not None:
        position = (cursor.key, cursor.id)
        ordered = [item for item in ordered if key(item) > position]
    if len(ordered) <= limit:
        return Page(ordered, None)
    rows = ordered[:limit]
    return Page(rows, Cursor(*key(rows[-1])))


def next_link(request, page: Page) -> dict:
    """``next`` (the request's own address with the next cursor) and ``next_cursor`` for a list."""
    if page.next_cursor is None:
        return {"next": None, "next_cursor": None}
    query = [(name, value) for name, value in request.GET.items() if name != "cursor"]
    query.append(("cursor", str(page.next_cursor)))
    return {"next": absolute_url(f"{request.path}?{urlencode(query)}"), "next_cursor": str(page.next_cursor)}
