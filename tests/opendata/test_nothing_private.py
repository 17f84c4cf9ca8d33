"""Nothing that anonymous visitors may not see on the site is reachable through the open data
(downloads, catalogue, pages) or the Atom feeds: drafts, pages behind a view restriction, private
or unpublished hubs, partners whose partnership is not approved."""

import pytest
from wagtail.models import PageViewRestriction

from partners.models import PartnerIndexPage, PartnershipStatus
from tests.partners.factories import hub_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db

SECRETS = (
    "Hemmelig utkast",
    "Passordprosjekt",
    "Privathubprosjekt",
    "Avpublisert hub-prosjekt",
    "Søkende AS",
    "Suspendert AS",
    "Avslått AS",
    "Privatpartner AS",
    "Skjult hub",
    "Avpublisert hub",
)


@pytest.fixture
def private_things(hub, content):
    index = content["index"]
    home = hub.get_parent()
    project_create(index, title="Hemmelig utkast", primary_goal=goal(13), live=False)
    restricted = project_create(index, title="Passordprosjekt", primary_goal=goal(13))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for name, status in (
        ("Søkende AS", PartnershipStatus.APPLIED),
        ("Suspendert AS", PartnershipStatus.SUSPENDED),
        ("Avslått AS", PartnershipStatus.REJECTED),
    ):
        partnership_create(partner=partner_create(name=name, goals=[goal(13)]), hub=hub, status=status)

    private_hub = hub_create(title="Skjult hub", home=home)
    project_create(project_index_create(private_hub), title="Privathubprosjekt", primary_goal=goal(13))
    partner_index_create(private_hub)
    partnership_create(partner=partner_create(name="Privatpartner AS"), hub=private_hub)
    PageViewRestriction.objects.create(page=private_hub, restriction_type=PageViewRestriction.LOGIN)

    unpublished_hub = hub_create(title="Avpublisert hub", home=home)
    project_create(project_index_create(unpublished_hub), title="Avpublisert hub-prosjekt", primary_goal=goal(13))
    unpublished_hub.unpublish()
    return {"private_hub": private_hub, "unpublished_hub": unpublished_hub}


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def test_nothing_private_in_open_data_or_feeds(client, hub, content, private_things, page_cache_off):
    urls = [
        "/opendata/",
        "/opendata/catalog.ttl",
        "/opendata/catalog.rdf",
        f"/opendata/{hub.slug}/",
        f"/opendata/{hub.slug}/catalog.ttl",
        f"/{hub.slug}/projects/feed/",
        "/projects/goals/13/feed/",
    ]
    for dataset in ("projects", "partners"):
        for fmt in ("csv", "json"):
            urls += [f"/opendata/{dataset}.{fmt}", f"/opendata/{hub.slug}/{dataset}.{fmt}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, (url, leaked)
    # What is public is there (the test could fail).
    assert "Klimaplan" in _text(client.get("/opendata/projects.csv"))
    assert "Solkraft AS" in _text(client.get("/opendata/partners.json"))
    assert "Klimaplan" in _text(client.get("/projects/goals/13/feed/"))


def test_private_and_unpublished_hubs_have_no_open_data(client, private_things):
    for hub in private_things.values():
        for path in ("", "projects.csv", "partners.json", "catalog.ttl"):
            assert client.get(f"/opendata/{hub.slug}/{path}").status_code == 404, (hub.title, path)


def test_a_restricted_partner_directory_hides_the_hubs_partners(client, hub, content):
    directory = PartnerIndexPage.objects.child_of(hub).get()
    PageViewRestriction.objects.create(page=directory, restriction_type=PageViewRestriction.LOGIN)
    assert "Solkraft AS" not in _text(client.get(f"/opendata/{hub.slug}/partners.csv"))
    assert "Solkraft AS" not in _text(client.get("/opendata/partners.json"))
    assert "Klimaplan" in _text(client.get(f"/opendata/{hub.slug}/projects.csv"))
