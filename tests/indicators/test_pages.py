"""A hub's indicator pages (``<hub>/indicators/``, ``<hub>/indicators/<code>/``, its CSV) and the
indicators on goal pages: what they show, to whom, and at what cost."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import PageViewRestriction

from tests.indicators.factories import indicator_create
from tests.partners.factories import hub_create
from tests.projects.factories import goal, project_create, project_index_create, target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_no_page_cache(settings):
    settings.DUGNAD_PAGE_CACHE = False
    with translation.override("en"):
        yield


@pytest.fixture
def hub():
    return hub_create(title="Ålesund", municipality="Ålesund", municipality_number="1508", default_language="en")


def _queries(client, url) -> int:
    client.get(url)  # fills the versioned cache (site, menus, restrictions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_list_groups_indicators_by_goal_with_latest_value_and_trend(client, hub):
    indicator_create(
        hub,
        code="ENERGY",
        name="Share of renewable energy",
        goals=[goal(7)],
        values={2020: 40, 2021: 45.5},
        higher_is_better=True,
        fictional=True,
    )
    indicator_create(
        hub,
        code="WASTE",
        name="Household waste per person",
        goals=[goal(12)],
        values={2021: 400, 2022: 420},
        higher_is_better=False,
    )
    indicator_create(hub, code="LONE", name="Unclassified one", values={})

    response = client.get(f"{hub.url}indicators/")

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.index("Share of renewable energy")
        < html.index("Household waste per person")
        < html.index("Unclassified one")
    )
    assert "45.5 % in 2021" in html
    assert "Share of renewable energy" in html
    assert "rising (better)" in html  # more renewable energy is progress
    assert "rising (worse)" in html  # more waste is not
    assert "Fictional demo data" in html
    assert "Not yet classified under a goal" in html
    assert f'href="{hub.url}indicators/ENERGY/"' in html


def test_the_list_filters_by_goal_with_a_get_form(client, hub):
    indicator_create(hub, name="Share of renewable energy", goals=[goal(7)], values={2020: 1})
    indicator_create(hub, name="Household waste per person", goals=[goal(12)], values={2020: 1})

    html = client.get(f"{hub.url}indicators/?goal=12").content.decode()

    assert "Household waste per person" in html
    assert "Share of renewable energy" not in html
    assert '<option value="12" selected>' in html
    assert "1 indicator." in html


def test_the_detail_shows_classification_chart_table_and_csv_link(client, hub):
    indicator = indicator_create(
        hub,
        code="ENERGY",
        name="Share of renewable energy",
        source="Statistics Norway, table 12345",
        goals=[goal(7)],
        targets=[target("7.2")],
        dimension="environmental",
        quality="partly_fit",
        quality_reason="Counts only the municipality's own buildings.",
        values={2019: 38, 2020: 40, 2022: 45},
        reference={2019: 50, 2020: 52, 2021: 53, 2022: 55},
    )
    un = target("7.2").indicators.first()
    indicator.un_indicators.set([un])

    html = client.get(indicator.get_absolute_url()).content.decode()

    assert "<h1" in html and "Share of renewable energy" in html
    assert "Statistics Norway, table 12345" in html
    assert 'href="/goals/7/#target-7-2"' in html or "Target 7.2" in html
    assert "Environmental" in html
    assert "Partly fit for purpose: Counts only the municipality&#x27;s own buildings." in html
    assert f'href="{un.get_absolute_url()}"' in html
    # The chart: an accessible SVG, the own series and the country's, and the same figures as a table.
    assert 'role="img"' in html and 'aria-labelledby="indicator-chart-title indicator-chart-desc"' in html
    assert "Ålesund: from 38 % in 2019 to 45 % in 2022. Norge: from 50 % in 2019 to 55 % in 2022." in html
    assert "line-chart__series--own" in html and "line-chart__series--ref-1" in html
    assert '<th scope="row">2021</th><td class="numeric">–</td><td class="numeric">53</td>' in html
    assert "style=" not in html.split("<main", 1)[1]
    assert f'href="{indicator.get_absolute_url()}csv/"' in html


def test_the_csv_holds_every_series_value_by_value(client, hub):
    indicator = indicator_create(hub, code="ENERGY", values={2020: "40.5", 2021: 41}, reference={2020: 2})
    indicator.series.filter(is_reference=True).update(region_name="=HYPERLINK()")

    response = client.get(indicator.get_absolute_url() + "csv/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == [
        "indicator_code",
        "indicator_name",
        "unit",
        "region_code",
        "region",
        "reference",
        "year",
        "value",
    ]
    body = [(row[3], row[4], row[5], row[6], row[7]) for row in rows[1:]]
    assert ("1508", "Ålesund", "no", "2020", "40.5") in body
    assert ("1508", "Ålesund", "no", "2021", "41") in body
    assert ("0", "'=HYPERLINK()", "yes", "2020", "2") in body  # text a spreadsheet would run is defused
    assert len(body) == 3


def test_an_unknown_code_or_another_hubs_code_is_not_found(client, hub):
    other = hub_create(title="Molde", home=hub.get_parent().specific)
    foreign = indicator_create(other, code="MOLDE-ONLY")

    assert client.get(f"{hub.url}indicators/NOPE/").status_code == 404
    assert client.get(f"{hub.url}indicators/{foreign.code}/").status_code == 404
    assert client.get(f"{other.url}indicators/{foreign.code}/").status_code == 200


def test_only_published_projects_of_the_hub_that_aim_at_the_indicator_are_shown(client, hub):
    index = project_index_create(hub)
    indicator = indicator_create(hub, code="ENERGY", values={2020: 1})
    aiming = project_create(index, title="Solar roofs")
    draft = project_create(index, title="Secret draft", live=False)
    unrelated = project_create(index, title="Unrelated")
    for project in (aiming, draft):
        project.indicators.add(indicator)
        revision = project.save_revision()
        if project.live:
            revision.publish()
        else:
            project.save()

    html = client.get(indicator.get_absolute_url()).content.decode()

    assert "Solar roofs" in html
    assert "Secret draft" not in html
    assert unrelated.title not in html


def test_a_private_hub_shows_its_indicators_to_nobody_outside(client, hub):
    indicator = indicator_create(hub, code="ENERGY", values={2020: 1})
    PageViewRestriction.objects.create(page=hub, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(indicator.get_absolute_url())

    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(f"{hub.url}indicators/").status_code == 302


def test_an_unpublished_hub_has_no_indicator_pages(client, hub):
    indicator = indicator_create(hub, code="ENERGY", values={2020: 1})
    address = indicator.get_absolute_url()
    hub.unpublish()

    assert client.get(address).status_code == 404


def _data(hub, index, *, indicators: int, years: int, projects: int):
    created = []
    for _number in range(indicators):
        created.append(
            indicator_create(
                hub,
                goals=[goal(7), goal(12)],
                targets=[target("7.2")],
                values={2000 + year: year * 1.5 for year in range(years)},
                reference={2000 + year: year for year in range(years)},
            )
        )
    for number in range(projects):
        project = project_create(index, title=f"P{number}")
        project.indicators.add(created[0])
        project.save_revision().publish()
    return created[0]


def test_query_counts_do_not_grow_with_indicators_values_or_projects(client):
    small_hub = hub_create(title="Small", municipality_number="1508")
    large_hub = hub_create(title="Large", municipality_number="1508", home=small_hub.get_parent().specific)
    small = _data(small_hub, project_index_create(small_hub), indicators=1, years=2, projects=1)
    large = _data(large_hub, project_index_create(large_hub), indicators=12, years=20, projects=8)

    assert _queries(client, f"{small_hub.url}indicators/") == _queries(client, f"{large_hub.url}indicators/")
    at_small = _queries(client, small.get_absolute_url())
    at_large = _queries(client, large.get_absolute_url())
    assert at_small == at_large <= 15
    assert _queries(client, small.get_absolute_url() + "csv/") == _queries(client, large.get_absolute_url() + "csv/")


def test_goal_pages_show_each_public_hubs_indicators_for_the_goal(client, hub):
    indicator_create(hub, code="ENERGY", name="Share of renewable energy", goals=[goal(7)], values={2020: 1, 2021: 2})
    indicator_create(hub, code="WASTE", name="Household waste", goals=[goal(12)])
    private = hub_create(title="Private hub", home=hub.get_parent().specific)
    indicator_create(private, name="Private indicator", goals=[goal(7)])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    html = client.get("/goals/7/").content.decode()

    assert "Share of renewable energy" in html
    assert f'href="{hub.url}indicators/ENERGY/"' in html
    assert "Household waste" not in html
    assert "Private indicator" not in html


def test_goal_page_queries_do_not_grow_with_indicators(client, hub):
    indicator_create(hub, goals=[goal(7)], values={2020: 1})
    before = _queries(client, "/goals/7/")
    other = hub_create(title="Molde", home=hub.get_parent().specific)
    for _number in range(8):
        indicator_create(other, goals=[goal(7)], values={year: year for year in range(2000, 2015)})
        indicator_create(hub, goals=[goal(7)], values={year: year for year in range(2000, 2015)})

    assert _queries(client, "/goals/7/") == before


def test_a_code_that_cannot_be_an_address_is_reached_by_its_id(client, hub):
    indicator = indicator_create(hub, code="13.2.1 a", name="Emissions", values={2020: 1})

    assert indicator.get_absolute_url() == f"{hub.url}indicators/_{indicator.pk}/"
    response = client.get(indicator.get_absolute_url())
    assert response.status_code == 200
    assert "Emissions" in response.content.decode()


def test_a_changed_value_is_never_served_stale_from_the_page_cache(client, hub, settings):
    settings.DUGNAD_PAGE_CACHE = True
    indicator = indicator_create(hub, code="ENERGY", values={2020: 40, 2021: 45})
    url = f"{hub.url}indicators/"
    assert "45 % in 2021" in client.get(url).content.decode()
    assert client.get(url)["X-Dugnad-Cache"] == "hit"

    latest = indicator.series.get().values.get(year=2021)
    latest.value = 47
    latest.save()

    response = client.get(url)
    assert response["X-Dugnad-Cache"] == "miss"
    assert "47 % in 2021" in response.content.decode()
