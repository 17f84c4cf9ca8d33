"""iCalendar (RFC 5545) for events, written by hand: one event's ``.ics`` and a hub's or project's feed.

Lines end in CRLF and are folded at 75 octets (a continuation line starts with a space, and a
multi-byte character is never split); text values escape backslash, semicolon, comma and newlines.
Times are in UTC (``…Z``), so no VTIMEZONE is needed.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone

from events.models import Event, EventStatus

PRODID = "-//Dugnad//Events//EN"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1), without its final CRLF."""
    parts = []
    current = b""
    limit = LINE_OCTETS
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = LINE_OCTETS - 1  # the leading space counts
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _location(event: Event) -> str:
    return ", ".join(part for part in (event.address, event.online_url) if part)


def event_lines(event: Event, *, url: str, domain: str, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{domain}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(event.starts_at)}",
        f"DTEND:{format_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if location := _location(event):
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("STATUS:CANCELLED" if event.status == EventStatus.CANCELLED else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[tuple[Event, str]], *, domain: str, name: str = "") -> str:
    """A VCALENDAR of ``(event, absolute url)`` pairs, as the text of a ``text/calendar`` response."""
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event, url in events:
        lines.extend(event_lines(event, url=url, domain=domain, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
