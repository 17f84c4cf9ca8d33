"""Indicators written straight with the ORM (the import services are tested on their own)."""

import itertools
from decimal import Decimal

from indicators.models import Indicator, Series, Value

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
