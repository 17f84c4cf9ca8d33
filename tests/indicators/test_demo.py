"""The demo's fictional indicators."""

import io

import pytest

from indicators.demo import CLASSIFICATION, seed_demo_extend
from indicators.models import Indicator, Series, Value
from tests.partners.factories import hub_create

pytestmark = pytest.mark.django_db


def test_the_demo_hub_gets_classified_fictional_indicators_once():
    hub = hub_create(title="Fjordvik framtidslab (fiktiv)")
    seed_demo_extend(hub, io.StringIO())

    hub.refresh_from_db()
    assert hub.municipality_number == "1599"
    assert hub.get_latest_revision_as_object().municipality_number == "1599"
    indicators = Indicator.objects.filter(hub=hub)
    assert set(indicators.values_list("code", flat=True)) == set(CLASSIFICATION)
    assert all(indicator.fictional for indicator in indicators)
    assert all("Fiktive demodata" in indicator.source for indicator in indicators)
    waste = indicators.get(code="AVFALL")
    assert set(waste.series.values_list("region_code", "is_reference")) == {("1599", False), ("15", True), ("0", True)}
    assert waste.series.get(region_code="1599").values.count() == 10
    assert list(waste.goals.values_list("number", flat=True)) == [12]
    assert waste.quality == "fit" and waste.perspective.name == "Kommunen som tjenesteyter"
    assert indicators.get(code="99901.Kollektivreiser").quality_reason

    counts = (Series.objects.count(), Value.objects.count())
    seed_demo_extend(hub, io.StringIO())
    assert (Series.objects.count(), Value.objects.count()) == counts
