"""The public project pages: the list, proposing, a proposal's own page, progress updates, feeds, tags."""

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cms.versioned_cache import KEY_PREFIX
from projects import selectors
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProgressUpdateImage,
    ProjectGalleryImage,
    ProjectLink,
    ProjectPage,
    ProjectStatus,
)
from tests.cms.factories import image_create
from tests.partners.factories import partner_index_create
from tests.projects.factories import (
    goal,
    project_create,
    project_index_create,
    proposal_fields,
    scene_create,
    target,
    user_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    """These tests read the pages' English wording; a hub speaks Bokmål unless the visitor chose."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def no_page_cache(settings):
    """Query counts are about rendering: the anonymous page cache would answer the second request."""
    settings.DUGNAD_PAGE_CACHE = False


@pytest.fixture
def scene():
    return scene_create()


def _captured_queries(client, url) -> list[str]:
    """The SQL of a GET that renders the page, after a first GET has filled the versioned cache
    (site, menus, hub ...). The first has another query string, so a list's public part, which is
    kept by query string, is rendered by the second, not taken from the cache."""
    client.get(f"{url}{'&' if '?' in url else '?'}warm=1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _count_queries(client, url) -> int:
    return len(_captured_queries(client, url))


def _proposal_post(scene, **overrides) -> dict:
    data = {
        "title": "Grønn havn",
        "summary": "Landstrøm for skip i havna.",
        "primary_goal": goal(13).pk,
        "goals": [goal(7).pk],
        "targets": [target("13.2").pk, target("7.2").pk],
        "status": ProjectStatus.PLANNED,
        "start_date": "2025-01-01",
        "end_date": "2026-01-01",
        "lead_partner": scene.lead.pk,
        "partners": [scene.participant.pk],
        "location": "Ålesund havn",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.org",
        "funding_notes": "",
        "body_text": "Første avsnitt.\n\nAndre avsnitt.",
    }
    data.update(overrides)
    return data


# --- The list ------------------------------------------------------------------------------------


def test_card_image_uses_the_prefetched_rendition():
    with open("projects/templates/projects/includes/project_card.html") as template:
        assert f" {selectors.CARD_IMAGE_RENDITION} " in template.read()


def test_list_filters_by_goal_and_status_and_text(client, scene):
    project_create(scene.index, title="Sol på taket", primary_goal=goal(7), status=ProjectStatus.ACTIVE)
    project_create(scene.index, title="Havvind", primary_goal=goal(13), status=ProjectStatus.PLANNED)
    project_create(scene.index, title="Skjult utkast", primary_goal=goal(7), live=False)
    project_create(scene.other_index, title="Molde sol", primary_goal=goal(7))

    html = client.get(scene.index.url).content.decode()
    assert "Sol på taket" in html and "Havvind" in html
    assert "Skjult utkast" not in html and "Molde sol" not in html
    assert "2 projects" in html

    html = client.get(scene.index.url, {"goal": 7}).content.decode()
    assert "Sol på taket" in html and "Havvind" not in html
    html = client.get(scene.index.url, {"status": "planned"}).content.decode()
    assert "Havvind" in html and "Sol på taket" not in html
    html = client.get(scene.index.url, {"q": "havvind"}).content.decode()
    assert "Havvind" in html and "Sol på taket" not in html
    html = client.get(scene.index.url, {"goal": 7, "status": "planned"}).content.decode()
    assert "No projects match your search" in html


def test_list_paginates_by_twelve_and_keeps_filters(client, scene):
    for _ in range(13):
        project_create(scene.index, primary_goal=goal(7))
    html = client.get(scene.index.url, {"goal": 7}).content.decode()
    assert html.count('class="ds-card dg-card project-card"') == 12
    assert "?goal=7&amp;page=2" in html
    html = client.get(scene.index.url, {"goal": 7, "page": 2}).content.decode()
    assert html.count('class="ds-card dg-card project-card"') == 1


def _projects_with_images(scene, count):
    """Projects that every filter below lets through, so each combination shows full pages of cards."""
    for _ in range(count):
        image = image_create()
        image.get_rendition(selectors.CARD_IMAGE_RENDITION)
        project_create(
            scene.index,
            hero_image=image,
            hero_image_alt="Et bilde",
            goals=[goal(7)],
            targets=[target("7.2")],
            lead_partner=scene.lead,
            status=ProjectStatus.ACTIVE,
        )


LIST_FILTERS = {"goal": "7", "target": "7.2", "status": "active", "partner": None, "q": "prosjekt"}
# Every combination of the filters, each in both sort orders.
FILTER_COMBINATIONS = [
    (names, sort)
    for size in range(len(LIST_FILTERS) + 1)
    for names in itertools.combinations(LIST_FILTERS, size)
    for sort in ("newest", "updated")
]
# Routing (the pages on the path, the project list), the count, the page of projects with their
# goal, partner and image joined, and the card renditions. Site, menus, footer, the hub, view
# restrictions and the filters' goals, targets and partners come from the versioned cache.
LIST_QUERIES = 5


def _list_queries(client, scene) -> dict:
    counts = {}
    for names, sort in FILTER_COMBINATIONS:
        params = {name: LIST_FILTERS[name] or scene.lead.pk for name in names} | {"sort": sort}
        counts[names, sort] = _count_queries(client, f"{scene.index.url}?{urlencode(params)}")
    return counts


def test_list_queries_do_not_grow_with_the_number_of_projects_for_any_filters(client, scene, no_page_cache):
    _projects_with_images(scene, 3)
    at_three = _list_queries(client, scene)
    _projects_with_images(scene, 27)
    at_thirty = _list_queries(client, scene)
    assert at_thirty == at_three
    assert set(at_thirty.values()) == {LIST_QUERIES}
    every_filter = {name: value or scene.lead.pk for name, value in LIST_FILTERS.items()}
    html = client.get(scene.index.url, every_filter).content.decode()
    assert "30 projects" in html
    assert html.count('class="project-card__image"') == 12
    assert html.count('alt="Et bilde"') == 12


def test_list_queries_for_a_logged_in_member_do_not_grow_either(client, scene, no_page_cache):
    client.force_login(scene.lead_member)
    _projects_with_images(scene, 3)
    at_three = _count_queries(client, scene.index.url)
    _projects_with_images(scene, 27)
    at_thirty = _count_queries(client, scene.index.url)
    assert at_thirty == at_three == LIST_QUERIES + 2  # the session, the user (everyone is offered proposing)


# Served from the public part: the page (routing) and the part's dependency versions are not queries.
LIST_QUERIES_FROM_PART = 2


def test_members_get_the_list_from_its_public_part_until_a_project_changes(client, scene):
    client.force_login(scene.lead_member)
    _projects_with_images(scene, 13)
    url = f"{scene.index.url}?{urlencode({'goal': '7', 'page': '2'})}"
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url).content.decode()
    assert len(queries) == LIST_QUERIES_FROM_PART + 2  # + the session and the user
    cards = [str(BeautifulSoup(html, "html.parser").select_one(".project-grid")) for html in (first, second)]
    assert cards[0] == cards[1] and "Prosjekt" in cards[0]
    assert "13 projects" in second and "page 2 of 2" in second

    project_create(scene.index, title="Ny solcellepark", goals=[goal(7)])
    assert "14 projects" in client.get(url).content.decode()
    # Another query is another part: the first page is not the second.
    assert "page 1 of 2" in client.get(f"{scene.index.url}?goal=7").content.decode()


# --- Proposing -----------------------------------------------------------------------------------


def _links(html: str) -> set[str]:
    return {link["href"] for link in BeautifulSoup(html, "html.parser").select("a[href]")}


def test_the_list_offers_proposing_to_everyone(client, scene):
    # Visitors who are not partners look for it there too; the proposal page tells them how.
    propose_url = f"{scene.index.url}propose/"
    assert propose_url in _links(client.get(scene.index.url).content.decode())
    client.force_login(user_create())
    assert propose_url in _links(client.get(scene.index.url).content.decode())


def test_propose_tells_anonymous_people_how_to_become_a_partner_and_to_log_in(client, scene):
    partner_index_create(scene.hub)
    url = f"{scene.index.url}propose/"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "proposed by its partner organisations" in html
    links = _links(html)
    assert f"{scene.hub.url}partners/apply/" in links
    assert f"/accounts/login/?{urlencode({'next': url})}" in links
    assert 'name="title"' not in html


def test_propose_explains_who_may_propose(client, scene):
    partner_index_create(scene.hub)
    client.force_login(user_create())
    response = client.get(f"{scene.index.url}propose/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "approved partner" in html
    links = _links(html)
    assert f"{scene.hub.url}partners/apply/" in links and "/partners/mine/" in links
    assert not any(link.startswith("/accounts/login/") for link in links)
    assert 'name="title"' not in html


def test_a_proposal_posted_by_someone_who_may_not_propose_is_refused(client, scene):
    client.force_login(user_create())
    response = client.post(f"{scene.index.url}propose/", _proposal_post(scene))
    assert response.status_code == 403
    assert not ProjectPage.objects.filter(title="Grønn havn").exists()


def test_propose_saves_a_draft_and_shows_it_waits_for_review(client, scene):
    client.force_login(scene.proposer)
    response = client.post(f"{scene.index.url}propose/", _proposal_post(scene))
    page = ProjectPage.objects.get(title="Grønn havn")
    assert response.status_code == 302
    assert response["Location"] == f"{scene.index.url}proposals/{page.pk}/"
    assert not page.live
    response = client.get(response["Location"])
    html = response.content.decode()
    assert "sent for review" in html
    assert "Waiting for review" in html
    assert "Andre avsnitt." in html
    assert f"proposals/{page.pk}/edit/" in html


def test_a_burst_of_proposals_is_refused_and_keeps_what_was_typed(client, scene, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "project-proposal": (1, 100, 3600)}
    client.force_login(scene.proposer)
    assert client.post(f"{scene.index.url}propose/", _proposal_post(scene)).status_code == 302

    response = client.post(f"{scene.index.url}propose/", _proposal_post(scene, title="Blå havn"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert 'value="Blå havn"' in response.content.decode()
    assert not ProjectPage.objects.filter(title="Blå havn").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"targets": [target_code] if (target_code := None) else []}, None, None),
    ][:0]
    + [
        ({"goals": []}, "targets", "do not belong to the goals you chose: 7.2"),
        ({"start_date": "2026-01-01", "end_date": "2025-01-01"}, "end_date", "end date is before the start date"),
        ({"summary": "Hei <script>alert(1)</script>"}, "summary", "not allowed"),
        ({"body_text": "<img src=x onerror=alert(1)>"}, "body_text", "not allowed"),
    ],
)
def test_propose_refuses_bad_input_and_saves_nothing(client, scene, overrides, field, message):
    client.force_login(scene.proposer)
    response = client.post(f"{scene.index.url}propose/", _proposal_post(scene, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not ProjectPage.objects.filter(title="Grønn havn").exists()


def test_propose_offers_only_the_users_approved_partners_to_lead(client, scene):
    client.force_login(scene.proposer)
    response = client.post(f"{scene.index.url}propose/", _proposal_post(scene, lead_partner=scene.participant.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["lead_partner"]
    assert not ProjectPage.objects.filter(title="Grønn havn").exists()


# --- A proposal's own page ------------------------------------------------------------------------


@pytest.fixture
def proposal(scene):
    from projects.services import project_propose

    return project_propose(**proposal_fields(scene))


@pytest.mark.parametrize(
    ("who", "view_status", "edit_status"),
    [
        ("registered", 404, 404),
        ("unrelated_member", 404, 404),
        ("proposer", 200, 200),
        ("participant_member", 200, 403),
        ("coordinator", 200, 200),
        ("other_coordinator", 404, 404),
    ],
)
def test_proposal_pages_answer_per_person(client, scene, proposal, who, view_status, edit_status):
    user = user_create() if who == "registered" else getattr(scene, who)
    client.force_login(user)
    url = f"{scene.index.url}proposals/{proposal.pk}/"
    assert client.get(url).status_code == view_status
    assert client.get(f"{url}edit/").status_code == edit_status


def test_proposal_pages_send_anonymous_people_to_log_in(client, scene, proposal):
    url = f"{scene.index.url}proposals/{proposal.pk}/"
    assert client.get(url).status_code == 302
    assert client.get(f"{url}edit/").status_code == 302


def test_proposal_of_another_hub_is_not_found_under_this_hub(client, scene, proposal):
    client.force_login(scene.proposer)
    assert client.get(f"{scene.other_index.url}proposals/{proposal.pk}/").status_code == 404


def test_proposer_edits_the_proposal(client, scene, proposal):
    client.force_login(scene.proposer)
    url = f"{scene.index.url}proposals/{proposal.pk}/edit/"
    form_html = client.get(url).content.decode()
    assert 'value="Grønn havn"' in form_html
    response = client.post(url, _proposal_post(scene, title="Grønnere havn"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.get_latest_revision_as_object().title == "Grønnere havn"
    assert "Grønnere havn" in client.get(response["Location"]).content.decode()


def test_a_proposals_description_is_markdown_with_a_preview_and_comes_back_as_markdown(client, scene):
    client.force_login(scene.proposer)
    text = "Vi bygger **landstrøm**:\n\n- kai 1\n- kai 2"
    preview = client.post(f"{scene.index.url}propose/", _proposal_post(scene, body_text=text, preview="body_text"))
    html = preview.content.decode()
    assert preview.status_code == 200 and "<strong>landstrøm</strong>" in html and "<li>kai 1</li>" in html
    assert not ProjectPage.objects.filter(title="Grønn havn").exists()

    assert client.post(f"{scene.index.url}propose/", _proposal_post(scene, body_text=text)).status_code == 302
    project = ProjectPage.objects.get(title="Grønn havn")
    assert "<strong>landstrøm</strong>" in project.body[0].value.source
    form_html = client.get(f"{scene.index.url}proposals/{project.pk}/edit/").content.decode()
    box = re.search(r'<textarea name="body_text"[^>]*>(.*?)</textarea>', form_html, re.S).group(1)
    assert unescape(box).strip() == text


# --- The project page and progress updates --------------------------------------------------------


def _with_outcome(scene):
    page = project_create(scene.index, title="Havvind", lead_partner=scene.lead, partners=[scene.participant])
    outcome = Outcome.objects.create(
        project=page, title="Utslipp", unit="tonn", baseline=100, target_value=50, target_date=date(2030, 1, 1)
    )
    return page, outcome


def _update_url(page):
    return f"/projects/{page.pk}/updates/new/"


def test_only_project_partners_post_updates(client, scene):
    page, _outcome = _with_outcome(scene)
    assert client.get(_update_url(page)).status_code == 302
    client.force_login(scene.unrelated_member)
    assert client.get(_update_url(page)).status_code == 403
    assert "Post a progress update" not in client.get(page.url).content.decode()
    client.force_login(scene.participant_member)
    assert client.get(_update_url(page)).status_code == 200
    assert _update_url(page) in client.get(page.url).content.decode()


def test_progress_update_with_an_outcome_value_shows_in_chart_and_table(client, scene):
    page, outcome = _with_outcome(scene)
    client.force_login(scene.participant_member)
    response = client.post(
        _update_url(page),
        {
            "partner": scene.participant.pk,
            "reported_on": "2025-03-01",
            "text": "Vi har montert landstrøm.",
            f"outcome_{outcome.pk}": "80",
        },
    )
    assert response.status_code == 302
    html = client.get(page.url).content.decode()
    assert "Vi har montert landstrøm." in html
    assert 'role="img"' in html and f'<title id="outcome-chart-{outcome.pk}-title">Utslipp</title>' in html
    assert "Utslipp: from 100.00 to 80.00 tonn" in html  # the chart's description
    assert 'class="line-chart__target-line"' in html
    assert "<td>80.00</td>" in html
    assert " style=" not in html


@pytest.mark.parametrize(
    ("body", "about_headings", "first_h2"),
    [
        ([("text", "<p>Vi bygger.</p>")], 1, "About the project"),
        ([("heading", {"text": "Bakgrunn", "level": "h2"}), ("text", "<p>Vi bygger.</p>")], 0, "Bakgrunn"),
    ],
)
def test_the_project_page_names_its_description_once(client, scene, body, about_headings, first_h2):
    """The page adds "About the project" only when the body does not open with a heading of its own."""
    page = project_create(scene.index, title="Havvind", lead_partner=scene.lead)
    page.body = body
    page.save_revision().publish()
    with translation.override("en"):
        soup = BeautifulSoup(client.get(page.url, HTTP_ACCEPT_LANGUAGE="en").content, "html.parser")
    main = soup.select_one(".project-layout__main")
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert headings.count("About the project") == about_headings
    assert headings[0] == first_h2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("outcome", "mange", "Enter a number"), ("text", "<script>alert(1)</script>", "not allowed")],
)
def test_progress_update_refuses_bad_input_and_saves_nothing(client, scene, field, value, message):
    page, outcome = _with_outcome(scene)
    client.force_login(scene.participant_member)
    data = {"partner": scene.participant.pk, "reported_on": "2025-03-01", "text": "Bra.", f"outcome_{outcome.pk}": "1"}
    data["text" if field == "text" else f"outcome_{outcome.pk}"] = value
    response = client.post(_update_url(page), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert not OutcomeMeasurement.objects.exists()


def _image(*specs):
    image = image_create()
    for spec in specs:
        image.get_rendition(spec)
    return image


def _project_with(scene, *, images, updates):
    """A project with everything its page shows: main image, gallery, goals, targets, partners,
    links, an outcome, and progress updates with values and (every fifth) a picture."""
    hero = _image(selectors.HERO_IMAGE_RENDITION)
    page = project_create(
        scene.index,
        title="Havvind",
        lead_partner=scene.lead,
        partners=[scene.participant],
        goals=[goal(7), goal(14)],
        targets=[target("7.2"), target("13.2")],
        hero_image=hero,
        hero_image_alt="Hovedbilde",
    )
    ProjectLink.objects.create(project=page, url="https://example.org/havvind", title="Om havvind")
    outcome = Outcome.objects.create(
        project=page, title="Utslipp", unit="tonn", baseline=100, target_value=50, target_date=date(2030, 1, 1)
    )
    for _ in range(images):
        image = _image(selectors.GALLERY_IMAGE_RENDITION, selectors.GALLERY_FULL_RENDITION)
        ProjectGalleryImage.objects.create(project=page, image=image, alt_text="Galleri")
    for number in range(updates):
        update = ProgressUpdate.objects.create(
            project=page, partner=scene.lead, reported_on=date(2024, 1, 1 + number % 28), text="<p>Nytt</p>"
        )
        OutcomeMeasurement.objects.create(outcome=outcome, update=update, value=90, measured_on=update.reported_on)
        if number % 5 == 0:
            picture = _image(selectors.UPDATE_IMAGE_RENDITION)
            ProgressUpdateImage.objects.create(update=update, image=picture, alt_text="Oppdateringsbilde")
    return page


# The project's own part of its page: routing (the pages on the path, the project), gallery, main
# image, updates, their pictures, their values, all renditions, outcomes, goals and targets (one
# query for both), partners (lead and participating, with their approval in the hub) and links.
# Site, menus, footer, the hub, view restrictions and the list's reporting thresholds come from
# the versioned cache. The page's discussion (discussions app) and its open consultations
# (consultations app, one query) add their own on top.
PROJECT_PAGE_QUERIES = 12
PAGE_QUERY_LIMIT = 15  # the limit for any page


# A member's (or, with the page cache off, anyone's) later visit: the facts, the content, the updates
# and the page's metadata come from the versioned cache; routing (two) and the blocks of the higher
# apps remain.
PROJECT_PAGE_QUERIES_FROM_PARTS = 2


PROJECT_PAGE_PARTS = ("part:project-facts", "part:project-content", "part:project-updates")


def _rendered_project_queries(client, page) -> list[str]:
    """The SQL of a project page that renders its public parts: a first GET fills the versioned
    cache, then the parts and the metadata kept with them are dropped (as after their time is up),
    so the second renders them again."""
    client.get(page.url)
    day, language = timezone.localdate().isoformat(), translation.get_language()
    parts = [f"{KEY_PREFIX}fragment:{part}:{page.pk}:{language}:testserver:{day}" for part in PROJECT_PAGE_PARTS]
    cache.delete_many([*parts, f"{KEY_PREFIX}project-meta:{page.pk}:{language}"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _project_queries(queries: list[str]) -> int:
    # The higher apps' blocks on the page (the discussion, its consultations, the idea it started
    # as) count apart.
    return sum('"discussions_' not in sql and '"consultations_' not in sql and '"ideas_' not in sql for sql in queries)


def test_project_page_queries_do_not_grow_with_gallery_and_updates(client, scene, no_page_cache):
    small = _project_with(scene, images=2, updates=5)
    large = _project_with(scene, images=20, updates=50)
    at_small = _rendered_project_queries(client, small)
    at_large = _rendered_project_queries(client, large)
    assert len(at_large) == len(at_small) <= PAGE_QUERY_LIMIT
    assert _project_queries(at_large) == _project_queries(at_small) == PROJECT_PAGE_QUERIES
    assert _project_queries(_captured_queries(client, large.url)) == PROJECT_PAGE_QUERIES_FROM_PARTS
    html = client.get(large.url).content.decode()
    assert html.count('alt="Galleri"') == 20
    assert html.count('alt="Oppdateringsbilde"') == 10
    assert html.count('class="ds-card project-update"') == 50
    assert 'alt="Hovedbilde"' in html and "Om havvind" in html
    assert "Leder AS" in html and "Deltaker AS" in html
    assert "Target 7.2" in html and "Target 13.2" in html
    assert 'href="/goals/14/"' in html


def test_project_page_queries_for_a_project_partner_do_not_grow_either(client, scene, no_page_cache):
    client.force_login(scene.lead_member)
    small = _project_with(scene, images=2, updates=5)
    large = _project_with(scene, images=20, updates=50)
    at_small = len(_rendered_project_queries(client, small))
    at_large = len(_rendered_project_queries(client, large))
    assert at_large == at_small
    assert "Post a progress update" in client.get(large.url).content.decode()


def test_a_progress_update_renews_the_project_page_a_member_sees(client, scene):
    client.force_login(scene.lead_member)
    page = _project_with(scene, images=0, updates=1)
    assert client.get(page.url).content.decode().count('class="ds-card project-update"') == 1
    ProgressUpdate.objects.create(project=page, partner=scene.lead, reported_on=date(2024, 3, 1), text="<p>Mer</p>")
    assert client.get(page.url).content.decode().count('class="ds-card project-update"') == 2


# --- Feeds and the lists on other pages -----------------------------------------------------------


def test_hub_feed_is_atom_with_the_live_projects(client, scene):
    project_create(scene.index, title="Havvind", lead_partner=scene.lead)
    project_create(scene.index, title="Utkast", live=False)
    response = client.get(f"{scene.index.url}feed/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Havvind"]
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Leder AS"
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/projects/havvind/") or entries[0].find(
        f"{ATOM}link"
    ).get("href").endswith(ProjectPage.objects.get(title="Havvind").url)


def test_goal_page_lists_projects_of_every_hub_and_links_the_feed(client, scene):
    project_create(scene.index, title="Ålesund sol", primary_goal=goal(7))
    project_create(scene.other_index, title="Molde sol", goals=[goal(7)])
    project_create(scene.index, title="Havvind", primary_goal=goal(13))
    html = client.get("/goals/7/").content.decode()
    assert "Ålesund sol" in html and "Molde sol" in html and "Havvind" not in html
    assert 'type="application/atom+xml" href="/projects/goals/7/feed/"' in html
    feed = ET.fromstring(client.get("/projects/goals/7/feed/").content)
    titles = sorted(entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry"))
    assert titles == ["Molde sol", "Ålesund sol"]
    assert client.get("/projects/goals/99/feed/").status_code == 404


def test_hub_hook_adds_a_project_list_once(scene):
    from projects.hub_hooks import project_index_ensure
    from tests.partners.factories import hub_create

    hub = hub_create(title="Ny hub", home=scene.hub.get_parent().specific)
    index = project_index_ensure(hub=hub)
    assert index.live and index.slug == "projects" and index.show_in_menus
    assert project_index_ensure(hub=hub) is None
    assert project_index_create  # the factory makes the same page for tests
