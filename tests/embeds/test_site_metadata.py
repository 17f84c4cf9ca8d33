"""``/sitemap.xml`` (only live, public pages and approved partners' pages, on SITE_URL) and ``/robots.txt``."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import PageViewRestriction

from partners.models import PartnershipStatus
from tests.partners.factories import hub_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import project_create, project_index_create

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [element.text for element in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


@pytest.fixture
def scene(settings):
    settings.SITE_URL = "https://dugnad.example.no"
    hub = hub_create(title="Ålesund")
    index = project_index_create(hub)
    public = project_create(index, title="Offentlig")
    project_create(index, title="Utkast", live=False)
    restricted = project_create(index, title="Lukket")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    directory = partner_index_create(hub)
    approved = partner_create(name="Godkjent AS", slug="godkjent")
    partnership_create(partner=approved, hub=hub)
    applied = partner_create(name="Søker AS", slug="soker")
    partnership_create(partner=applied, hub=hub, status=PartnershipStatus.APPLIED)
    return {"hub": hub, "index": index, "public": public, "restricted": restricted, "directory": directory}


def test_sitemap_lists_live_public_pages_and_approved_partners_on_site_url(client, scene):
    locations = _locations(client)
    assert all(location.startswith("https://dugnad.example.no/") for location in locations)
    paths = {location.removeprefix("https://dugnad.example.no") for location in locations}
    hub = scene["hub"].url
    assert hub in paths
    assert f"{hub}projects/" in paths
    assert scene["public"].url in paths
    assert f"{hub}partners/" in paths
    assert f"{hub}partners/godkjent/" in paths
    assert f"{hub}partners/soker/" not in paths
    projects = {path for path in paths if path.startswith(f"{hub}projects/") and path != f"{hub}projects/"}
    assert projects == {scene["public"].url}


def test_sitemap_leaves_out_restricted_sections_and_pages_below_unpublished_ones(client, scene):
    PageViewRestriction.objects.create(
        page=scene["directory"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    hub = scene["hub"].url
    paths = {location.removeprefix("https://dugnad.example.no") for location in _locations(client)}
    assert not any(path.startswith(f"{hub}partners/") for path in paths)
    assert scene["public"].url in paths
    scene["index"].unpublish()
    paths = {location.removeprefix("https://dugnad.example.no") for location in _locations(client)}
    assert not any(path.startswith(f"{hub}projects/") for path in paths)
    assert hub in paths


def test_sitemap_is_cached_until_content_changes(client, scene, django_assert_num_queries):
    _locations(client)
    with django_assert_num_queries(0):  # the site and the sitemap both come from the versioned cache
        _locations(client)
    new = project_create(scene["index"], title="Ny")
    assert f"https://dugnad.example.no{new.url}" in _locations(client)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_paths(client, settings):
    settings.SITE_URL = "https://dugnad.example.no"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://dugnad.example.no/sitemap.xml" in lines
    for path in ("/admin/", "/accounts/", "/partners/mine/", "/embed/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert "max-age" in response["Cache-Control"]
