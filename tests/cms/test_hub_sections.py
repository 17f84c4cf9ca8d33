"""The hub page's "In this hub" navigation links every app's pages below the hub (cms.hub_routes)."""

import re

import pytest
from django.utils import translation

from cms.hub_routes import hub_sections
from tests.cms.factories import hub_page_create

pytestmark = pytest.mark.django_db


def _section_links(html: str) -> list[tuple[str, str]]:
    nav = html[html.index('class="hub-sections"') :].split("</nav>", 1)[0]
    return re.findall(r'<a class="ds-link" href="([^"]+)">([^<]+)</a>', nav)


def test_the_apps_name_their_sections_in_order():
    with translation.override("en"):
        labels = [str(section.label) for section in hub_sections()]

    assert labels == ["Ideas", "Consultations", "Events", "Challenges", "Indicators"]


def test_a_hub_without_child_pages_links_every_section_and_each_link_answers(home, client):
    hub = hub_page_create(parent=home, title="Fremtidslab", default_language="en")

    links = _section_links(client.get(hub.url).content.decode())

    assert [label for _, label in links] == ["Ideas", "Consultations", "Events", "Challenges", "Indicators"]
    for url, label in links:
        assert url.startswith(hub.url), label
        assert client.get(url).status_code == 200, url


def test_the_section_labels_follow_the_hubs_language(home, client):
    hub = hub_page_create(parent=home, title="Framtidslab", default_language="nn")

    labels = [label for _, label in _section_links(client.get(hub.url).content.decode())]

    assert labels[0] == "Idear"
