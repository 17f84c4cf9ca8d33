"""A hand-made hub for the review tests: projects in and out of the period, a draft, progress
updates in and out of it, outcome measurements, indicators with own and reference series."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from indicators.models import Dimension, Indicator, Perspective, Quality, Series, Value
from partners.models import PartnerKind, PartnershipStatus
from projects.models import OutcomeMeasurement, ProgressUpdate, ProjectStatus
from reviews.selectors import Period
from tests.partners.factories import hub_create, partner_create, partnership_create
from tests.projects.factories import approved_partner_create, goal, outcome_create, project_create, project_index_create

PERIOD = Period(date(2024, 1, 1), date(2025, 12, 31))
_sequence = itertools.count(1)


def update_create(project, partner, reported_on: date, text: str) -> ProgressUpdate:
    return ProgressUpdate.objects.create(project=project, partner=partner, reported_on=reported_on, text=text)


def measurement_create(outcome, update, value, measured_on: date) -> OutcomeMeasurement:
    return OutcomeMeasurement.objects.create(outcome=outcome, update=update, value=value, measured_on=measured_on)


def indicator_create(hub, *, code, name, goals=(), values=None, reference=None, **fields) -> Indicator:
    """An indicator with the municipality's series (``values``: {year: value}) and optionally a
    reference series (``reference``: (region name, {year: value}))."""
    indicator = Indicator.objects.create(hub=hub, code=code, name=name, **fields)
    indicator.goals.set([goal(number) for number in goals])
    own = Series.objects.create(indicator=indicator, region_code="1508", region_name="Ålesund")
    for year, value in (values or {}).items():
        Value.objects.create(series=own, year=year, value=Decimal(str(value)))
    if reference:
        region_name, reference_values = reference
        series = Series.objects.create(indicator=indicator, region_code="0", region_name=region_name, is_reference=True)
        for year, value in reference_values.items():
            Value.objects.create(series=series, year=year, value=Decimal(str(value)))
    return indicator


@dataclass
class ReviewScene:
    hub: object
    index: object
    lead: object
    school: object
    harbour: object
    old: object
    future: object
    draft: object
    waste: object
    renewables: object


def review_scene_create() -> ReviewScene:
    hub = hub_create(title="Ålesund framtidslab", municipality="Ålesund", municipality_number="1508")
    index = project_index_create(hub)
    lead = approved_partner_create(hub, name="Havkraft AS")
    school = approved_partner_create(hub, name="Fjordskolen", kind=PartnerKind.PUBLIC_SECTOR)
    partnership_create(partner=partner_create(name="Søker AS"), hub=hub, status=PartnershipStatus.APPLIED)
    harbour = project_create(
        index,
        title="Landstrøm i havna",
        primary_goal=goal(7),
        goals=[goal(13)],
        partners=[school],
        lead_partner=lead,
        start_date=date(2023, 1, 1),
        status=ProjectStatus.ACTIVE,
    )
    emissions = outcome_create(harbour, title="Utslipp", unit="tonn CO₂", baseline=100, target_value=40)
    first_text = "<p>Vi har <strong>koblet</strong> første skip &amp; ferje.</p>"
    first = update_create(harbour, lead, date(2024, 5, 1), first_text)
    second = update_create(harbour, school, date(2025, 9, 1), "<p>Elevene målte støy.</p><ul><li>Lavere</li></ul>")
    later = update_create(harbour, lead, date(2026, 3, 1), "<p>Etter perioden.</p>")
    update_create(harbour, lead, date(2022, 3, 1), "<p>Gammel rapport.</p>")
    measurement_create(emissions, first, 80, date(2024, 6, 1))
    measurement_create(emissions, second, 70, date(2025, 6, 1))
    measurement_create(emissions, later, 50, date(2026, 3, 1))
    old = project_create(
        index,
        title="Gammel dugnad",
        primary_goal=goal(14),
        start_date=date(2019, 1, 1),
        end_date=date(2022, 12, 31),
        status=ProjectStatus.COMPLETED,
    )
    future = project_create(index, title="Framtidig plan", primary_goal=goal(15), start_date=date(2027, 1, 1))
    draft = project_create(index, title="Hemmeleg utkast", primary_goal=goal(3), live=False)
    perspective = Perspective.objects.create(hub=hub, name="Kommunen som tenesteytar")
    waste = indicator_create(
        hub,
        code="AVF01",
        name="Husholdningsavfall per innbygger",
        unit="kg",
        goals=[12],
        values={2023: 500, 2024: 480, 2025: 450, 2026: 400},
        reference=("Norge", {2024: 430, 2025: 420}),
        higher_is_better=False,
        fictional=True,
        dimension=Dimension.ENVIRONMENTAL,
        perspective=perspective,
        quality=Quality.PARTLY_FIT,
        quality_reason="Tar ikkje med næringsavfall.",
    )
    renewables = indicator_create(
        hub, code="ENR01", name="Fornybar andel", unit="%", goals=[7], values={2020: 40}, fictional=True
    )
    return ReviewScene(hub, index, lead, school, harbour, old, future, draft, waste, renewables)


def more_data_create(scene: ReviewScene) -> None:
    """More of everything the review reads: the query count must not change."""
    for _ in range(3):
        number = next(_sequence)
        partner = approved_partner_create(scene.hub, name=f"Ekstra {number} AS")
        project = project_create(
            scene.index,
            title=f"Ekstra prosjekt {number}",
            primary_goal=goal(11),
            goals=[goal(4), goal(5)],
            partners=[partner, scene.school],
            lead_partner=partner,
            start_date=date(2024, 2, 1),
        )
        outcome = outcome_create(project)
        for month in (3, 4, 5, 6):
            update = update_create(project, partner, date(2025, month, 1), f"<p>Rapport {month}.</p>")
            measurement_create(outcome, update, 90 - month, date(2025, month, 1))
        indicator_create(
            scene.hub,
            code=f"X{number}",
            name=f"Ekstra indikator {number}",
            goals=[11, 4],
            values={2024: 1, 2025: 2},
            reference=("Møre og Romsdal", {2025: 3}),
        )
