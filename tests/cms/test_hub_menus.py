"""Several hubs on one installation: each its own menu and contact, per-language labels, readable slugs."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from cms.models import HubPage, NavigationSettings, StandardPage
from cms.services import hub_create
from cms.slugs import slugify_no
from tests.cms.factories import hub_page_create, standard_page_create, user_create

pytestmark = pytest.mark.django_db


def _menu(hub: HubPage, *links: dict) -> HubPage:
    """Give the hub a menu the way an editor does: a new revision, published."""
    draft = hub.get_latest_revision_as_object()
    draft.menu_links = [("link", {"label_nn": "", "label_en": "", "url": "", **link}) for link in links]
    draft.save_revision().publish()
    return HubPage.objects.get(pk=hub.pk)


def _nav(html: str) -> str:
    """The hub's menu (the header's first ``<nav>`` holds the account links)."""
    return html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.fixture
def two_hubs(home):
    north = hub_page_create(parent=home, title="Nordby lab", contact_email="post@nordby.example")
    south = hub_page_create(parent=home, title="Sørvik lab", contact_email="post@sorvik.example")
    north_about = standard_page_create(parent=north, title="Om Nordby")
    south_about = standard_page_create(parent=south, title="Om Sørvik")
    north = _menu(north, {"label": "Nordby-sider", "page": north_about})
    south = _menu(south, {"label": "Sørvik-sider", "page": south_about})
    site = Site.objects.get(is_default_site=True)
    navigation = NavigationSettings.for_site(site)
    navigation.links = [("link", {"label": "Nordby (site menu)", "page": north, "url": ""})]
    navigation.save()
    return north, south, north_about, south_about


def test_each_hub_shows_its_own_menu_and_contact_and_site_pages_the_sites(client, home, two_hubs):
    north, south, north_about, south_about = two_hubs

    north_html = client.get(north_about.url).content.decode()
    south_html = client.get(south_about.url).content.decode()
    home_html = client.get(home.url).content.decode()

    assert "Nordby-sider" in _nav(north_html) and "Sørvik-sider" not in north_html
    assert "Sørvik-sider" in _nav(south_html) and "Nordby-sider" not in south_html
    assert "Nordby (site menu)" not in south_html, "the site's menu is not shown in a hub"
    assert 'href="mailto:post@sorvik.example"' in south_html and "post@nordby.example" not in south_html
    assert 'href="mailto:post@nordby.example"' in north_html and "post@sorvik.example" not in north_html
    assert "Nordby (site menu)" in home_html and "Sørvik-sider" not in home_html


def test_changing_one_hubs_menu_shows_at_once_there_and_not_in_the_other(client, two_hubs):
    north, south, north_about, south_about = two_hubs
    assert "Nordby-sider" in client.get(north_about.url).content.decode()  # now in the cache

    _menu(north, {"label": "Nytt i Nordby", "page": north_about})

    north_html = client.get(north_about.url).content.decode()
    south_html = client.get(south_about.url).content.decode()
    assert "Nytt i Nordby" in north_html and "Nordby-sider" not in north_html
    assert "Nytt i Nordby" not in south_html and "Sørvik-sider" in south_html


def test_menu_labels_and_introduction_follow_the_language_with_the_hubs_own_as_fallback(client, home):
    hub = hub_page_create(
        parent=home,
        introduction="<p>Velkommen</p>",
        introduction_en="<p>Welcome</p>",
    )
    about = standard_page_create(parent=hub, title="Om")
    forum = standard_page_create(parent=hub, title="Forum")
    hub = _menu(
        hub,
        {"label": "Om laben", "label_nn": "Om laben (nn)", "label_en": "About the lab", "page": about},
        {"label": "Ordskifte", "page": forum},
    )

    bokmaal = client.get(hub.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(hub.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    nynorsk = client.get(hub.url).content.decode()

    assert ">Om laben</a>" in _nav(bokmaal) and "Velkommen" in bokmaal
    assert ">About the lab</a>" in _nav(english) and "Welcome" in english and "Velkommen" not in english
    assert ">Ordskifte</a>" in _nav(english), "no English label: the hub's own"
    assert ">Om laben (nn)</a>" in _nav(nynorsk) and "Velkommen" in nynorsk


def test_coordinators_may_edit_their_own_hubs_menu_and_not_anothers(home):
    north = hub_page_create(parent=home)
    south = hub_page_create(parent=home)
    coordinator = user_create()
    coordinator.groups.add(north.coordinators_group)

    assert north.permissions_for_user(coordinator).can_edit()
    assert not south.permissions_for_user(coordinator).can_edit()


def test_a_hub_created_by_the_service_gets_a_readable_slug_and_a_menu_of_its_own_pages(home):
    admin = user_create(is_superuser=True)
    first = hub_create(parent=home, title="Fjordvik lab", municipality="Fjordvik", actor=admin)

    hub = hub_create(parent=home, title="Nordby bærekraftslab", municipality="Nordby", actor=admin)

    assert hub.slug == "nordby-baerekraftslab" and hub.url == "/nordby-baerekraftslab/"
    links = [block.value for block in hub.menu_links]
    targets = [link["page"].specific for link in links]
    assert targets[0].pk == hub.pk
    assert all(target.path.startswith(hub.path) for target in targets), "only this hub's pages"
    kinds = {type(target).__name__ for target in targets}
    assert {"ProjectIndexPage", "PartnerIndexPage", "ForumIndexPage"} <= kinds
    projects = next(link for link in links if type(link["page"].specific).__name__ == "ProjectIndexPage")
    assert projects["label_en"] == "Projects" and projects["label_nn"] == "Prosjekt"
    assert first.pk not in [target.pk for target in targets]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Nordby bærekraftslab", "nordby-baerekraftslab"),
        ("Grønn Økonomi", "gronn-okonomi"),
        ("Ærlig Åpen Øl", "aerlig-apen-ol"),
        ("blåbær og søt saft", "blabaer-og-sot-saft"),
        ("Café Müller", "cafe-muller"),
    ],
)
def test_the_slug_function_writes_out_norwegian_letters(name, slug):
    assert slugify_no(name) == slug


def test_pages_saved_without_a_slug_get_the_readable_one(home):
    hub = hub_page_create(parent=home)
    page = StandardPage(title="Bli med på dugnad")
    hub.add_child(instance=page)

    assert page.slug == "bli-med-pa-dugnad"


def test_the_admin_slugifies_in_ascii_like_the_server():
    # The admin's slug field transliterates (urlify with its Latin map) only when unicode is off.
    assert settings.WAGTAIL_ALLOW_UNICODE_SLUGS is False


def test_pages_with_old_unicode_slugs_are_reslugged_and_redirected(client, home):
    hub = hub_page_create(parent=home, title="Nordby bærekraftslab")
    about = standard_page_create(parent=hub, title="Om")
    Page.objects.filter(pk=hub.pk).update(slug="nordby-bærekraftslab", url_path=f"{home.url_path}nordby-bærekraftslab/")
    Page.objects.filter(pk=about.pk).update(url_path=f"{home.url_path}nordby-bærekraftslab/{about.slug}/")
    migration = importlib.import_module("cms.migrations.0004_readable_page_slugs")

    migration.forwards(apps, None)

    hub.refresh_from_db()
    assert hub.slug == "nordby-baerekraftslab"
    assert hub.get_latest_revision().content["slug"] == "nordby-baerekraftslab"
    assert Redirect.objects.filter(redirect_page=hub).exists()
    response = client.get("/nordby-b%C3%A6rekraftslab/")
    assert response.status_code == 301 and response["Location"].endswith("/nordby-baerekraftslab/")
    response = client.get(f"/nordby-b%C3%A6rekraftslab/{about.slug}/")
    assert response.status_code == 301 and response["Location"].endswith(f"/nordby-baerekraftslab/{about.slug}/")
    assert client.get("/nordby-baerekraftslab/").status_code == 200


def test_breadcrumbs_start_with_one_translated_home_label(client, home):
    hub = hub_page_create(parent=home, default_language="nn")
    about = standard_page_create(parent=hub)

    nynorsk = client.get(about.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    bokmaal = client.get(about.url).content.decode()

    assert f'href="{home.url}">Framside</a>' in nynorsk
    assert f'href="{home.url}">Forside</a>' in bokmaal and ">Dugnad</a></li>" not in bokmaal


def test_a_coordinator_opens_the_menu_tab_of_their_hub_and_not_of_another(client, home):
    north = hub_page_create(parent=home)
    south = hub_page_create(parent=home)
    coordinator = user_create()
    coordinator.groups.add(north.coordinators_group)
    coordinator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(coordinator)

    own = client.get(reverse("wagtailadmin_pages:edit", args=(north.pk,)))
    other = client.get(reverse("wagtailadmin_pages:edit", args=(south.pk,)))

    html = own.content.decode()
    assert own.status_code == 200 and 'id="tab-meny_og_kontakt"' in html and "menu_links-section" in html
    # Wagtail refuses a page it may not edit by sending the person back to the dashboard.
    assert (other.status_code, other["Location"]) == (302, reverse("wagtailadmin_home"))


def test_the_migration_moves_links_inside_a_hub_from_the_site_menu_to_the_hubs(home):
    hub = hub_page_create(parent=home, title="Fjordvik lab")
    about = standard_page_create(parent=hub, title="Om laben")
    listed = standard_page_create(parent=hub, title="Bli med", show_in_menus=True)
    site = Site.objects.get(is_default_site=True)
    navigation = NavigationSettings.for_site(site)
    navigation.links = [
        ("link", {"label": "Fjordvik lab", "page": hub, "url": ""}),
        ("link", {"label": "Om laben", "page": about, "url": ""}),
    ]
    navigation.save()
    migration = importlib.import_module("cms.migrations.0003_hub_menus_from_site_settings")

    migration.forwards(apps, None)

    hub = HubPage.objects.get(pk=hub.pk)
    assert [block.value["page"].pk for block in hub.menu_links] == [hub.pk, about.pk, listed.pk]
    assert [block.value["page"].pk for block in NavigationSettings.for_site(site).links] == [hub.pk]
    draft = hub.get_latest_revision_as_object()
    assert [block.value["page"].pk for block in draft.menu_links] == [hub.pk, about.pk, listed.pk]


def test_a_hubs_menu_may_not_link_into_another_hub(home):
    north = hub_page_create(parent=home)
    south = hub_page_create(parent=home)
    south_about = standard_page_create(parent=south)
    north_about = standard_page_create(parent=north)
    draft = north.get_latest_revision_as_object()

    draft.menu_links = [("link", {"label": "Sør", "label_nn": "", "label_en": "", "page": south_about, "url": ""})]
    with pytest.raises(ValidationError) as error:
        draft.full_clean()
    assert "menu_links" in error.value.message_dict

    draft.menu_links = [
        ("link", {"label": "Nord", "label_nn": "", "label_en": "", "page": north_about, "url": ""}),
        ("link", {"label": "Forsiden", "label_nn": "", "label_en": "", "page": home, "url": ""}),
    ]
    draft.full_clean()
