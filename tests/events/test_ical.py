"""The hand-written iCalendar: folding at 75 octets, escaping, UTC times, cancelled events."""

from datetime import UTC, datetime

import pytest

from events import ical
from events.models import Event, EventStatus


def test_text_escapes_backslash_semicolon_comma_and_newlines():
    assert ical.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "æøå" * 40  # two octets each
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_a_short_line_is_not_folded():
    assert ical.fold("VERSION:2.0") == "VERSION:2.0"


def _event(**fields) -> Event:
    defaults = {
        "pk": 7,
        "title": "Verksted; om mat, og sånt",
        "description": "Linje én\nLinje to",
        "starts_at": datetime(2026, 6, 1, 15, 0, tzinfo=UTC),
        "ends_at": datetime(2026, 6, 1, 17, 30, tzinfo=UTC),
        "address": "Storgata 1, Fjordvik",
        "status": EventStatus.PUBLISHED,
    }
    return Event(**{**defaults, **fields})


def test_calendar_has_crlf_lines_uid_and_utc_times():
    text = ical.calendar([(_event(), "https://example.org/fjordvik/events/7/")], domain="example.org", name="Fjordvik")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert "UID:event-7@example.org\r\n" in unfolded
    assert "DTSTART:20260601T150000Z\r\n" in unfolded
    assert "DTEND:20260601T173000Z\r\n" in unfolded
    assert "SUMMARY:Verksted\\; om mat\\, og sånt\r\n" in unfolded
    assert "DESCRIPTION:Linje én\\nLinje to\r\n" in unfolded
    assert "LOCATION:Storgata 1\\, Fjordvik\r\n" in unfolded
    assert "URL:https://example.org/fjordvik/events/7/\r\n" in unfolded
    assert "STATUS:CONFIRMED" in unfolded
    assert "DTSTAMP:" in unfolded


@pytest.mark.parametrize(
    "status,expected", [(EventStatus.CANCELLED, "STATUS:CANCELLED"), (EventStatus.PUBLISHED, "STATUS:CONFIRMED")]
)
def test_status(status, expected):
    assert expected in ical.calendar([(_event(status=status), "")], domain="x")


def test_non_utc_times_are_converted():
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    event = _event(starts_at=datetime(2026, 6, 1, 17, 0, tzinfo=oslo), ends_at=datetime(2026, 6, 1, 18, 0, tzinfo=oslo))
    assert "DTSTART:20260601T150000Z" in ical.calendar([(event, "")], domain="x")
