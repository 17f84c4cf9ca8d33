"""Factories for indicators tests: a hub with a municipality number, its coordinator, indicators."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Indicator, Series, Value
from tests.partners.factories import coordinator_create, hub_create

__all__ = ["coordinator_create", "csv_upload", "hub_create", "indicator_create", "indicators_hub_create"]


def indicators_hub_create(**fields):
    fields.setdefault("municipality_number", "1508")
    return hub_create(**fields)


def indicator_create(hub, *, code="IND1", values=None, **fields) -> Indicator:
    """An indicator saved directly, with an own series of ``values`` ({year: value}) if given."""
    fields.setdefault("name", f"Indikator {code}")
    indicator = Indicator.objects.create(hub=hub, code=code, **fields)
    if values:
        series = Series.objects.create(indicator=indicator, region_code=hub.municipality_number or "0")
        Value.objects.bulk_create(Value(series=series, year=year, value=value) for year, value in values.items())
    return indicator


def csv_upload(lines: list[str], *, name="indikatorer.csv", bom=False) -> SimpleUploadedFile:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return SimpleUploadedFile(name, data, content_type="text/csv")


def as_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))
