"""The public directory (`<hub>/partners/`) and a partner's page (`<hub>/partners/<slug>/`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Goal
from partners.models import PartnerKind, PartnershipStatus
from partners.selectors import LOGO_RENDITION
from tests.cms.factories import image_create
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    partner_create,
    partner_index_create,
    partnership_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def index(hub):
    return partner_index_create(hub)


def _other_hub(hub, **fields):
    """A second hub on the same site (``hub_create()`` alone would make a new default site)."""
    return hub_create(home=hub.get_parent().specific, **fields)


def _approved(hub, **fields):
    partner = partner_create(**fields)
    partnership_create(partner=partner, hub=hub)
    return partner


def _with_logo(hub, count):
    for _ in range(count):
        logo = image_create()
        logo.get_rendition(LOGO_RENDITION)  # made once, as on a first visit; the test counts reads
        _approved(hub, logo=logo, goals=Goal.objects.filter(number__in=[7, 11, 13]))


def _count_queries(client, url) -> int:
    """The queries of a GET that renders the page. The GET before it fills the versioned cache but,
    with another query string, not the directory's public part (kept by query string)."""
    client.get(f"{url}?warm=1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_directory_queries_do_not_grow_with_the_number_of_partners(client, hub, index):
    _with_logo(hub, 10)
    at_ten = _count_queries(client, index.url)
    _with_logo(hub, 990)
    at_thousand = _count_queries(client, index.url)

    assert at_thousand == at_ten <= 8  # routing, site, menus, footer and hub come from the versioned cache
    html = client.get(index.url).content.decode()
    assert html.count('class="ds-card partner-card"') == 24
    assert html.count('class="partner-card__image"') == 24
    assert html.count('class="goal-badge ') == 24 * 3


def test_members_get_the_directory_from_its_public_part_until_a_partner_is_approved(client, hub, index):
    client.force_login(coordinator_create(hub))
    _with_logo(hub, 3)
    rendered = _count_queries(client, index.url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(index.url).content.decode()
    assert len(queries) < rendered and html.count('class="ds-card partner-card"') == 3

    _approved(hub, name="Nyfisk AS")
    html = client.get(index.url).content.decode()
    assert html.count('class="ds-card partner-card"') == 4 and "Nyfisk AS" in html


def test_partner_page_queries_do_not_grow_with_the_number_of_goals(client, hub, index):
    partner = _approved(hub, logo=image_create(), goals=Goal.objects.filter(number=1))
    partner.focus_themes.set(["havbruk"])
    url = f"{index.url}{partner.slug}/"
    with_one_goal = _count_queries(client, url)
    partner.goals.set(Goal.objects.all())
    partner.focus_themes.set(["havbruk", "energi", "mat"])
    with_all_goals = _count_queries(client, url)

    assert with_all_goals == with_one_goal <= 9
    assert client.get(url).content.decode().count('class="goal-badge ') == 17


def test_directory_lists_only_partners_approved_in_this_hub(client, hub, index):
    approved = _approved(hub, name="Godkjent AS")
    for status in (PartnershipStatus.APPLIED, PartnershipStatus.REJECTED, PartnershipStatus.SUSPENDED):
        partnership_create(partner=partner_create(name=f"Status {status} AS"), hub=hub, status=status)
    partnership_create(partner=partner_create(name="Annen hub AS"), hub=_other_hub(hub))

    html = client.get(index.url).content.decode()

    assert approved.name in html
    assert "Status " not in html
    assert "Annen hub AS" not in html
    assert 'role="status"' in html


def test_directory_filters_by_kind_goal_and_text(client, hub, index):
    school = _approved(hub, name="Fjordvik skole", kind=PartnerKind.RESEARCH_EDUCATION)
    school.goals.set(Goal.objects.filter(number=4))
    fish = _approved(hub, name="Fisk AS", kind=PartnerKind.BUSINESS, municipality="Ålesund")
    fish.goals.set(Goal.objects.filter(number=14))
    fish.focus_themes.set(["havbruk"])

    def names(**params):
        html = client.get(index.url, params).content.decode()
        return {name for name in ("Fjordvik skole", "Fisk AS") if name in html}

    assert names(kind=PartnerKind.RESEARCH_EDUCATION) == {"Fjordvik skole"}
    assert names(goal=14) == {"Fisk AS"}
    assert names(q="havbruk") == {"Fisk AS"}
    assert names(q="Ålesund") == {"Fisk AS"}
    assert names(kind=PartnerKind.BUSINESS, goal=4) == set()
    # Nonsense values are ignored rather than refused.
    assert names(kind="spaceship", goal="x") == {"Fjordvik skole", "Fisk AS"}


def test_directory_shows_an_empty_state_and_a_way_out_of_filters(client, hub, index):
    _approved(hub, name="Eneste AS", kind=PartnerKind.BUSINESS)

    filtered = client.get(index.url, {"kind": PartnerKind.NGO}).content.decode()
    empty_hub = _other_hub(hub)
    empty_index = partner_index_create(empty_hub)
    unfiltered = client.get(empty_index.url).content.decode()

    assert "0 partnere" in filtered or "0 partners" in filtered
    assert f'href="{index.url}"' in filtered  # clear the filters
    assert "Eneste AS" not in filtered
    assert 'class="ds-alert partner-empty"' in unfiltered
    assert f'href="{empty_index.url}apply/"' in unfiltered


def test_directory_paginates_24_a_page_and_keeps_filters_in_links(client, hub, index):
    for number in range(30):
        _approved(hub, name=f"Bedrift {number:02d} AS", kind=PartnerKind.BUSINESS)
    _approved(hub, name="Kommunen", kind=PartnerKind.PUBLIC_SECTOR)

    first = client.get(index.url, {"kind": PartnerKind.BUSINESS}).content.decode()
    second = client.get(index.url, {"kind": PartnerKind.BUSINESS, "page": 2}).content.decode()
    beyond = client.get(index.url, {"kind": PartnerKind.BUSINESS, "page": 99}).content.decode()

    assert first.count('class="ds-card partner-card"') == 24
    assert "?kind=business&amp;page=2" in first
    assert 'aria-current="page"><span class="ds-sr-only">' in first
    assert second.count('class="ds-card partner-card"') == 6
    assert "Bedrift 29 AS" in second and "Bedrift 00 AS" not in second
    assert "Kommunen" not in second
    assert beyond.count('class="ds-card partner-card"') == 6  # out of range: the last page


def test_partner_page_shows_the_profile(client, hub, index):
    partner = _approved(
        hub,
        name="Havkraft AS",
        description="<p>Vi lager <strong>strøm</strong> av bølger.</p><ul><li>Energi</li></ul>",
        website="https://havkraft.example",
        public_email="post@havkraft.example",
        municipality="Giske",
        goals=Goal.objects.filter(number__in=[7, 14]),
    )
    partner.focus_themes.set(["bølgekraft", "hav"])

    response = client.get(f"{index.url}{partner.slug}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<strong>strøm</strong>" in html
    assert 'href="https://havkraft.example"' in html
    assert 'href="mailto:post@havkraft.example"' in html
    assert "Giske" in html and "bølgekraft" in html
    assert 'href="/goals/7/"' in html and 'href="/goals/14/"' in html
    assert f'href="{index.url}"' in html  # back to the directory, and in the breadcrumbs


@pytest.mark.parametrize("status", [PartnershipStatus.APPLIED, PartnershipStatus.REJECTED, PartnershipStatus.ENDED])
def test_partner_page_is_404_unless_approved_in_this_hub(client, hub, index, status):
    pending = partner_create()
    partnership_create(partner=pending, hub=hub, status=status)
    elsewhere = partner_create()
    partnership_create(partner=elsewhere, hub=_other_hub(hub))

    assert client.get(f"{index.url}{pending.slug}/").status_code == 404
    assert client.get(f"{index.url}{elsewhere.slug}/").status_code == 404
    assert client.get(f"{index.url}no-such-partner/").status_code == 404


def test_coordinators_see_the_export_link_only_if_it_exists(client, hub, index):
    from django.urls import NoReverseMatch, reverse

    try:
        export_url = reverse("partners_admin_export", args=[hub.pk])
    except NoReverseMatch:
        export_url = None
    _approved(hub)

    anonymous = client.get(index.url).content.decode()
    client.force_login(coordinator_create(hub))
    coordinator = client.get(index.url)

    assert coordinator.status_code == 200
    # Everyone gets the open-data download (opendata); only coordinators the admin's full export.
    assert "/admin/" not in anonymous
    if export_url:
        assert f'href="{export_url}"' not in anonymous
        assert f'href="{export_url}"' in coordinator.content.decode()
    else:
        assert "/admin/" not in coordinator.content.decode()


def test_directory_is_served_in_the_hub_language(client):
    hub = hub_create(default_language="en")
    index = partner_index_create(hub)

    response = client.get(index.url)

    assert response["Content-Language"] == "en"
    assert "All goals" in response.content.decode()
