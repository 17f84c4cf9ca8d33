"""A lab's existing list of partners, imported from CSV (the format ``partners.csv_export`` writes).

Kinds may be given as their stored codes, or as their label in the active language or in English.
An import is all or nothing: every row is validated with the model's own rules before anything
is written, and then every row is written in one transaction by ``services.partnerships_import``,
which tells the notification centre about each new partnership like any decision.
"""

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from taggit.models import Tag

from accounts.models import User
from cms.csv_import import CsvTable, decode, delimiter_label, file_error, read_limited, read_table
from cms.forms import parse_localized_decimal
from cms.models import HubPage
from goals.models import Goal
from partners import services
from partners.csv_export import CSV_COLUMNS, LIST_SEPARATOR
from partners.models import Partner, PartnerKind, Partnership, PartnershipStatus
from partners.permissions import can_manage_hub_partners
from partners.validators import normalise_organisation_number

logger = logging.getLogger(__name__)

IMPORT_REQUIRED_COLUMNS = ("name", "kind")
# Written by the export so that a file can travel both ways; an import ignores them (imported
# partners are approved by the person importing).
IMPORT_IGNORED_COLUMNS = ("partnership_status", "applied_at", "decided_at")
IMPORT_MAX_ROWS = 10_000
IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Columns that map straight onto a Partner field, for naming the column of a validation error.
FIELD_COLUMNS = {
    "name",
    "kind",
    "organisation_number",
    "website",
    "public_email",
    "municipality",
    "latitude",
    "longitude",
}
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


class ImportAction:
    CREATE = "create"
    LINK = "link"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportRowError:
    """One problem in the file. ``row`` is the spreadsheet's row number (the column names are row 1)."""

    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    """A valid row and what the import does (or would do) with it."""

    row: int
    name: str
    organisation_number: str
    action: str
    partner: Partner
    goals: list = field(default_factory=list)
    focus_themes: list[str] = field(default_factory=list)
    current_status: str = ""

    @property
    def action_label(self) -> str:
        if self.action == ImportAction.CREATE:
            return _("New partner")
        if self.action == ImportAction.LINK:
            return _("Existing partner, added to the hub")
        return _("Already in the hub (%(status)s), left as it is") % {
            "status": PartnershipStatus(self.current_status).label.lower()
        }


@dataclass
class ImportResult:
    dry_run: bool
    encoding: str = ""
    delimiter: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(ImportAction.CREATE)

    @property
    def linked(self) -> int:
        return self.count(ImportAction.LINK)

    @property
    def unchanged(self) -> int:
        return self.count(ImportAction.UNCHANGED)

    @property
    def delimiter_label(self) -> str:
        return delimiter_label(self.delimiter)


def _records(text: str) -> CsvTable:
    """The delimiter, the normalised column names and the non-blank records with their row numbers."""
    table = read_table(text, required=IMPORT_REQUIRED_COLUMNS, known=CSV_COLUMNS, max_rows=IMPORT_MAX_ROWS)
    if not table.rows:
        raise file_error(_("The file names the columns but has no rows of partners."))
    return table


def _clean_text(value: str) -> str:
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1:2] in "=+-@":
        return value[1:]
    return value


def _kind_lookup() -> dict[str, str]:
    lookup = {}
    for kind in PartnerKind:
        lookup[kind.value] = kind.value
        lookup[str(kind.label).lower()] = kind.value
        with translation.override("en"):
            lookup[str(kind.label).lower()] = kind.value
    return lookup


# Coordinates copied from a map have more decimals than the model keeps (about a metre).
COORDINATE_QUANTUM = Decimal("0.00001")


def _decimal(value: str) -> Decimal | None:
    number = parse_localized_decimal(value)
    return None if number is None else number.quantize(COORDINATE_QUANTUM)


class _RowValidator:
    """Validates records one by one, with the lookups they share loaded once."""

    def __init__(self, hub: HubPage, numbers: set[str]):
        self.hub = hub
        self.kinds = _kind_lookup()
        self.goals = {goal.number: goal for goal in Goal.objects.all()}
        self.existing = {
            partner.organisation_number: partner for partner in Partner.objects.filter(organisation_number__in=numbers)
        }
        self.statuses = dict(
            Partnership.objects.filter(hub=hub, partner__in=self.existing.values()).values_list("partner_id", "status")
        )
        self.seen_numbers: dict[str, int] = {}

    def validate(self, row_number: int, values: dict[str, str]) -> tuple[ImportRow | None, list[ImportRowError]]:
        errors: list[ImportRowError] = []

        def error(column: str, message: str) -> None:
            errors.append(ImportRowError(row=row_number, column=column, message=str(message)))

        kind_text = values.get("kind", "").strip()
        kind = self.kinds.get(kind_text.lower(), "")
        if kind_text and not kind:
            error(
                "kind",
                _("Unknown kind “%(value)s”. Use one of: %(kinds)s.")
                % {"value": kind_text, "kinds": ", ".join(PartnerKind.values)},
            )
        partner = Partner(
            name=_clean_text(values.get("name", "")),
            kind=kind,
            organisation_number=normalise_organisation_number(values.get("organisation_number", "")),
            website=_clean_text(values.get("website", "")),
            public_email=_clean_text(values.get("public_email", "")),
            municipality=_clean_text(values.get("municipality", "")),
            slug="import",
        )
        for column in ("latitude", "longitude"):
            try:
                setattr(partner, column, _decimal(values.get(column, "")))
            except InvalidOperation:
                error(column, _("“%(value)s” is not a number.") % {"value": values[column]})
        goals = []
        for part in re.split(r"[;,\s]+", values.get("goals", "").strip()):
            if not part:
                continue
            goal = self.goals.get(int(part)) if part.isdigit() else None
            if goal is None:
                error("goals", _("“%(value)s” is not a goal number from 1 to 17.") % {"value": part})
            else:
                goals.append(goal)
        themes = [theme.strip() for theme in _clean_text(values.get("focus_themes", "")).split(LIST_SEPARATOR)]
        themes = [theme for theme in themes if theme]
        for theme in themes:
            if len(theme) > TAG_MAX_LENGTH:
                error(
                    "focus_themes",
                    _("A focus theme may have at most %(limit)s characters.") % {"limit": TAG_MAX_LENGTH},
                )
        exclude = ["slug"] + [column for column in FIELD_COLUMNS if any(e.column == column for e in errors)]
        try:
            # The same field validators and Partner.clean() as partner_create; uniqueness is
            # checked below against the file and the database in bulk.
            partner.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as invalid:
            coordinate_error = any(e.column in {"latitude", "longitude"} for e in errors)
            for name, messages in invalid.message_dict.items():
                if name == NON_FIELD_ERRORS and coordinate_error:
                    continue  # "give both or neither" only repeats an unreadable coordinate
                column = name if name in FIELD_COLUMNS else ("latitude, longitude" if name == NON_FIELD_ERRORS else "")
                for message in messages:
                    error(column, message)

        number = partner.organisation_number
        action, current_status = ImportAction.CREATE, ""
        if number:
            if number in self.seen_numbers:
                error(
                    "organisation_number",
                    _("Organisation number %(number)s is also on row %(row)s.")
                    % {"number": number, "row": self.seen_numbers[number]},
                )
            else:
                self.seen_numbers[number] = row_number
            existing = self.existing.get(number)
            if existing is not None:
                partner = existing
                current_status = self.statuses.get(existing.pk, "")
                action = ImportAction.UNCHANGED if current_status else ImportAction.LINK
        if errors:
            return None, errors
        return (
            ImportRow(
                row=row_number,
                name=partner.name,
                organisation_number=number,
                action=action,
                partner=partner,
                goals=goals,
                focus_themes=themes,
                current_status=current_status,
            ),
            [],
        )


def import_reason(hub: HubPage) -> str:
    """The reason recorded on imported partnerships, in the hub's language (partners read it)."""
    with translation.override(hub.default_language or None):
        return _("Imported from CSV")


def partners_import_csv(*, actor: User, hub: HubPage, file, dry_run: bool) -> ImportResult:
    """Validate a CSV file of partners and, unless ``dry_run``, add them all to the hub as approved.

    Raises ``PermissionDenied`` unless ``actor`` coordinates the hub, and ``ValidationError``
    (on the ``file`` field) when the file as a whole cannot be used: too large, too many rows,
    undecodable, wrong columns, empty. Problems in rows come back in ``ImportResult.errors``; if
    there is any, nothing is written. An organisation number that is already registered links the
    existing partner (its profile is not changed) instead of creating a second one.
    """
    if not can_manage_hub_partners(actor, hub):
        raise PermissionDenied(_("Only the hub's coordinators import its partners."))
    text, encoding = decode(read_limited(file, IMPORT_MAX_BYTES), windows_1252=True)
    table = _records(text)
    header = table.header
    result = ImportResult(dry_run=dry_run, encoding=encoding, delimiter=table.delimiter)

    parsed = []
    numbers = set()
    for row_number, cells in table.rows:
        extra = cells[len(header) :]
        values = {name: cell for name, cell in zip(header, cells, strict=False) if name}
        parsed.append((row_number, values, any(cell.strip() for cell in extra)))
        numbers.add(normalise_organisation_number(values.get("organisation_number", "")))
    validator = _RowValidator(hub, numbers - {""})
    for row_number, values, has_extra_cells in parsed:
        if has_extra_cells:
            result.errors.append(
                ImportRowError(
                    row=row_number, column="", message=_("This row has more cells than there are column names.")
                )
            )
            continue
        row, errors = validator.validate(row_number, values)
        result.errors.extend(errors)
        if row is not None:
            result.rows.append(row)

    if result.errors or dry_run:
        return result
    added = [row for row in result.rows if row.action != ImportAction.UNCHANGED]
    try:
        services.partnerships_import(
            actor=actor,
            hub=hub,
            partners=[
                services.ImportedPartner(partner=row.partner, goals=row.goals, focus_themes=row.focus_themes)
                for row in added
            ],
            reason=import_reason(hub),
        )
    except ValidationError as error:
        if getattr(error, "code", None) != "registered_meanwhile":
            raise
        # Someone registered the same organisation while the import ran.
        raise ValidationError(
            _("Row %(row)s: an organisation with this organisation number was registered meanwhile.")
            % {"row": added[error.params["index"]].row}
        ) from error
    result.written = True
    logger.info(
        "User %s imported %s partners into hub %s (%s new, %s linked)",
        actor.pk,
        len(result.rows),
        hub.pk,
        result.created,
        result.linked,
    )
    return result


def import_summary(result: ImportResult) -> str:
    """One sentence saying what an import did, or would do on a dry run."""
    if result.written:
        template = ngettext(
            "Imported %(count)s row: %(created)s new partners, %(linked)s existing partners added, "
            "%(unchanged)s already in the hub.",
            "Imported %(count)s rows: %(created)s new partners, %(linked)s existing partners added, "
            "%(unchanged)s already in the hub.",
            len(result.rows),
        )
    else:
        template = ngettext(
            "Dry run, nothing saved. %(count)s row is valid: %(created)s new partners, %(linked)s existing "
            "partners to add, %(unchanged)s already in the hub.",
            "Dry run, nothing saved. %(count)s rows are valid: %(created)s new partners, %(linked)s existing "
            "partners to add, %(unchanged)s already in the hub.",
            len(result.rows),
        )
    return template % {
        "count": len(result.rows),
        "created": result.created,
        "linked": result.linked,
        "unchanged": result.unchanged,
    }
