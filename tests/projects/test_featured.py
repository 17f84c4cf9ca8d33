"""Featured projects: coordinators mark them in the admin, the hub's home page shows them first."""

import re

import pytest
from django.urls import reverse

from tests.projects.admin_support import in_english
from tests.projects.factories import project_create, scene_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return scene_create()


def _hub_projects(client, hub) -> list[str]:
    html = client.get(hub.url).content.decode()
    section = html.split('id="hub-projects-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'project-card__title"[^>]*><a class="ds-link" href="[^"]+">([^<]+)</a>', section)


def test_the_featured_switch_is_in_the_coordinators_admin_editor(client, scene):
    page = project_create(scene.index, title="Havvind")
    client.force_login(in_english(scene.coordinator))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="featured"' in html
    assert "Featured projects are shown first on the hub&#x27;s home page." in html


def test_publishing_a_featured_project_puts_it_first_on_the_hub_home_at_once(client, scene):
    """The anonymous page cache and the versioned cache are on: a publish must still show at once."""
    client.cookies["django_language"] = "en"
    older = project_create(scene.index, title="Eldre prosjekt")
    project_create(scene.index, title="Nyere prosjekt")
    assert _hub_projects(client, scene.hub) == ["Nyere prosjekt", "Eldre prosjekt"]

    older.featured = True
    older.save_revision().publish()

    assert _hub_projects(client, scene.hub) == ["Eldre prosjekt", "Nyere prosjekt"]


def test_the_project_lists_own_routes_come_before_a_project_with_the_same_slug(client, scene):
    """As in Wagtail's own routing: a routable page answers its routes before looking for children."""
    page = project_create(scene.index, title="Feed")
    page.slug = "feed"
    page.save_revision().publish()
    page.refresh_from_db()
    other = project_create(scene.index, title="Havvind")

    feed = client.get(f"{scene.index.url}feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert client.get(other.url).context["page"].pk == other.pk
    propose = client.get(f"{scene.index.url}propose/")
    assert propose.status_code == 200 and propose.templates[0].name == "projects/propose_not_allowed.html"
