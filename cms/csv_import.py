"""Reading an uploaded CSV file for an import, the same way in every app.

An app's import reads the upload with ``read_limited``, turns it into text with ``decode`` and
into rows with ``read_table``: the delimiter is sniffed from the first row (semicolons, as Excel
writes in Norwegian, commas or tabs), the first row must name the columns, and the rows come with
their line numbers in the spreadsheet (the column names are row 1). What the app does with each
row (validation, writing) stays in the app.

A problem with the file as a whole is a ``ValidationError`` on the form's ``file`` field, in the
person's language.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

DELIMITERS = (";", ",", "\t")


def file_error(message: str) -> ValidationError:
    """A problem with the whole file, shown on the upload form's ``file`` field."""
    return ValidationError({"file": message})


def read_limited(file, max_bytes: int) -> bytes:
    """The upload's bytes, refused when larger than ``max_bytes`` or empty (only white space)."""
    limit_text = _("The file is larger than %(limit)s MB. Split it into smaller files.") % {
        "limit": max_bytes // (1024 * 1024)
    }
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise file_error(limit_text)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise file_error(limit_text)
    if not data.strip():
        raise file_error(_("The file is empty."))
    return data


def decode(data: bytes, *, windows_1252: bool = False) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), else Windows-1252 if allowed.

    ``windows_1252`` is for imports of CSV only (what older Excel saves); an import that also
    takes other text formats (JSON) reads UTF-8 alone.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        if windows_1252:
            message = _(
                "This is not a plain-text CSV file (it may be an Excel workbook or UTF-16 text). "
                "In your spreadsheet program, save it as “CSV UTF-8” and try again."
            )
        else:
            message = _(
                "This is not a plain-text file (it may be an Excel workbook or UTF-16 text). "
                "In your spreadsheet program, save it as “CSV UTF-8” and try again."
            )
        raise file_error(message)
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as error:
        if not windows_1252:
            raise file_error(
                _(
                    "The file is not UTF-8 text (unreadable byte at position %(position)s). "
                    "Save it as “CSV UTF-8” and try again."
                )
                % {"position": error.start}
            ) from error
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise file_error(
            _(
                "The file could not be read as UTF-8 or as Windows-1252 text (unreadable byte at position "
                "%(position)s). Save it as “CSV UTF-8” and try again."
            )
            % {"position": error.start}
        ) from error


def sniff_delimiter(header_line: str) -> str:
    """Semicolons (Excel in Norwegian), commas or tabs: whichever separates the column names."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def delimiter_label(delimiter: str) -> str:
    """The delimiter in words, for "separated by …"."""
    return {";": _("semicolons"), ",": _("commas"), "\t": _("tabs")}.get(delimiter, delimiter)


def header_key(cell: str, aliases: Mapping[str, str] | None = None) -> str:
    """A column name as the import knows it: any case; spaces and hyphens count as "_"."""
    key = re.sub(r"[\s-]+", "_", cell.strip().strip("\ufeff").lower())
    return (aliases or {}).get(key, key)


def check_header(header: list[str], *, required: Iterable[str], known: Iterable[str]) -> None:
    """Refuse a first row that lacks a required column, names an unknown one or one twice."""
    known = tuple(known)
    names = [name for name in header if name]
    missing = [name for name in required if name not in names]
    unknown = [name for name in names if name not in known]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if duplicates:
        problems.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(duplicates)})
    if problems:
        problems.append(
            _("The first row must name the columns; the known columns are: %(columns)s.")
            % {"columns": ", ".join(known)}
        )
        raise file_error(" ".join(problems))


@dataclass(frozen=True)
class CsvTable:
    """A checked CSV file: its delimiter, its column names and its non-blank rows with line numbers."""

    delimiter: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(
    text: str,
    *,
    required: Iterable[str],
    known: Iterable[str],
    max_rows: int,
    aliases: Mapping[str, str] | None = None,
) -> CsvTable:
    """Split ``text`` into rows, check the column names, and number the non-blank rows from 2.

    Stops reading as soon as there are more rows than ``max_rows``.
    """
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        try:
            header = [header_key(cell, aliases) for cell in next(reader)]
        except StopIteration:
            raise file_error(_("The file is empty.")) from None
        check_header(header, required=required, known=known)
        rows = []
        for line_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= max_rows:
                raise file_error(
                    _("The file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": number_format(max_rows, force_grouping=True)}
                )
            rows.append((line_number, cells))
    except csv.Error as error:
        raise file_error(
            _("The file is not valid CSV near row %(row)s: %(error)s") % {"row": reader.line_num, "error": error}
        ) from error
    return CsvTable(delimiter=delimiter, header=header, rows=rows)
