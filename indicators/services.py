"""Every write to a hub's indicators: imports (CSV, JSON-stat), classification, perspectives.

An import is all or nothing: the whole file is read and checked first, and if any row has an
error nothing is written. Otherwise one transaction creates or updates the indicators, their series
and values; what is already there with the same figures is left untouched (no ``updated_at``
churn), so importing the same file twice changes nothing. Values that are in the database but not
in the file are kept: an import adds and corrects, it never deletes.

Each write tells the page cache (``cms.dependency.changed``, the hub's pages) and, after the commit, the
apps that cache figures (``indicators.events.indicators_changed``).
"""

import codecs
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import dependency
from cms.csv_import import decode, delimiter_label, file_error, read_limited, read_table
from cms.forms import parse_localized_decimal
from cms.models import HubPage
from indicators.content_dependencies import hub_indicators_keys
from indicators.events import indicators_changed
from indicators.models import Dimension, Indicator, Perspective, Quality, Series, Value
from indicators.permissions import (
    can_classify_indicator,
    can_edit_perspective,
    can_import_indicators,
    can_manage_perspectives,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 50_000
# Beyond this many problems the list stops: the file needs fixing anyway.
IMPORT_MAX_ERRORS = 200
YEAR_MIN, YEAR_MAX = 1900, 2100

# CSV: the first row names the columns (any order, any case; spaces and hyphens count as "_").
CSV_REQUIRED_COLUMNS = ("code", "name", "region_code", "year", "value")
CSV_OPTIONAL_COLUMNS = ("unit", "source", "region_name")
CSV_COLUMNS = CSV_REQUIRED_COLUMNS + CSV_OPTIONAL_COLUMNS
CSV_COLUMN_ALIASES = {
    "indicator_code": "code",
    "indicator": "code",
    "municipality_number": "region_code",
    "region": "region_name",
}
# What statistics agencies write for a figure that is missing or confidential: the row is skipped.
MISSING_MARKS = frozenset({"", ".", "..", "...", ":", "-", "x"})

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
REGION_PATTERN = re.compile(r"^[0-9A-Za-z]{1,12}$")
VALUE_PLACES = Decimal("0.0001")
VALUE_LIMIT = Decimal(10) ** 14

# The KS perspectives, which a hub gets when it first uses indicators (it edits the list after).
DEFAULT_PERSPECTIVES = (
    "Kommunen som tjenesteyter",
    "Kommunen som samfunnsutvikler",
    "Kommunen som myndighetsutøver",
    "Kommunen som eier/forvalter",
)
QUALITY_NEEDS_REASON = frozenset({Quality.PARTLY_FIT, Quality.NOT_FIT})


# --- Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRowError:
    """One problem in the file. ``row`` is the spreadsheet's row number (the column names are row 1)
    for CSV, the position in the ``value`` array (from 1) for JSON-stat, or None for the whole file."""

    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class Record:
    """One figure read from a file, before it is compared with the database."""

    row: int | None
    code: str
    name: str
    unit: str
    source: str
    region_code: str
    region_name: str
    year: int
    value: Decimal


@dataclass
class IndicatorChange:
    """What the import does (or would do) with one indicator."""

    code: str
    name: str
    action: str  # created, updated, unchanged
    values_created: int = 0
    values_updated: int = 0
    values_unchanged: int = 0
    regions: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {
            CREATED: _("New indicator"),
            UPDATED: _("Updated"),
            UNCHANGED: _("Unchanged"),
        }[self.action]


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class ImportResult:
    dry_run: bool
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    errors: list[ImportRowError] = field(default_factory=list)
    more_errors: bool = False
    changes: list[IndicatorChange] = field(default_factory=list)
    skipped: int = 0  # rows without a figure ("..", empty)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def delimiter_label(self) -> str:
        return delimiter_label(self.delimiter)

    def _count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def created(self) -> int:
        return self._count(CREATED)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def values_created(self) -> int:
        return sum(change.values_created for change in self.changes)

    @property
    def values_updated(self) -> int:
        return sum(change.values_updated for change in self.changes)

    @property
    def values_unchanged(self) -> int:
        return sum(change.values_unchanged for change in self.changes)

    def add_error(self, row: int | None, column: str, message: str) -> None:
        if len(self.errors) >= IMPORT_MAX_ERRORS:
            self.more_errors = True
            return
        self.errors.append(ImportRowError(row, column, message))


def import_summary(result: ImportResult) -> str:
    """One sentence for the admin's message: what was (or would be) written."""
    numbers = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "values_created": result.values_created,
        "values_updated": result.values_updated,
        "values_unchanged": result.values_unchanged,
    }
    if result.dry_run:
        text = _(
            "The import would create %(created)s indicators, update %(updated)s and leave %(unchanged)s unchanged "
            "(figures: %(values_created)s new, %(values_updated)s changed, %(values_unchanged)s unchanged)."
        )
    else:
        text = _(
            "Imported: %(created)s new indicators, %(updated)s updated, %(unchanged)s unchanged "
            "(figures: %(values_created)s new, %(values_updated)s changed, %(values_unchanged)s unchanged)."
        )
    return text % numbers


# --- Reading files ---------------------------------------------------------------------------------


def _read_limited(file) -> bytes:
    return read_limited(file, IMPORT_MAX_BYTES)


def _parse_year(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        return None
    year = int(text)
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def _parse_value(raw) -> Decimal:
    """A figure as stored (four decimals), from text with a decimal comma or point, or a JSON number."""
    if isinstance(raw, bool):
        raise InvalidOperation(raw)
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise InvalidOperation(raw)
        number = Decimal(str(raw))
    else:
        number = parse_localized_decimal(str(raw))
        if number is None:
            raise InvalidOperation(raw)
    if abs(number) >= VALUE_LIMIT:
        raise InvalidOperation(raw)
    return number.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def _check_code(result: ImportResult, row: int | None, column: str, code: str) -> bool:
    if CODE_PATTERN.fullmatch(code):
        return True
    result.add_error(
        row,
        column,
        _(
            "The indicator code “%(code)s” is not valid: use up to 40 letters, digits, dots, hyphens or "
            "underscores, starting with a letter or digit."
        )
        % {"code": code[:60]},
    )
    return False


def _check_region(result: ImportResult, row: int | None, column: str, code: str) -> bool:
    if REGION_PATTERN.fullmatch(code):
        return True
    result.add_error(
        row,
        column,
        _("The region code “%(code)s” is not valid: use up to 12 letters and digits, such as 1507 or 0.")
        % {"code": code[:60]},
    )
    return False


def _csv_records(text: str, result: ImportResult) -> list[Record]:
    table = read_table(
        text,
        required=CSV_REQUIRED_COLUMNS,
        known=CSV_COLUMNS,
        max_rows=IMPORT_MAX_ROWS,
        aliases=CSV_COLUMN_ALIASES,
    )
    result.delimiter = table.delimiter
    header = table.header
    records = []
    for line_number, cells in table.rows:
        if len(cells) > len(header):
            result.add_error(
                line_number,
                "",
                _("The row has more cells than there are columns (%(count)s).") % {"count": len(header)},
            )
            continue
        cell = dict(zip(header, (c.strip() for c in cells), strict=False))
        record = _csv_record(line_number, cell, result)
        if record is not None:
            records.append(record)
    return records


def _csv_record(line_number: int, cell: dict, result: ImportResult) -> Record | None:
    errors_before = len(result.errors) + result.more_errors
    code = cell.get("code", "")
    name = cell.get("name", "")
    region_code = cell.get("region_code", "")
    raw_value = cell.get("value", "")
    if not code:
        result.add_error(line_number, "code", _("The indicator code is missing."))
    else:
        _check_code(result, line_number, "code", code)
    if not name:
        result.add_error(line_number, "name", _("The indicator name is missing."))
    elif len(name) > 250:
        result.add_error(line_number, "name", _("The name is longer than 250 characters."))
    if not region_code:
        result.add_error(line_number, "region_code", _("The region code is missing."))
    else:
        _check_region(result, line_number, "region_code", region_code)
    year = _parse_year(cell.get("year", ""))
    if year is None:
        result.add_error(
            line_number,
            "year",
            _("“%(year)s” is not a year: write four digits between %(min)s and %(max)s.")
            % {"year": cell.get("year", ""), "min": YEAR_MIN, "max": YEAR_MAX},
        )
    for column, limit in (("unit", 60), ("source", 250), ("region_name", 120)):
        if len(cell.get(column, "")) > limit:
            result.add_error(line_number, column, _("The text is longer than %(limit)s characters.") % {"limit": limit})
    value = None
    if raw_value.lower() in MISSING_MARKS:
        if len(result.errors) + result.more_errors == errors_before:
            result.skipped += 1
        return None
    try:
        value = _parse_value(raw_value)
    except (InvalidOperation, ValueError):
        result.add_error(
            line_number,
            "value",
            _("“%(value)s” is not a number (write it like 12,5 or 12.5; leave it empty or write .. if missing).")
            % {"value": raw_value[:40]},
        )
    if len(result.errors) + result.more_errors != errors_before or value is None:
        return None
    return Record(
        row=line_number,
        code=code,
        name=name,
        unit=cell.get("unit", ""),
        source=cell.get("source", ""),
        region_code=region_code,
        region_name=cell.get("region_name", ""),
        year=year,
        value=value,
    )


# --- JSON-stat 2.0 ---------------------------------------------------------------------------------


def _categories(dimension_id: str, dimension: dict, size: int) -> list[tuple[str, str]]:
    """The dimension's categories in order, as (code, label)."""
    category = dimension.get("category")
    if not isinstance(category, dict):
        raise file_error(_("The dimension “%(id)s” has no categories.") % {"id": dimension_id})
    index = category.get("index")
    labels = category.get("label") if isinstance(category.get("label"), dict) else {}
    if isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, dict):
        try:
            codes = [str(code) for code, _position in sorted(index.items(), key=lambda item: int(item[1]))]
        except (TypeError, ValueError):
            raise file_error(
                _("The categories of the dimension “%(id)s” have invalid positions.") % {"id": dimension_id}
            ) from None
    elif len(labels) == 1:
        codes = [str(code) for code in labels]
    else:
        raise file_error(_("The dimension “%(id)s” does not list its categories in order.") % {"id": dimension_id})
    if len(codes) != size:
        raise file_error(
            _("The dimension “%(id)s” has %(count)s categories, but its size says %(size)s.")
            % {"id": dimension_id, "count": len(codes), "size": size}
        )
    return [(code, str(labels.get(code, code))) for code in codes]


def _role(dataset: dict, name: str, fallbacks: tuple[str, ...], ids: list[str]) -> str | None:
    role = dataset.get("role") if isinstance(dataset.get("role"), dict) else {}
    listed = role.get(name)
    if isinstance(listed, list) and listed and listed[0] in ids:
        return listed[0]
    return next((fallback for fallback in fallbacks if fallback in ids), None)


def _unit_text(unit) -> str:
    if isinstance(unit, dict):
        for key in ("base", "label", "symbol"):
            if unit.get(key):
                return str(unit[key])[:60]
    return ""


def _normalise_region(code: str) -> str:
    """SSB writes some municipalities as "K-1507" (and counties "F-15"): the digits are the code."""
    match = re.fullmatch(r"[A-Za-z]{1,2}-([0-9A-Za-z]+)", code)
    return match[1] if match else code


def _jsonstat_records(text: str, result: ImportResult, *, table_id: str, source: str) -> list[Record]:
    try:
        dataset = json.loads(text)
    except json.JSONDecodeError as error:
        raise file_error(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from error
    if isinstance(dataset, dict) and "class" not in dataset and len(dataset) == 1:
        # A JSON-stat 1.x bundle ({"dataset": {...}}) is older than 2.0.
        raise file_error(
            _("This looks like JSON-stat 1 (a bundle). Download the table as JSON-stat 2.0 (“json-stat2”).")
        )
    if not isinstance(dataset, dict) or dataset.get("class") != "dataset":
        raise file_error(_("This is not a JSON-stat 2.0 dataset (its “class” must be “dataset”)."))
    ids, sizes, dimensions = dataset.get("id"), dataset.get("size"), dataset.get("dimension")
    if (
        not isinstance(ids, list)
        or not isinstance(sizes, list)
        or not isinstance(dimensions, dict)
        or len(ids) != len(sizes)
        or not all(isinstance(size, int) and size >= 0 for size in sizes)
        or not all(
            isinstance(dimension_id, str) and isinstance(dimensions.get(dimension_id), dict) for dimension_id in ids
        )
    ):
        raise file_error(_("The dataset's “id”, “size” and “dimension” do not match each other."))

    time_id = _role(dataset, "time", ("Tid", "time", "year"), ids)
    geo_id = _role(dataset, "geo", ("Region", "geo", "region"), ids)
    metric_id = _role(dataset, "metric", ("ContentsCode", "metric"), ids)
    missing = [
        label
        for label, found in ((_("time"), time_id), (_("region"), geo_id), (_("contents"), metric_id))
        if found is None
    ]
    if missing:
        raise file_error(
            _("The dataset has no dimension for: %(missing)s (JSON-stat roles time, geo and metric).")
            % {"missing": ", ".join(missing)}
        )
    categories = {
        dimension_id: _categories(dimension_id, dimensions[dimension_id], size)
        for dimension_id, size in zip(ids, sizes, strict=True)
    }
    for dimension_id, size in zip(ids, sizes, strict=True):
        if dimension_id not in (time_id, geo_id, metric_id) and size != 1:
            raise file_error(
                _(
                    "The dimension “%(id)s” has %(size)s categories; choose one of them in the query, "
                    "so that each figure belongs to one indicator, region and year."
                )
                % {"id": dimension_id, "size": size}
            )
    total = math.prod(sizes)
    if total > IMPORT_MAX_ROWS:
        raise file_error(
            _("The dataset has more than %(limit)s figures. Ask for fewer regions, years or contents.")
            % {"limit": f"{IMPORT_MAX_ROWS:,}".replace(",", " ")}
        )
    values = dataset.get("value")
    if isinstance(values, list):
        if len(values) != total:
            raise file_error(
                _("The dataset has %(count)s values, but its sizes call for %(total)s.")
                % {"count": len(values), "total": total}
            )

        def value_at(position):
            return values[position]

    elif isinstance(values, dict):

        def value_at(position):
            return values.get(str(position))

    else:
        raise file_error(_("The dataset has no “value” list."))

    years = {}
    for code, _label in categories[time_id]:
        year = _parse_year(code)
        if year is None:
            raise file_error(
                _(
                    "The time “%(time)s” is not a year: only yearly figures can be imported "
                    "(choose a yearly table, not quarters or months)."
                )
                % {"time": code}
            )
        years[code] = year

    extension = dataset.get("extension") if isinstance(dataset.get("extension"), dict) else {}
    px = extension.get("px") if isinstance(extension.get("px"), dict) else {}
    table = table_id or str(px.get("tableid") or "")
    metric_category = dimensions[metric_id].get("category") or {}
    units = metric_category.get("unit") if isinstance(metric_category.get("unit"), dict) else {}
    contents_units = (
        (extension.get("contents") or {}).get("unit") if isinstance(extension.get("contents"), dict) else None
    )
    dataset_source = source or str(dataset.get("source") or "")
    if table:
        dataset_source = _("%(source)s, table %(table)s") % {"source": dataset_source or "SSB", "table": table}

    contents = {}
    for code, label in categories[metric_id]:
        indicator_code = f"{table}.{code}" if table else code
        if not _check_code(result, None, metric_id, indicator_code):
            continue
        unit = _unit_text(units.get(code)) or (contents_units if isinstance(contents_units, str) else "")
        contents[code] = (indicator_code, label[:250], unit[:60])
    regions = {}
    for code, label in categories[geo_id]:
        region = _normalise_region(code)
        if _check_region(result, None, geo_id, region):
            regions[code] = (region, label[:120])
    if result.errors:
        return []

    strides = []
    stride = 1
    for size in reversed(sizes):
        strides.append(stride)
        stride *= size
    strides.reverse()
    position_of = {dimension_id: ids.index(dimension_id) for dimension_id in ids}

    records = []
    for position in range(total):
        raw = value_at(position)
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in MISSING_MARKS):
            result.skipped += 1
            continue
        chosen = {
            dimension_id: categories[dimension_id][(position // strides[position_of[dimension_id]]) % size][0]
            for dimension_id, size in zip(ids, sizes, strict=True)
        }
        try:
            value = _parse_value(raw)
        except (InvalidOperation, ValueError):
            result.add_error(position + 1, "value", _("“%(value)s” is not a number.") % {"value": str(raw)[:40]})
            continue
        indicator_code, name, unit = contents[chosen[metric_id]]
        region_code, region_name = regions[chosen[geo_id]]
        records.append(
            Record(
                row=position + 1,
                code=indicator_code,
                name=name,
                unit=unit,
                source=dataset_source[:250],
                region_code=region_code,
                region_name=region_name,
                year=years[chosen[time_id]],
                value=value,
            )
        )
    return records


# --- Writing ---------------------------------------------------------------------------------------


def _announce(hub_id: int) -> None:
    dependency.changed(*hub_indicators_keys(hub_id))
    transaction.on_commit(partial(indicators_changed.send, sender=Indicator, hub_id=hub_id))


def _check_import_allowed(actor, hub: HubPage) -> None:
    """``actor`` None is the system itself (management commands, demo data)."""
    if actor is not None and not can_import_indicators(actor, hub):
        raise PermissionDenied(_("Only the hub's coordinators import indicators."))
    if not hub.municipality_number:
        raise file_error(
            _(
                "Set the hub's municipality number first (the hub page's settings): it tells the municipality's "
                "own figures from the reference figures."
            )
        )


def _plan_and_write(hub: HubPage, records: list[Record], result: ImportResult) -> None:
    """Check the records against each other, compare them with the database, and write unless a dry run."""
    by_code: dict[str, list[Record]] = {}
    seen: dict[tuple[str, str, int], int | None] = {}
    for record in records:
        key = (record.code, record.region_code, record.year)
        if key in seen:
            where = _("row %(row)s") % {"row": seen[key]} if seen[key] else _("another position")
            result.add_error(
                record.row,
                "year",
                _("The figure for %(code)s, region %(region)s, %(year)s is given twice (also in %(where)s).")
                % {"code": record.code, "region": record.region_code, "year": record.year, "where": where},
            )
            continue
        seen[key] = record.row
        first = by_code.setdefault(record.code, [record])[0]
        if first is not record:
            by_code[record.code].append(record)
            for column in ("name", "unit", "source"):
                if (
                    getattr(record, column)
                    and getattr(first, column)
                    and getattr(record, column) != getattr(first, column)
                ):
                    result.add_error(
                        record.row,
                        column,
                        _("The indicator %(code)s has a different %(column)s in row %(row)s.")
                        % {"code": record.code, "column": column, "row": first.row},
                    )
    if not records and not result.errors:
        result.add_error(None, "", _("The file holds no figures."))
    if result.errors:
        return

    own = hub.municipality_number
    existing = {indicator.code: indicator for indicator in Indicator.objects.filter(hub=hub, code__in=list(by_code))}
    series_by_key = {
        (series.indicator_id, series.region_code): series
        for series in Series.objects.filter(indicator__in=list(existing.values()))
    }
    values_by_key = {
        (value.series_id, value.year): value
        for value in Value.objects.filter(series__in=list(series_by_key.values())).only(
            "id", "series_id", "year", "value"
        )
    }

    with transaction.atomic():
        wrote = False
        for code, group in by_code.items():
            first = group[0]
            fields = {
                "name": first.name,
                "unit": next((r.unit for r in group if r.unit), ""),
                "source": next((r.source for r in group if r.source), ""),
            }
            indicator = existing.get(code)
            if indicator is None:
                change = IndicatorChange(code=code, name=first.name, action=CREATED)
                if not result.dry_run:
                    indicator = Indicator.objects.create(hub=hub, code=code, **fields)
            else:
                changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
                change = IndicatorChange(code=code, name=first.name, action=UPDATED if changed else UNCHANGED)
                if changed and not result.dry_run:
                    for name in changed:
                        setattr(indicator, name, fields[name])
                    indicator.save(update_fields=[*changed, "updated_at"])
            result.changes.append(change)

            regions: dict[str, list[Record]] = {}
            for record in group:
                regions.setdefault(record.region_code, []).append(record)
            new_values, changed_values = [], []
            for region_code, region_records in regions.items():
                region_name = next((r.region_name for r in region_records if r.region_name), "")
                change.regions.append(region_name or region_code)
                is_reference = region_code != own
                series = (
                    series_by_key.get((indicator.pk, region_code)) if indicator is not None and indicator.pk else None
                )
                if series is None:
                    if not result.dry_run:
                        series = Series.objects.create(
                            indicator=indicator,
                            region_code=region_code,
                            region_name=region_name,
                            is_reference=is_reference,
                        )
                    change.values_created += len(region_records)
                    new_values.extend(
                        Value(series=series, year=r.year, value=r.value) for r in region_records if series is not None
                    )
                    continue
                series_changes = []
                if region_name and series.region_name != region_name:
                    series.region_name = region_name
                    series_changes.append("region_name")
                if series.is_reference != is_reference:
                    series.is_reference = is_reference
                    series_changes.append("is_reference")
                if series_changes and not result.dry_run:
                    series.save(update_fields=series_changes)
                for record in region_records:
                    stored = values_by_key.get((series.pk, record.year))
                    if stored is None:
                        change.values_created += 1
                        new_values.append(Value(series=series, year=record.year, value=record.value))
                    elif stored.value.quantize(VALUE_PLACES) != record.value:
                        change.values_updated += 1
                        stored.value = record.value
                        changed_values.append(stored)
                    else:
                        change.values_unchanged += 1
                if series_changes and change.action == UNCHANGED:
                    change.action = UPDATED
            if (change.values_created or change.values_updated) and change.action == UNCHANGED:
                change.action = UPDATED
            if not result.dry_run:
                Value.objects.bulk_create(new_values, batch_size=1000)
                Value.objects.bulk_update(changed_values, ["value"], batch_size=1000)
                if change.action == UPDATED and indicator is not None:
                    # A new figure is a change to the indicator, for anyone sorting by "updated".
                    Indicator.objects.filter(pk=indicator.pk).update(updated_at=timezone.now())
            wrote = wrote or change.action != UNCHANGED
        if not result.dry_run:
            if wrote:
                perspectives_ensure(hub)
                _announce(hub.pk)
            result.written = True


def _import(hub, file, actor, dry_run, result, read) -> ImportResult:
    _check_import_allowed(actor, hub)
    text, result.encoding = decode(_read_limited(file))
    records = read(text, result)
    # Checks across rows (a figure given twice, names that differ) run even after row errors.
    _plan_and_write(hub, records, result)
    return result


def indicators_import_csv(*, hub: HubPage, file, actor, dry_run: bool = True) -> ImportResult:
    """Import a CSV of yearly figures into ``hub`` (columns: ``CSV_COLUMNS``, see DEVELOPERS.md).

    Rows whose ``region_code`` is the hub's municipality number are its own series; any other
    region (the county, 0 for the country) is a reference series. Raises ``ValidationError`` for
    a file that cannot be read at all; row problems are in ``result.errors``, and then nothing is written.
    """
    return _import(hub, file, actor, dry_run, ImportResult(dry_run=dry_run, format="csv"), _csv_records)


def indicators_import_jsonstat(
    *, hub: HubPage, file, actor, dry_run: bool = True, table_id: str = "", source: str = ""
) -> ImportResult:
    """Import a JSON-stat 2.0 dataset (as SSB's PxWebApi returns it) into ``hub``.

    The geo dimension gives the series (the hub's municipality number is its own, others are
    references), the time dimension the years (yearly figures only), and each category of the
    metric dimension (SSB's ``ContentsCode``) one indicator, coded ``<table id>.<contents code>``.
    Any other dimension must have a single category.
    """
    result = ImportResult(dry_run=dry_run, format="json-stat")
    read = partial(_jsonstat_records, table_id=table_id, source=source)
    return _import(hub, file, actor, dry_run, result, read)


def indicators_import(*, hub: HubPage, file, actor, dry_run: bool = True) -> ImportResult:
    """CSV or JSON-stat, told apart by the first character of the file."""
    data = _read_limited(file)
    if data.lstrip(codecs.BOM_UTF8).lstrip()[:1] == b"{":
        return indicators_import_jsonstat(hub=hub, file=io.BytesIO(data), actor=actor, dry_run=dry_run)
    return indicators_import_csv(hub=hub, file=io.BytesIO(data), actor=actor, dry_run=dry_run)


# --- Classification --------------------------------------------------------------------------------


_UNSET = object()


def indicator_classify(
    *,
    indicator: Indicator,
    actor,
    goals: Iterable = (),
    targets: Iterable = (),
    dimension: str = "",
    perspective: Perspective | None = None,
    quality: str = "",
    quality_reason: str = "",
    un_indicators: Iterable = (),
    description=_UNSET,
    higher_is_better=_UNSET,
) -> Indicator:
    """Classify ``indicator`` the KS/SSB way.

    The goals of the chosen targets and UN indicators are added to the goals (an indicator that
    speaks to target 7.2 speaks to goal 7). The perspective must be one of the indicator's hub; a
    quality of "partly fit" or "not fit" needs a reason.
    """
    if actor is not None and not can_classify_indicator(actor, indicator):
        raise PermissionDenied(_("Only the hub's coordinators classify its indicators."))
    goals, targets, un_indicators = list(goals), list(targets), list(un_indicators)
    quality_reason = (quality_reason or "").strip()
    errors = {}
    if dimension and dimension not in Dimension.values:
        errors["dimension"] = _("Choose a dimension from the list.")
    if quality and quality not in Quality.values:
        errors["quality"] = _("Choose a quality from the list.")
    if quality in QUALITY_NEEDS_REASON and not quality_reason:
        errors["quality_reason"] = _("Say why the indicator is not fully fit for its purpose.")
    if perspective is not None and perspective.hub_id != indicator.hub_id:
        errors["perspective"] = _("Choose one of this hub's perspectives.")
    if errors:
        raise ValidationError(errors)
    goal_ids = {goal.pk for goal in goals}
    goal_ids |= {target.goal_id for target in targets}
    goal_ids |= {un_indicator.target.goal_id for un_indicator in un_indicators}
    target_ids = {target.pk for target in targets} | {un_indicator.target_id for un_indicator in un_indicators}

    with transaction.atomic():
        indicator.dimension = dimension or ""
        indicator.perspective = perspective
        indicator.quality = quality or ""
        indicator.quality_reason = quality_reason
        if description is not _UNSET:
            indicator.description = (description or "").strip()
        if higher_is_better is not _UNSET:
            indicator.higher_is_better = higher_is_better
        indicator.full_clean(exclude=["hub", "code", "name", "unit", "source", "goals", "targets", "un_indicators"])
        indicator.save()
        indicator.goals.set(sorted(goal_ids))
        indicator.targets.set(sorted(target_ids))
        indicator.un_indicators.set([un_indicator.pk for un_indicator in un_indicators])
        _announce(indicator.hub_id)
    return indicator


classify = indicator_classify


# --- Perspectives ----------------------------------------------------------------------------------


def perspectives_ensure(hub: HubPage) -> list[Perspective]:
    """Give ``hub`` the KS perspectives if it has none yet; the hub's list, in order."""
    with transaction.atomic():
        if not Perspective.objects.filter(hub=hub).exists():
            Perspective.objects.bulk_create(
                [
                    Perspective(hub=hub, name=name, sort_order=(i + 1) * 10)
                    for i, name in enumerate(DEFAULT_PERSPECTIVES)
                ]
            )
            _announce(hub.pk)
    return list(Perspective.objects.filter(hub=hub))


def _perspective_clean(hub: HubPage, name: str, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the perspective a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("The name is longer than 120 characters.")})
    taken = Perspective.objects.filter(hub=hub, name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("The hub has a perspective with this name already.")})
    return name


def perspective_create(*, hub: HubPage, actor, name: str, sort_order: int | None = None) -> Perspective:
    if actor is not None and not can_manage_perspectives(actor, hub):
        raise PermissionDenied(_("Only the hub's coordinators edit its perspectives."))
    name = _perspective_clean(hub, name)
    with transaction.atomic():
        if sort_order is None:
            sort_order = (Perspective.objects.filter(hub=hub).aggregate(top=Max("sort_order"))["top"] or 0) + 10
        perspective = Perspective.objects.create(hub=hub, name=name, sort_order=min(sort_order, 32767))
        _announce(hub.pk)
    return perspective


def perspective_update(*, perspective: Perspective, actor, name: str, sort_order: int) -> Perspective:
    if actor is not None and not can_edit_perspective(actor, perspective):
        raise PermissionDenied(_("Only the hub's coordinators edit its perspectives."))
    name = _perspective_clean(perspective.hub, name, exclude_pk=perspective.pk)
    if perspective.name == name and perspective.sort_order == sort_order:
        return perspective
    with transaction.atomic():
        perspective.name = name
        perspective.sort_order = sort_order
        perspective.save(update_fields=["name", "sort_order"])
        _announce(perspective.hub_id)
    return perspective


def perspective_delete(*, perspective: Perspective, actor) -> None:
    """Remove a perspective; the indicators classified with it keep the rest of their classification."""
    if actor is not None and not can_edit_perspective(actor, perspective):
        raise PermissionDenied(_("Only the hub's coordinators edit its perspectives."))
    with transaction.atomic():
        hub_id = perspective.hub_id
        perspective.delete()
        _announce(hub_id)
