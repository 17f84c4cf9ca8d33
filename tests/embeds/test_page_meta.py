"""Open Graph, Twitter and JSON-LD metadata, parsed from the rendered pages."""

import json

import pytest
from bs4 import BeautifulSoup

from embeds.templatetags.meta_tags import json_ld
from tests.cms.factories import image_create
from tests.partners.factories import hub_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db

SITE = "https://dugnad.example.no"


def _meta(client, url) -> tuple[dict, list[dict]]:
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    tags = {tag.get("property") or tag.get("name"): tag["content"] for tag in soup.head.find_all("meta", content=True)}
    blocks = [json.loads(block.string) for block in soup.find_all("script", type="application/ld+json")]
    return tags, blocks


@pytest.fixture
def scene(settings):
    settings.SITE_URL = SITE
    hub = hub_create(title="Ålesund", municipality="Ålesund kommune", hero_image=image_create())
    index = project_index_create(hub)
    project = project_create(
        index,
        title="Grønn havn </script><script>alert(1)</script>",
        summary="Landstrøm & sol <b>nå</b>.",
        primary_goal=goal(7),
        hero_image=image_create(),
        hero_image_alt="Kaia i sol",
    )
    directory = partner_index_create(hub)
    partner = partner_create(
        name="Havna AS", slug="havna", website="https://havna.example.no", description="<p>Vi driver havna.</p>"
    )
    partnership_create(partner=partner, hub=hub)
    return {"hub": hub, "project": project, "directory": directory, "partner": partner}


def test_project_page_has_open_graph_and_a_schema_org_project(client, scene):
    project = scene["project"]
    tags, blocks = _meta(client, project.url)
    assert tags["og:title"] == project.title
    assert tags["og:description"] == project.summary
    assert tags["og:url"] == SITE + project.url
    assert tags["og:image"].startswith(SITE + "/")
    assert tags["og:image:alt"] == "Kaia i sol"
    assert tags["og:locale"] == "nb_NO"
    assert tags["twitter:card"] == "summary_large_image"
    [data] = blocks
    assert data["@type"] == "Project"
    assert data["name"] == project.title
    assert data["url"] == SITE + project.url
    assert data["parentOrganization"]["name"] == "Ålesund"


def test_json_ld_cannot_close_its_script_element(client, scene):
    body = client.get(scene["project"].url).content.decode()
    block = body.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block
    assert json.loads(json_ld({"a": "</script>&"}).split(">", 1)[1].rsplit("<", 1)[0]) == {"a": "</script>&"}


def test_partner_page_describes_an_organization(client, scene):
    url = f"{scene['directory'].url}havna/"
    tags, blocks = _meta(client, url)
    assert tags["og:title"] == "Havna AS"
    assert tags["og:description"] == "Vi driver havna."
    assert tags["og:url"] == SITE + url
    [data] = blocks
    assert data["@type"] == "Organization"
    assert data["sameAs"] == ["https://havna.example.no"]
    assert data["memberOf"]["name"] == "Ålesund"


def test_hub_page_describes_an_organization_with_its_image(client, scene):
    hub = scene["hub"]
    client.cookies["django_language"] = "nn"
    tags, blocks = _meta(client, hub.url)
    assert tags["og:title"] == "Ålesund"
    assert tags["og:url"] == SITE + hub.url
    assert tags["og:image"].startswith(SITE + "/")
    assert tags["og:locale"] == "nn_NO"
    [data] = blocks
    assert data["@type"] == "Organization"
    assert data["areaServed"]["name"] == "Ålesund kommune"


def test_other_pages_get_the_site_defaults(client, scene):
    tags, blocks = _meta(client, "/goals/")
    assert tags["og:site_name"] == "Dugnad"
    assert tags["og:url"] == SITE + "/goals/"
    assert tags["og:image"].startswith(SITE + "/static/img/og-default")
    assert blocks == []
