"""The CSV reading that every app's import shares (cms.csv_import)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms import csv_import


def file_message(raised) -> str:
    return " ".join(raised.value.message_dict["file"])


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a;b,c;d", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("name", ",")],
)
def test_the_delimiter_is_the_one_that_separates_the_column_names(line, delimiter):
    assert csv_import.sniff_delimiter(line) == delimiter


def test_delimiters_are_named_in_words():
    with translation.override("en"):
        assert [csv_import.delimiter_label(d) for d in (";", ",", "\t", "|")] == ["semicolons", "commas", "tabs", "|"]


def test_column_names_ignore_case_spaces_hyphens_and_a_bom_and_follow_aliases():
    assert csv_import.header_key("\ufeffRegion-Code ") == "region_code"
    assert csv_import.header_key("Kommune Nummer", {"kommune_nummer": "region_code"}) == "region_code"


def test_a_header_with_missing_unknown_and_repeated_columns_names_them_all():
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        csv_import.check_header(["name", "name", "colour"], required=("name", "kind"), known=("name", "kind"))
    assert file_message(raised) == (
        "Missing columns: kind. Unknown columns: colour. Columns given twice: name. "
        "The first row must name the columns; the known columns are: name, kind."
    )


def test_rows_come_with_their_line_numbers_and_blank_rows_are_skipped():
    table = csv_import.read_table("Name;Kind\nA;x\n;\nB;y\n", required=("name",), known=("name", "kind"), max_rows=10)
    assert table.delimiter == ";" and table.header == ["name", "kind"]
    assert table.rows == [(2, ["A", "x"]), (4, ["B", "y"])]


def test_more_rows_than_allowed_are_refused_with_the_limit():
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        csv_import.read_table("name\n" + "a\n" * 1001, required=("name",), known=("name",), max_rows=1000)
    assert "more than 1,000 rows" in file_message(raised)


def test_utf8_with_a_bom_then_windows_1252_when_allowed():
    assert csv_import.decode("\ufeffÅlesund".encode()) == ("Ålesund", "UTF-8")
    assert csv_import.decode("Ålesund".encode("cp1252"), windows_1252=True) == ("Ålesund", "Windows-1252")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        csv_import.decode("Ålesund".encode("cp1252"))
    assert "not UTF-8 text" in file_message(raised)


def test_utf16_or_a_workbook_is_not_plain_text():
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        csv_import.decode("name".encode("utf-16"), windows_1252=True)
    assert "not a plain-text CSV file" in file_message(raised)


def test_reading_stops_past_the_limit_and_refuses_an_empty_file():
    with translation.override("en"):
        with pytest.raises(ValidationError, match="larger than 1 MB"):
            csv_import.read_limited(io.BytesIO(b"x" * (1024 * 1024 + 1)), 1024 * 1024)
        with pytest.raises(ValidationError, match="The file is empty"):
            csv_import.read_limited(io.BytesIO(b" \r\n"), 1024)
    assert csv_import.read_limited(io.StringIO("name\n"), 1024) == b"name\n"
