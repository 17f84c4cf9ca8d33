"""Imports (CSV and JSON-stat), classification and perspectives, through the services."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.models import Goal, Target
from goals.models import Indicator as UnIndicator
from indicators import services
from indicators.events import indicators_changed
from indicators.models import Indicator, Perspective, Quality, Series, Value
from tests.indicators.factories import as_file, csv_upload, indicators_hub_create

pytestmark = pytest.mark.django_db

DEMO_DATA = Path(services.__file__).parent / "demo_data"
HEADER = "code;name;unit;region_code;region_name;year;value;source"


def good_lines():
    return [
        HEADER,
        "AVFALL;Husholdningsavfall per innbygger;kg;1508;Ålesund;2022;412,5;SSB",
        "AVFALL;Husholdningsavfall per innbygger;kg;1508;Ålesund;2023;400;SSB",
        "AVFALL;Husholdningsavfall per innbygger;kg;15;Møre og Romsdal;2023;390,25;SSB",
        "AVFALL;Husholdningsavfall per innbygger;kg;0;Hele landet;2023;..;SSB",
        "FRAFALL;Frafall i videregående;%;1508;Ålesund;2023;14,1;SSB",
    ]


def test_a_csv_import_creates_indicators_series_and_values(hub, coordinator):
    result = services.indicators_import_csv(
        hub=hub, file=csv_upload(good_lines(), bom=True), actor=coordinator, dry_run=False
    )

    assert result.ok and result.written
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert result.values_created == 4 and result.skipped == 1
    avfall = Indicator.objects.get(hub=hub, code="AVFALL")
    assert (avfall.name, avfall.unit, avfall.source) == ("Husholdningsavfall per innbygger", "kg", "SSB")
    own = avfall.series.get(region_code="1508")
    reference = avfall.series.get(region_code="15")
    assert not own.is_reference and reference.is_reference and reference.region_name == "Møre og Romsdal"
    assert dict(own.values.values_list("year", "value")) == {2022: Decimal("412.5"), 2023: Decimal("400")}
    assert not avfall.series.filter(region_code="0").exists()
    # The hub gets the KS perspectives when it first uses indicators.
    assert Perspective.objects.filter(hub=hub).count() == len(services.DEFAULT_PERSPECTIVES)


def test_commas_and_a_plain_header_are_read_too(hub, coordinator):
    lines = [
        "Code,Name,Region code,Year,Value",
        'X1,"Andel, i prosent",1508,2020,"12,5"',
        'X1,"Andel, i prosent",1508,2021,13.5',
    ]
    result = services.indicators_import_csv(hub=hub, file=csv_upload(lines), actor=coordinator, dry_run=False)
    assert result.ok, result.errors
    assert result.delimiter == ","
    values = Value.objects.filter(series__indicator__code="X1").order_by("year").values_list("value", flat=True)
    assert list(values) == [Decimal("12.5"), Decimal("13.5")]


def test_row_errors_are_reported_with_row_and_column_and_nothing_is_written(hub, coordinator):
    lines = [
        HEADER,
        "AVFALL;Avfall;kg;1508;Ålesund;2023;400;SSB",
        "AVFALL;Avfall;kg;1508;Ålesund;20x3;400;SSB",
        "AVFALL;Avfall;kg;1508;Ålesund;2022;mange;SSB",
        ";Uten kode;kg;1508;Ålesund;2022;1;SSB",
        "AVFALL;Avfall;kg;1508;Ålesund;2023;401;SSB",
        "B/2;Skråstrek;kg;15 08;Ålesund;2022;1;SSB",
    ]
    result = services.indicators_import_csv(hub=hub, file=csv_upload(lines), actor=coordinator, dry_run=False)

    assert not result.ok and not result.written
    found = {(error.row, error.column) for error in result.errors}
    assert found == {(3, "year"), (4, "value"), (5, "code"), (6, "year"), (7, "code"), (7, "region_code")}
    assert not Indicator.objects.exists() and not Value.objects.exists()


def test_a_file_with_unknown_or_missing_columns_is_refused_as_a_whole(hub, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.indicators_import_csv(
            hub=hub, file=csv_upload(["code;name;kommune;year", "A;B;1508;2020"]), actor=coordinator
        )
    message = " ".join(refused.value.message_dict["file"])
    assert "region_code" in message and "value" in message and "kommune" in message


def test_size_limits(hub, coordinator, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_MAX_ROWS", 3)
    lines = [HEADER] + [f"A;Navn;;1508;;{2000 + i};1;" for i in range(4)]
    with pytest.raises(ValidationError, match="more than 3 rows"):
        services.indicators_import_csv(hub=hub, file=csv_upload(lines), actor=coordinator)
    monkeypatch.setattr(services, "IMPORT_MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="larger than"):
        services.indicators_import_csv(hub=hub, file=csv_upload(lines * 3), actor=coordinator)


def test_a_dry_run_writes_nothing_and_reports_what_would_change(hub, coordinator):
    result = services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=True)
    assert result.ok and not result.written
    assert result.created == 2 and result.values_created == 4
    assert not Indicator.objects.exists() and not Series.objects.exists() and not Perspective.objects.exists()


def test_reimporting_the_same_file_changes_nothing(hub, coordinator, django_capture_on_commit_callbacks):
    services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=False)
    before = {indicator.pk: indicator.updated_at for indicator in Indicator.objects.all()}
    value_ids = set(Value.objects.values_list("pk", flat=True))
    received = []

    def receiver(sender, hub_id, **kwargs):
        received.append(hub_id)

    indicators_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = services.indicators_import_csv(
                hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=False
            )
    finally:
        indicators_changed.disconnect(receiver)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert result.values_unchanged == 4 and result.values_created == result.values_updated == 0
    assert {indicator.pk: indicator.updated_at for indicator in Indicator.objects.all()} == before
    assert set(Value.objects.values_list("pk", flat=True)) == value_ids
    assert received == []


def test_a_changed_figure_updates_only_that_figure_and_announces_it(
    hub, coordinator, django_capture_on_commit_callbacks
):
    services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=False)
    changed = good_lines()
    changed[2] = changed[2].replace(";400;", ";399,5;")
    received = []

    def receiver(sender, hub_id, **kwargs):
        received.append(hub_id)

    indicators_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = services.indicators_import_csv(hub=hub, file=csv_upload(changed), actor=coordinator, dry_run=False)
    finally:
        indicators_changed.disconnect(receiver)

    assert (result.updated, result.unchanged) == (1, 1)
    assert (result.values_updated, result.values_unchanged) == (1, 3)
    assert Value.objects.get(series__region_code="1508", series__indicator__code="AVFALL", year=2023).value == Decimal(
        "399.5"
    )
    assert received == [hub.pk]


def test_a_failure_while_writing_leaves_nothing_behind(hub, coordinator, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Value.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=False)
    assert not Indicator.objects.exists() and not Series.objects.exists()


def test_a_hub_without_a_municipality_number_cannot_import(coordinator, hub):
    hub.municipality_number = ""
    hub.save()
    with pytest.raises(ValidationError, match="municipality number"):
        services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator)


def test_only_coordinators_import(hub):
    from tests.accounts.factories import UserFactory

    with pytest.raises(PermissionDenied):
        services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=UserFactory(verified=True))


# --- JSON-stat -----------------------------------------------------------------------------------------


def jsonstat(**changes) -> dict:
    dataset = json.loads((DEMO_DATA / "ssb-example.json").read_text(encoding="utf-8"))
    dataset.update(changes)
    return dataset


def test_a_jsonstat_dataset_becomes_indicators_with_own_and_reference_series(coordinator):
    hub = indicators_hub_create(municipality_number="1599")
    coordinator_of = coordinator  # coordinates another hub only
    with pytest.raises(PermissionDenied):
        services.indicators_import_jsonstat(hub=hub, file=as_file(json.dumps(jsonstat())), actor=coordinator_of)

    result = services.indicators_import_jsonstat(
        hub=hub, file=as_file(json.dumps(jsonstat())), actor=None, dry_run=False
    )

    assert result.ok, result.errors
    assert result.created == 2 and result.skipped == 1
    kids = Indicator.objects.get(hub=hub, code="99901.Barnehagedekning")
    assert kids.name == "Barn 1-5 år i barnehage (fiktiv)"
    assert kids.unit == "prosent"
    assert kids.source == "Fiktive demodata, table 99901"
    series = {s.region_code: s for s in kids.series.all()}
    assert set(series) == {"1599", "15", "0"}
    assert not series["1599"].is_reference and series["15"].is_reference and series["0"].is_reference
    assert series["0"].region_name == "Hele landet (fiktive tall)"
    # value[9] (Fjordvik, first content, 2024) is null: skipped. The first figure is Fjordvik 2015.
    assert not series["1599"].values.filter(year=2024).exists()
    dataset = jsonstat()
    assert series["1599"].values.get(year=2015).value == Decimal(str(dataset["value"][0]))
    # Position: Region 15 (1), ContentsCode Kollektivreiser (1), Tid 2016 (1) -> 1*20 + 1*10 + 1 = 31.
    buses = Indicator.objects.get(hub=hub, code="99901.Kollektivreiser")
    assert buses.series.get(region_code="15").values.get(year=2016).value == Decimal(str(dataset["value"][31]))

    again = services.indicators_import_jsonstat(
        hub=hub, file=as_file(json.dumps(jsonstat())), actor=None, dry_run=False
    )
    assert again.unchanged == 2 and again.values_created == again.values_updated == 0


def test_jsonstat_values_as_an_object_and_index_as_a_list(hub):
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "id": ["ContentsCode", "Region", "Tid"],
        "size": [1, 2, 2],
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "dimension": {
            "ContentsCode": {"category": {"index": ["Ledige"], "label": {"Ledige": "Ledighet"}}},
            "Region": {"category": {"index": ["K-1508", "0"], "label": {"K-1508": "Ålesund", "0": "Landet"}}},
            "Tid": {"category": {"index": ["2022", "2023"]}},
        },
        "value": {"0": 2.5, "1": 2.25, "3": 3},
    }
    result = services.indicators_import_jsonstat(
        hub=hub, file=as_file(json.dumps(dataset)), actor=None, dry_run=False, table_id="12345"
    )
    assert result.ok, result.errors
    indicator = Indicator.objects.get(code="12345.Ledige")
    assert dict(indicator.series.get(region_code="1508").values.values_list("year", "value")) == {
        2022: Decimal("2.5"),
        2023: Decimal("2.25"),
    }
    assert dict(indicator.series.get(region_code="0").values.values_list("year", "value")) == {2023: Decimal("3")}


@pytest.mark.parametrize(
    ("dataset", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"dataset": {}}), "JSON-stat 1"),
        (json.dumps({"class": "collection"}), "not a JSON-stat 2.0 dataset"),
        (json.dumps(jsonstat(size=[3, 2])), "do not match"),
        (json.dumps(jsonstat(value=[1, 2, 3])), "has 3 values"),
        (
            json.dumps(
                jsonstat(
                    role={},
                    id=["Region", "ContentsCode", "År"],
                    dimension={**jsonstat()["dimension"], "År": jsonstat()["dimension"]["Tid"]},
                )
            ),
            "no dimension for",
        ),
    ],
)
def test_bad_jsonstat_is_refused_with_a_clear_message(hub, dataset, message):
    with pytest.raises(ValidationError, match=message):
        services.indicators_import_jsonstat(hub=hub, file=as_file(dataset), actor=None, dry_run=False)
    assert not Indicator.objects.exists()


def test_quarters_are_refused(hub):
    dataset = jsonstat()
    dataset["dimension"]["Tid"]["category"]["index"] = {f"2020K{i}": i - 1 for i in range(1, 5)} | {
        f"2021K{i}": i + 3 for i in range(1, 7)
    }
    with pytest.raises(ValidationError, match="only yearly figures"):
        services.indicators_import_jsonstat(hub=hub, file=as_file(json.dumps(dataset)), actor=None)


def test_an_extra_dimension_with_several_categories_is_refused(hub):
    dataset = jsonstat()
    dataset["id"].append("Kjonn")
    dataset["size"].append(2)
    dataset["dimension"]["Kjonn"] = {"category": {"index": ["1", "2"], "label": {"1": "Menn", "2": "Kvinner"}}}
    with pytest.raises(ValidationError, match="Kjonn"):
        services.indicators_import_jsonstat(hub=hub, file=as_file(json.dumps(dataset)), actor=None)


def test_import_chooses_the_format_by_content(hub):
    result = services.indicators_import(hub=hub, file=as_file(json.dumps(jsonstat())), actor=None, dry_run=True)
    assert result.format == "json-stat" and result.created == 2
    result = services.indicators_import(hub=hub, file=csv_upload(good_lines()), actor=None, dry_run=True)
    assert result.format == "csv" and result.created == 2


# --- Classification ------------------------------------------------------------------------------------


@pytest.fixture
def indicator(hub):
    return Indicator.objects.create(hub=hub, code="AVFALL", name="Avfall")


def test_classify_adds_the_goals_of_targets_and_un_indicators(indicator, coordinator):
    perspective = services.perspectives_ensure(indicator.hub)[0]
    target = Target.objects.get(code="12.5")
    un_indicator = UnIndicator.objects.filter(target__goal__number=11).first()
    services.indicator_classify(
        indicator=indicator,
        actor=coordinator,
        goals=[Goal.objects.get(number=13)],
        targets=[target],
        un_indicators=[un_indicator],
        dimension="environmental",
        perspective=perspective,
        quality=Quality.FIT,
    )
    indicator.refresh_from_db()
    assert set(indicator.goals.values_list("number", flat=True)) == {11, 12, 13}
    assert set(indicator.targets.values_list("code", flat=True)) == {"12.5", un_indicator.target.code}
    assert list(indicator.un_indicators.all()) == [un_indicator]
    assert (indicator.dimension, indicator.perspective, indicator.quality) == ("environmental", perspective, "fit")


@pytest.mark.parametrize("quality", [Quality.PARTLY_FIT, Quality.NOT_FIT])
def test_a_quality_short_of_fit_needs_a_reason(indicator, coordinator, quality):
    with pytest.raises(ValidationError) as refused:
        services.indicator_classify(indicator=indicator, actor=coordinator, quality=quality, quality_reason="  ")
    assert "quality_reason" in refused.value.message_dict
    services.indicator_classify(indicator=indicator, actor=coordinator, quality=quality, quality_reason="Gammel kilde")
    indicator.refresh_from_db()
    assert indicator.quality_reason == "Gammel kilde"


def test_a_perspective_of_another_hub_is_refused(indicator, coordinator):
    other = indicators_hub_create()
    foreign = services.perspectives_ensure(other)[0]
    with pytest.raises(ValidationError) as refused:
        services.indicator_classify(indicator=indicator, actor=coordinator, perspective=foreign)
    assert "perspective" in refused.value.message_dict


def test_unknown_dimension_and_quality_are_refused(indicator, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.indicator_classify(indicator=indicator, actor=coordinator, dimension="cultural", quality="great")
    assert set(refused.value.message_dict) == {"dimension", "quality"}


# --- Perspectives --------------------------------------------------------------------------------------


def test_perspectives_ensure_seeds_the_ks_list_once(hub, coordinator):
    first = services.perspectives_ensure(hub)
    assert [p.name for p in first] == list(services.DEFAULT_PERSPECTIVES)
    services.perspective_delete(perspective=first[0], actor=coordinator)
    assert len(services.perspectives_ensure(hub)) == len(services.DEFAULT_PERSPECTIVES) - 1


def test_perspective_names_are_unique_in_a_hub(hub, coordinator):
    services.perspectives_ensure(hub)
    with pytest.raises(ValidationError):
        services.perspective_create(hub=hub, actor=coordinator, name="kommunen som tjenesteyter")
    added = services.perspective_create(hub=hub, actor=coordinator, name="Innbyggernes perspektiv")
    assert added.sort_order == 50
    services.perspective_update(perspective=added, actor=coordinator, name="Innbyggerne", sort_order=5)
    assert Perspective.objects.filter(hub=hub).first().name == "Innbyggerne"


def test_an_import_that_changes_figures_replaces_the_hubs_version_and_one_that_does_not_keeps_it(hub, coordinator):
    from cms import dependency

    def content_version():
        return dependency.version(dependency.hub(hub.pk))

    before = content_version()
    services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=False)
    after_import = content_version()
    assert after_import != before
    services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=False)
    services.indicators_import_csv(hub=hub, file=csv_upload(good_lines()), actor=coordinator, dry_run=True)
    assert content_version() == after_import
