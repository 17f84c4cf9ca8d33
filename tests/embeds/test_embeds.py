"""The embeddable project list, its JSON, the snippet and the share dialog: only public data, no
cookies, framable by any site (and nothing else is), in the language asked for."""

import json
from html import unescape

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.cms.factories import image_create
from tests.partners.factories import hub_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    hub = hub_create(title="Ålesund", default_language="nn")
    index = project_index_create(hub)
    energy = project_create(index, title="Solceller på skulen", primary_goal=goal(7), summary="Sol på taket.")
    climate = project_create(index, title="Grøn hamn", primary_goal=goal(13), goals=[goal(7), goal(14)])
    draft = project_create(index, title="Hemmeleg utkast", primary_goal=goal(7), live=False)
    restricted = project_create(index, title="Berre for medlemer", primary_goal=goal(7))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    group_only = project_create(index, title="Berre for gruppa", primary_goal=goal(13))
    group_restriction = PageViewRestriction.objects.create(page=group_only, restriction_type=PageViewRestriction.GROUPS)
    group_restriction.groups.set([Group.objects.create(name="Hemmeleg gruppe")])
    other_hub = hub_create(title="Molde", home=hub.get_parent().specific)
    other = project_create(project_index_create(other_hub), title="Prosjekt i Molde")
    return {
        "hub": hub,
        "index": index,
        "energy": energy,
        "climate": climate,
        "draft": draft,
        "restricted": restricted,
        "group_only": group_only,
        "other": other,
    }


def _embed(client, hub, **params):
    return client.get(reverse("embed_projects", args=[hub.pk]), params)


def _titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [link.contents[0].strip() for link in soup.select(".embed-card h2 a")]


def test_embed_lists_only_the_hubs_live_public_projects(client, scene):
    response = _embed(client, scene["hub"])
    assert response.status_code == 200
    assert sorted(_titles(response)) == ["Grøn hamn", "Solceller på skulen"]
    body = response.content.decode()
    for hidden in ("Hemmeleg utkast", "Berre for medlemer", "Berre for gruppa", "Prosjekt i Molde"):
        assert hidden not in body


def test_embed_filters_by_goal_primary_or_further(client, scene):
    assert sorted(_titles(_embed(client, scene["hub"], goal=7))) == ["Grøn hamn", "Solceller på skulen"]
    assert _titles(_embed(client, scene["hub"], goal=14)) == ["Grøn hamn"]
    assert _titles(_embed(client, scene["hub"], goal=3)) == []
    assert _embed(client, scene["hub"], goal=18).status_code == 404
    assert _embed(client, scene["hub"], goal="sju").status_code == 404


def test_embed_speaks_the_language_asked_for_else_the_hubs(client, scene):
    default = BeautifulSoup(_embed(client, scene["hub"]).content, "html.parser")
    assert default.html["lang"] == "nn"
    assert default.h1.get_text(strip=True) == "Prosjekt i Ålesund"
    english = _embed(client, scene["hub"], lang="en")
    soup = BeautifulSoup(english.content, "html.parser")
    assert soup.html["lang"] == "en"
    assert english["Content-Language"] == "en"
    assert soup.h1.get_text(strip=True) == "Projects of Ålesund"
    assert "(opens in a new tab)" in soup.select_one(".embed-card h2 a").get_text()
    # An unknown language falls back to the hub's; a language cookie (third-party here) is ignored.
    client.cookies["django_language"] = "en"
    assert BeautifulSoup(_embed(client, scene["hub"], lang="de").content, "html.parser").html["lang"] == "nn"


def test_embed_links_open_the_full_project_in_a_new_tab_on_site_url(client, scene, settings):
    settings.SITE_URL = "https://dugnad.example.no"
    soup = BeautifulSoup(_embed(client, scene["hub"], lang="nb").content, "html.parser")
    links = soup.select("main a")
    assert links, "the embed has links"
    for link in links:
        assert link["target"] == "_blank"
        assert "noopener" in link["rel"]
        assert link["href"].startswith("https://dugnad.example.no/")
        assert link.select_one(".embed-new-tab").get_text(strip=True) == "(åpnes i en ny fane)"
    assert soup.select_one(f'a[href$="{scene["energy"].url_path.split("/", 2)[2]}"]') is not None


def test_embed_may_be_framed_by_any_site_and_sets_no_cookie(client, scene):
    response = _embed(client, scene["hub"])
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response.cookies == {}
    assert "Set-Cookie" not in str(response.serialize_headers())


def test_the_rest_of_the_site_still_refuses_frames(client, scene):
    response = client.get(scene["index"].url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    share = client.get(reverse("embed_share", args=[scene["hub"].pk]))
    assert share["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in share["Content-Security-Policy"]


def test_json_lists_the_same_public_projects_for_any_origin_without_cookies(client, scene, settings):
    settings.SITE_URL = "https://dugnad.example.no"
    scene["energy"].hero_image = image_create()
    scene["energy"].hero_image_alt = "Solceller"
    scene["energy"].save_revision().publish()
    response = client.get(reverse("embed_projects_json", args=[scene["hub"].pk]), {"goal": 7, "lang": "en"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.cookies == {}
    data = json.loads(response.content)
    assert data["language"] == "en"
    assert data["goal"] == 7
    by_title = {project["title"]: project for project in data["projects"]}
    assert set(by_title) == {"Grøn hamn", "Solceller på skulen"}
    energy = by_title["Solceller på skulen"]
    assert energy["summary"] == "Sol på taket."
    assert energy["url"].startswith("https://dugnad.example.no/")
    assert energy["goals"][0]["number"] == 7
    assert energy["goals"][0]["name"] == "Affordable and clean energy"
    assert energy["image"]["url"].startswith("https://dugnad.example.no/")
    assert energy["image"]["alt"] == "Solceller"
    assert [goal["number"] for goal in by_title["Grøn hamn"]["goals"]] == [13, 7, 14]
    assert by_title["Grøn hamn"]["image"] is None


def test_json_never_holds_drafts_or_restricted_projects(client, scene):
    body = client.get(reverse("embed_projects_json", args=[scene["hub"].pk])).content.decode()
    for hidden in ("Hemmeleg utkast", "Berre for medlemer", "Berre for gruppa", "Prosjekt i Molde"):
        assert hidden not in body


@pytest.mark.parametrize("name", ["embed_projects", "embed_projects_json", "embed_share", "embed_snippet"])
def test_a_restricted_or_unpublished_hub_has_no_embed(client, scene, name):
    hub = scene["hub"]
    PageViewRestriction.objects.create(page=hub, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert client.get(reverse(name, args=[hub.pk])).status_code == 404
    other = scene["other"].get_parent().get_parent()
    other.unpublish()
    assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.get(reverse(name, args=[scene["index"].pk])).status_code == 404  # not a hub


def test_a_restricted_project_list_has_no_embed(client, scene):
    PageViewRestriction.objects.create(page=scene["index"], restriction_type=PageViewRestriction.LOGIN)
    assert _embed(client, scene["hub"]).status_code == 404


def test_snippet_is_an_iframe_with_title_and_optional_script(client, scene, settings):
    settings.SITE_URL = "https://dugnad.example.no"
    hub = scene["hub"]
    response = client.get(reverse("embed_snippet", args=[hub.pk]), {"goal": 7, "lang": "en"})
    assert response["Content-Type"].startswith("text/plain")
    soup = BeautifulSoup(response.content, "html.parser")
    frame = soup.iframe
    assert frame["src"] == f"https://dugnad.example.no/embed/{hub.pk}/?goal=7&lang=nn".replace("nn", "en")
    assert frame["title"] == "Projects of Ålesund for goal 7: Affordable and clean energy"
    assert frame.has_attr("data-dugnad-embed")
    assert soup.script["src"].startswith("https://dugnad.example.no/static/embeds/embed-host")
    default = BeautifulSoup(client.get(reverse("embed_snippet", args=[hub.pk])).content, "html.parser")
    assert default.iframe["src"] == f"https://dugnad.example.no/embed/{hub.pk}/?lang=nn"
    assert default.iframe["title"] == "Prosjekt i Ålesund"


def test_share_page_without_javascript_reloads_with_the_options(client, scene):
    hub = scene["hub"]
    response = client.get(reverse("embed_share", args=[hub.pk]), {"goal": 14, "lang": "nb"})
    soup = BeautifulSoup(response.content, "html.parser")
    code = BeautifulSoup(unescape(soup.select_one("textarea#embed-code").decode_contents()), "html.parser")
    assert code.iframe["src"].endswith(f"/embed/{hub.pk}/?goal=14&lang=nb")
    assert soup.select_one("textarea#embed-code").has_attr("readonly")
    assert soup.select_one("#embed-goal option[selected]")["value"] == "14"
    assert soup.select_one("#embed-lang option[selected]")["value"] == "nb"
    form = soup.select_one("form[data-embed-options]")
    assert form["method"] == "get"
    assert form["action"] == reverse("embed_share", args=[hub.pk])


def test_project_list_and_hub_page_offer_the_share_dialog(client, scene):
    hub = scene["hub"]
    for url in (scene["index"].url, hub.url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        opener = soup.select_one("[data-embed-dialog]")
        assert opener is not None, url
        assert opener["href"] == reverse("embed_share", args=[hub.pk])
        dialog = soup.select_one("dialog#embed-share-dialog")
        assert dialog["aria-labelledby"] == "embed-share-heading"
        assert dialog.select_one("textarea[readonly]") is not None


def test_no_share_dialog_for_a_restricted_project_list(client, scene):
    PageViewRestriction.objects.create(page=scene["index"], restriction_type=PageViewRestriction.PASSWORD, password="x")
    soup = BeautifulSoup(client.get(scene["hub"].url).content, "html.parser")
    assert soup.select_one("[data-embed-dialog]") is None
