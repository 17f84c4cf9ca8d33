"""Site search: stems and folding end to end, facets, ranking, highlighting, pagination, the page."""

import pytest
from django.core.management import call_command
from django.utils import translation

from discussions import services as discussion_services
from partners.models import PartnerKind
from projects.models import ProjectStatus
from sitesearch.selectors import KIND_COMMENT, KIND_NEWS, KIND_PAGE, KIND_PARTNER, KIND_PROJECT, KIND_TOPIC, site_search
from tests.projects.factories import goal, project_create
from tests.sitesearch.factories import search_world_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return search_world_create()


def _found(query, **filters):
    return {(hit.kind, hit.pk) for hit in site_search(query, filters=filters).paginator.object_list}


def test_a_stem_finds_every_form_and_every_kind(world):
    found = _found("bærekraft")
    assert (KIND_PROJECT, world.project.pk) in found  # "Bærekraftig" in the title
    assert (KIND_PROJECT, world.other_project.pk) in found  # only in the summary
    assert (KIND_PARTNER, world.partner.pk) in found  # in the description
    assert (KIND_TOPIC, world.topic.pk) in found
    assert (KIND_COMMENT, world.comment.pk) in found


def test_folded_spelling_finds_the_letters_and_back(world):
    assert (KIND_PROJECT, world.other_project.pk) in _found("gronn")  # "Grønn mobilitet"
    assert (KIND_PARTNER, world.partner.pk) in _found("GRONNE hender")
    assert (KIND_PROJECT, world.project.pk) in _found("baerekraftige alesund")


def test_nynorsk_forms_match_as_far_as_the_stemmer_allows(world):
    assert (KIND_PAGE, world.page.pk) in _found("berekrafta")  # "berekraftig framtid"
    assert (KIND_NEWS, world.news.pk) in _found("bærekraftdagen")


def test_all_words_must_match(world):
    assert _found("bærekraftig sykkel") == {(KIND_PROJECT, world.other_project.pk)}
    assert _found("bærekraftig finnesikke") == set()
    assert _found("") == set()


def test_title_matches_rank_first(world):
    hits = site_search("bærekraft", filters={}).paginator.object_list
    in_title = {(KIND_PROJECT, world.project.pk), (KIND_TOPIC, world.topic.pk)}
    assert {(hit.kind, hit.pk) for hit in hits[:2]} == in_title


def test_facets_count_and_filter(world):
    result = site_search("bærekraft", filters={})
    counts = {facet: {option.value: option.count for option in options} for facet, options in result.facets.items()}
    assert counts["type"] == {KIND_PROJECT: 2, KIND_PARTNER: 1, KIND_TOPIC: 1, KIND_COMMENT: 1}
    assert counts["hub"] == {str(world.hub.pk): 4, str(world.other_hub.pk): 1}
    assert counts["status"] == {ProjectStatus.ACTIVE: 1, ProjectStatus.COMPLETED: 1}
    assert counts["kind"] == {PartnerKind.NGO: 1}
    assert counts["goal"]["7"] == 1 and counts["goal"]["11"] == 1

    assert _found("bærekraft", type=KIND_PROJECT) == {
        (KIND_PROJECT, world.project.pk),
        (KIND_PROJECT, world.other_project.pk),
    }
    assert _found("bærekraft", goal="11") == {(KIND_PROJECT, world.other_project.pk)}
    assert _found("bærekraft", status=ProjectStatus.ACTIVE) == {(KIND_PROJECT, world.project.pk)}
    assert _found("bærekraft", kind=PartnerKind.NGO) == {(KIND_PARTNER, world.partner.pk)}
    assert _found("bærekraft", hub=str(world.other_hub.pk)) == {(KIND_PROJECT, world.other_project.pk)}

    # A facet's own counts ignore its own choice, so the other values stay on offer.
    filtered = site_search("bærekraft", filters={"type": KIND_PROJECT})
    type_counts = {option.value: option.count for option in filtered.facets["type"]}
    assert type_counts[KIND_PARTNER] == 1
    assert {option.value: option.count for option in filtered.facets["hub"]} == {
        str(world.hub.pk): 1,
        str(world.other_hub.pk): 1,
    }


def test_results_are_paginated(world):
    index = world.project.get_parent()
    for number in range(25):
        project_create(index, title=f"Sykkelveg {number}", summary="Sykling hele året.", primary_goal=goal(11))
    result = site_search("sykkelveg", filters={}, page_number=2)
    assert result.paginator.count == 25
    assert len(result.hits) == 5
    assert all(hit.url for hit in result.hits)


def test_the_page_marks_matches_and_links_results(client, world):
    response = client.get("/search/", {"q": "Grønne"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Grønne</mark> Hender" in html
    assert f'href="/{world.hub.slug}/partners/{world.partner.slug}/"' in html
    assert f'href="{world.other_project.url}"' in html
    # Facet links are plain GET links that keep the query.
    assert "?q=Gr%C3%B8nne&amp;type=project" in html


def test_the_hub_search_page_shows_the_hub(client, world):
    with translation.override("en"):
        response = client.get("/search/", {"q": "bærekraft", "hub": world.hub.pk}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="page">Search</a>' in html or 'aria-current="page">Søk</a>' in html
    assert f'<input type="hidden" name="hub" value="{world.hub.pk}">' in html
    assert world.other_project.title not in html  # another hub's project


def test_an_unknown_or_private_hub_searches_everything(client, world):
    response = client.get("/search/", {"q": "gronn", "hub": "999999"})
    assert response.status_code == 200
    assert f'href="{world.other_project.url}"' in response.content.decode()


def test_the_header_searches_the_current_hub(client, world):
    html = client.get(world.project.url).content.decode()
    assert 'role="search"' in html
    assert f'<input type="hidden" name="hub" value="{world.hub.pk}">' in html
    html = client.get("/goals/").content.decode()
    assert 'id="site-search-q"' in html
    assert 'name="hub"' not in html


def test_the_index_follows_every_write(world):
    author = world.comment.author
    discussion_services.comment_edit(actor=author, comment=world.comment, body="Nå handler det om sykkelparkering.")
    assert (KIND_COMMENT, world.comment.pk) not in _found("bærekraft")
    assert (KIND_COMMENT, world.comment.pk) in _found("sykkelparkeringen")

    world.partner.description = "<p>Vi planter epletrær.</p>"
    world.partner.save()
    assert (KIND_PARTNER, world.partner.pk) in _found("plantene")
    assert (KIND_PARTNER, world.partner.pk) not in _found("hagebruk")


def test_update_index_rebuilds_the_same_results(world):
    before = _found("bærekraft")
    call_command("update_index", verbosity=0)
    assert _found("bærekraft") == before


@pytest.mark.parametrize("query", ['"', "*", "NOT", "and or not", "near(", "2026", "a-b", "ÆØÅ", "üñî", "x" * 300])
def test_any_query_text_is_safe(client, query):
    response = client.get("/search/", {"q": query, "page": "x", "goal": "<b>", "hub": "-1"})
    assert response.status_code == 200
    assert "<b>" not in response.content.decode().split("<main")[1]
