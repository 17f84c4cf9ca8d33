"""Higher apps' addresses below a hub (cms.hub_routes): served for the live hub, in its language."""

import pytest
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import get_language
from wagtail import hooks

from cms import hub_routes
from tests.cms.factories import hub_page_create, standard_page_create

pytestmark = pytest.mark.django_db


def _summary(request, hub, number):
    return HttpResponse(f"{hub.title} {number} {get_language()}")


@pytest.fixture
def summary_route():
    with hooks.register_temporarily("register_hub_routes", lambda: [path("summary/<int:number>/", _summary)]):
        hub_routes._resolver.cache_clear()
        yield
    hub_routes._resolver.cache_clear()


def test_a_hub_route_gets_the_hub_and_its_arguments_in_the_hubs_language(home, client, summary_route):
    hub = hub_page_create(parent=home, title="Fremtidslab", default_language="nn")

    response = client.get(hub.url + "summary/7/")

    assert response.status_code == 200
    assert response.content.decode() == "Fremtidslab 7 nn"


def test_a_path_no_route_claims_still_reaches_the_hubs_child_pages(home, client, summary_route):
    hub = hub_page_create(parent=home, title="Fremtidslab")
    about = standard_page_create(parent=hub, title="Om oss")

    assert client.get(about.url).status_code == 200
    assert client.get(hub.url + "summary/x/").status_code == 404


def test_an_unpublished_hub_serves_no_routes(home, client, summary_route):
    hub = hub_page_create(parent=home, title="Fremtidslab")
    address = hub.url
    hub.unpublish()

    assert client.get(address + "summary/7/").status_code == 404
