"""Fictional indicators for the demo hub, added by ``seed_demo`` (see its docstring for the hook).

The demo hub (Fjordvik, a made-up municipality) gets the municipality number 1599, which is no
real municipality's (Møre og Romsdal's numbers stop at 1580), if it has none. Six indicators over
ten years with made-up county and national references come from ``demo_data/indicators.csv``,
and two more from ``demo_data/ssb-example.json``, a JSON-stat 2.0 file shaped like an answer of
SSB's statistics bank. Every figure is invented; each indicator is marked ``fictional`` and its
source says "Fiktive demodata". They are classified the KS/SSB way.

Projects are seeded after this app (``projects`` comes later in ``INSTALLED_APPS``), so no demo
project links an indicator here.

Idempotent: imports change nothing the second time and the classification is set to the same values.
"""

from pathlib import Path

from goals.models import Goal, Target
from goals.models import Indicator as UnIndicator
from indicators.models import Dimension, Indicator, Perspective, Quality
from indicators.services import (
    DEFAULT_PERSPECTIVES,
    indicator_classify,
    indicators_import_csv,
    indicators_import_jsonstat,
    perspectives_ensure,
)

DEMO_DATA = Path(__file__).parent / "demo_data"
DEMO_MUNICIPALITY_NUMBER = "1599"
SERVICE, DEVELOPER, AUTHORITY, OWNER = DEFAULT_PERSPECTIVES

# code: (goals, targets, UN indicators, dimension, perspective, quality, reason, higher is better)
CLASSIFICATION = {
    "FORNYBAR": ([7], ["7.2"], ["7.2.1"], Dimension.ENVIRONMENTAL, DEVELOPER, Quality.FIT, "", True),
    "AVFALL": ([12], ["12.5"], [], Dimension.ENVIRONMENTAL, SERVICE, Quality.FIT, "", False),
    "FRAFALL": (
        [4],
        ["4.1"],
        [],
        Dimension.SOCIAL,
        SERVICE,
        Quality.PARTLY_FIT,
        "Måler fullføring etter fem år, ikke læringsutbytte; små kull gir store svingninger.",
        False,
    ),
    "KLIMAGASS": ([13], ["13.2"], [], Dimension.ENVIRONMENTAL, DEVELOPER, Quality.FIT, "", False),
    "SYKKELGANGE": (
        [11, 3],
        ["11.2"],
        [],
        Dimension.ENVIRONMENTAL,
        DEVELOPER,
        Quality.PARTLY_FIT,
        "Reisevaneundersøkelsen har få svar per kommune.",
        True,
    ),
    "LAVINNTEKT": ([1, 10], ["1.2"], [], Dimension.SOCIAL, DEVELOPER, Quality.FIT, "", False),
    "99901.Barnehagedekning": ([4], ["4.2"], [], Dimension.SOCIAL, SERVICE, Quality.FIT, "", True),
    "99901.Kollektivreiser": (
        [11],
        ["11.2"],
        ["11.2.1"],
        Dimension.ENVIRONMENTAL,
        OWNER,
        Quality.NOT_FIT,
        "Tellingene ble lagt om i 2020, så tallene før og etter kan ikke sammenlignes.",
        True,
    ),
}
DESCRIPTION = "Fiktive demodata: tallene er oppdiktet for å vise hvordan indikatorer ser ut i Dugnad."


def seed_demo_extend(hub, stdout) -> None:
    if not hub.municipality_number:
        # Through a published revision: the page editor opens the latest revision, which must have it too.
        hub.municipality_number = DEMO_MUNICIPALITY_NUMBER
        hub.save_revision().publish()
    with (DEMO_DATA / "indicators.csv").open("rb") as file:
        result = indicators_import_csv(hub=hub, file=file, actor=None, dry_run=False)
    with (DEMO_DATA / "ssb-example.json").open("rb") as file:
        second = indicators_import_jsonstat(hub=hub, file=file, actor=None, dry_run=False)
    if not (result.ok and second.ok):
        stdout.write(f"Demo indicators not imported: {[*result.errors, *second.errors]}")
        return
    Indicator.objects.filter(hub=hub, code__in=CLASSIFICATION).update(fictional=True)
    perspectives_ensure(hub)
    perspectives = {perspective.name: perspective for perspective in Perspective.objects.filter(hub=hub)}
    for indicator in Indicator.objects.filter(hub=hub, code__in=CLASSIFICATION):
        goals, targets, un_codes, dimension, perspective, quality, reason, higher = CLASSIFICATION[indicator.code]
        indicator_classify(
            indicator=indicator,
            actor=None,
            goals=Goal.objects.filter(number__in=goals),
            targets=Target.objects.filter(code__in=targets),
            un_indicators=UnIndicator.objects.filter(code__in=un_codes),
            dimension=dimension,
            perspective=perspectives.get(perspective),
            quality=quality,
            quality_reason=reason,
            higher_is_better=higher,
            description=indicator.description or DESCRIPTION,
        )
    stdout.write(
        f"Demo indicators: {result.created + second.created} new, municipality number {hub.municipality_number}"
    )
