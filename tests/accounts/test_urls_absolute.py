"""The one place absolute addresses come from: SITE_URL, whatever host the default Wagtail site names."""

import pytest
from wagtail.models import Site

from accounts.urls_absolute import absolute_url, absolute_url_rebase, page_absolute_url, page_link
from tests.cms.factories import hub_page_create, standard_page_create
from tests.partners.factories import hub_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"


def test_paths_go_on_site_url_and_absolute_addresses_stay():
    assert absolute_url("/goals/13/") == "http://127.0.0.1:8000/goals/13/"
    assert absolute_url("goals/") == "http://127.0.0.1:8000/goals/"
    assert absolute_url("https://example.org/x") == "https://example.org/x"


def test_a_request_built_address_moves_onto_site_url():
    rebased = absolute_url_rebase("http://testserver/accounts/confirm-email/abc/?next=/x#top")
    assert rebased == "http://127.0.0.1:8000/accounts/confirm-email/abc/?next=/x#top"


def test_a_page_on_the_default_site_is_on_site_url_whatever_the_site_row_says():
    hub = hub_create(title="Ålesund")
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()
    page = standard_page_create(parent=hub, title="Om oss")

    assert page.get_full_url().startswith("http://localhost/"), "Wagtail's own answer: a dead link under make run"
    assert page_absolute_url(page) == "http://127.0.0.1:8000" + page.get_url_parts()[2]


def test_a_page_on_a_site_of_its_own_keeps_that_sites_address():
    hub = hub_create(title="Ålesund")
    own = hub_page_create(parent=hub.get_parent(), title="Molde")
    Site.objects.create(hostname="molde.example.no", port=443, root_page=own, site_name="Molde")
    page = standard_page_create(parent=own, title="Om oss")
    at_home = standard_page_create(parent=hub, title="Kontakt")

    assert page_link(page) == "https://molde.example.no/" + page.slug + "/"
    assert page_absolute_url(page) == page_link(page)
    assert page_absolute_url(at_home).startswith("http://127.0.0.1:8000/")
