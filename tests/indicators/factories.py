"""Factories for indicators tests: a hub with a municipality number, its coordinator, indicators
written straight with the ORM, uploads for the import services."""

import io
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Indicator, Series, Value
from tests.partners.factories import coordinator_create, hub_create

__all__ = ["as_file", "coordinator_create", "csv_upload", "hub_create", "indicator_create", "indicators_hub_create"]

_sequence = itertools.count(1)


def indicator_create(hub, *, goals=(), targets=(), values=None, reference=None, **fields) -> Indicator:
    """An indicator of ``hub`` with an own series (``values``: {year: value}) and optionally a
    reference series (``reference``: {year: value}, the whole country)."""
    number = next(_sequence)
    fields.setdefault("code", f"KOSTRA-{number}")
    fields.setdefault("name", f"Indikator {number}")
    fields.setdefault("unit", "%")
    indicator = Indicator.objects.create(hub=hub, **fields)
    indicator.goals.set(goals)
    indicator.targets.set(targets)
    if values is not None:
        own = Series.objects.create(
            indicator=indicator, region_code=hub.municipality_number or "1507", region_name=hub.municipality
        )
        Value.objects.bulk_create(Value(series=own, year=y, value=Decimal(str(v))) for y, v in values.items())
    if reference is not None:
        country = Series.objects.create(indicator=indicator, region_code="0", region_name="Norge", is_reference=True)
        Value.objects.bulk_create(Value(series=country, year=y, value=Decimal(str(v))) for y, v in reference.items())
    return indicator


def indicators_hub_create(**fields):
    fields.setdefault("municipality_number", "1508")
    return hub_create(**fields)


def csv_upload(lines: list[str], *, name="indikatorer.csv", bom=False) -> SimpleUploadedFile:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return SimpleUploadedFile(name, data, content_type="text/csv")


def as_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))
