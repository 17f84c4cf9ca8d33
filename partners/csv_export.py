"""A hub's partners as a spreadsheet: the CSV export (the import, ``partners.csv_import``, reads the
same format back).

The column names are a file format, not interface text: they stay the same in every language so
that a file exported in Bokmål imports in English, and the importer can name a wrong column
exactly. Kinds and statuses are written as their stored codes for the same reason.
"""

import csv
import io
from collections.abc import Iterator

from django.utils import timezone

from cms.models import HubPage
from partners.models import Partnership

CSV_COLUMNS = (
    "name",
    "kind",
    "organisation_number",
    "website",
    "public_email",
    "municipality",
    "latitude",
    "longitude",
    "goals",
    "focus_themes",
    "partnership_status",
    "applied_at",
    "decided_at",
)
LIST_SEPARATOR = ";"
# Spreadsheet programs run a cell that starts with one of these as a formula. Names and addresses
# come from the public site, so the export defuses them with a leading apostrophe (OWASP's advice)
# and the import takes the apostrophe off again.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = {"name", "website", "public_email", "municipality", "focus_themes"}


def _defuse(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _timestamp(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def hub_partners_csv(hub: HubPage) -> Iterator[list[str]]:
    """The rows of the hub's partner spreadsheet: the column names, then one row per partnership.

    Every status is included (with a status column), so the file is the coordinators' whole
    register. Costs three queries whatever the number of partners.
    """
    yield list(CSV_COLUMNS)
    partnerships = (
        Partnership.objects.filter(hub=hub)
        .select_related("partner")
        .prefetch_related("partner__goals", "partner__tagged_items__tag")
        .order_by("partner__name", "partner__pk")
    )
    for partnership in partnerships:
        partner = partnership.partner
        goals = sorted(goal.number for goal in partner.goals.all())
        themes = sorted(item.tag.name for item in partner.tagged_items.all())
        yield [
            _defuse(partner.name),
            partner.kind,
            partner.organisation_number,
            _defuse(partner.website),
            _defuse(partner.public_email),
            _defuse(partner.municipality),
            "" if partner.latitude is None else str(partner.latitude),
            "" if partner.longitude is None else str(partner.longitude),
            LIST_SEPARATOR.join(str(number) for number in goals),
            _defuse(LIST_SEPARATOR.join(themes)),
            partnership.status,
            _timestamp(partnership.applied_at),
            _timestamp(partnership.decided_at),
        ]


def hub_partners_csv_text(hub: HubPage) -> str:
    """The whole export as text with a byte-order mark, so that Excel reads Æ, Ø and Å as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(hub_partners_csv(hub))
    return buffer.getvalue()
