"""A hub with more partners than a list can offer: the project list's partner filter still works
from a link, and a partner's page links to the rest of its projects."""

import pytest

from projects import forms
from projects.templatetags import project_tags
from tests.partners.factories import hub_create, partner_index_create
from tests.projects.factories import approved_partner_create, project_create, project_index_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.fixture
def scene():
    hub = hub_create()
    index = project_index_create(hub)
    directory = partner_index_create(hub)
    lead, other = approved_partner_create(hub, name="Ledende AS"), approved_partner_create(hub, name="Annen AS")
    led = [project_create(index, title=f"Ledet {number}", lead_partner=lead) for number in (1, 2)]
    project_create(index, title="Andres", lead_partner=other)
    return hub, index, directory, lead, led


def test_the_list_filtered_by_a_partner_says_whose_projects_it_shows(client, scene, monkeypatch):
    monkeypatch.setattr(forms, "PARTNER_CHOICES_MAX", 1)
    _hub, index, _directory, lead, _led = scene

    html = client.get(f"{index.url}?partner={lead.pk}").content.decode()  # the hub's language: Bokmål

    assert 'name="partner"' in html and '<select name="partner"' not in html
    assert "Viser bare prosjektene til Ledende AS." in html
    assert "Ledet 1" in html and "Ledet 2" in html and "Andres" not in html


def test_a_partner_page_links_to_the_rest_of_its_projects(client, scene, monkeypatch):
    monkeypatch.setattr(project_tags, "PARTNER_PROJECTS_MAX", 1)
    _hub, index, directory, lead, _led = scene
    partner_url = directory.url + directory.reverse_subpage("partner", kwargs={"slug": lead.slug})

    html = client.get(partner_url).content.decode()

    assert f'href="{index.url}?partner={lead.pk}">Alle prosjektene til Ledende AS</a>' in html
