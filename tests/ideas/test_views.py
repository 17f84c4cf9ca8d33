import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import services
from ideas.models import Idea, IdeaStatus, IdeaSupport
from tests.accounts.factories import UserFactory
from tests.ideas.factories import goal, idea_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.DUGNAD_PAGE_CACHE = False


def _url(scene, suffix=""):
    return f"{scene.hub.url}ideas/{suffix}"


def test_the_list_sorts_by_support_and_filters_by_status_and_goal(client, scene):
    popular = idea_create(scene.hub, scene.citizen, title="Populær idé", goals=[goal(3)])
    for _n in range(2):
        services.idea_support(actor=UserFactory(verified=True), idea=popular)
    services.idea_answer(actor=scene.coordinator, idea=popular, status=IdeaStatus.UNDER_REVIEW, answer="")
    html = client.get(_url(scene)).content.decode()
    assert html.index("Populær idé") < html.index("Benker langs sjøen")
    assert "2 supporters" in html
    newest = client.get(_url(scene) + "?sort=newest").content.decode()
    assert newest.index("Populær idé") < newest.index("Benker langs sjøen")
    reviewed = client.get(_url(scene) + "?status=under_review").content.decode()
    assert "Populær idé" in reviewed and "Benker langs sjøen" not in reviewed
    by_goal = client.get(_url(scene) + "?goal=11").content.decode()
    assert "Benker langs sjøen" in by_goal and "Populær idé" not in by_goal


def test_a_hidden_idea_is_left_out_of_the_list_and_is_404_for_others(client, scene):
    services.idea_hide(actor=scene.coordinator, idea=scene.idea, reason="Spam")
    assert "Benker langs sjøen" not in client.get(_url(scene)).content.decode()
    assert client.get(_url(scene, f"{scene.idea.pk}/")).status_code == 404
    client.force_login(scene.author)
    assert "hidden by the coordinators: Spam" in client.get(_url(scene, f"{scene.idea.pk}/")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in_to_post(client, scene):
    response = client.get(_url(scene, "new/"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_unverified_person_is_told_to_confirm_their_address(client, scene):
    client.force_login(scene.unverified)
    assert "Confirm your e-mail address" in client.get(_url(scene, "new/")).content.decode()
    assert client.post(_url(scene, "new/"), {"title": "X", "text": "Y"}).status_code == 403


def test_posting_an_idea_with_a_goal_redirects_to_it(client, scene):
    client.force_login(scene.citizen)
    response = client.post(_url(scene, "new/"), {"title": "Badeplass", "text": "Ved *kaia*", "goals": [goal(3).pk]})
    idea = Idea.objects.get(title="Badeplass")
    assert response.status_code == 302 and response["Location"].endswith(f"/ideas/{idea.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "<em>kaia</em>" in page and 'id="discussion"' in page


def test_errors_keep_what_was_typed(client, scene):
    client.force_login(scene.citizen)
    response = client.post(_url(scene, "new/"), {"title": "", "text": "Det jeg skrev"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html and "Det jeg skrev" in html


def test_posting_is_rate_limited_keeping_the_text(client, scene, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "idea-post": (1, 10, 3600)}
    client.force_login(scene.citizen)
    client.post(_url(scene, "new/"), {"title": "Første", "text": "En"})
    response = client.post(_url(scene, "new/"), {"title": "Andre", "text": "To"})
    assert response.status_code == 429 and "Andre" in response.content.decode()
    assert not Idea.objects.filter(title="Andre").exists()


def test_support_and_withdraw_without_javascript(client, scene):
    client.force_login(scene.citizen)
    url = _url(scene, f"{scene.idea.pk}/support/")
    assert client.get(url).status_code == 405
    client.post(url, {"action": "support"})
    assert IdeaSupport.objects.filter(idea=scene.idea, user=scene.citizen).exists()
    page = client.get(_url(scene, f"{scene.idea.pk}/")).content.decode()
    assert "1 person supports this idea." in page and "Withdraw my support" in page
    client.post(url, {"action": "withdraw"})
    assert not IdeaSupport.objects.exists()


def test_csrf_is_required_on_support(scene):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.citizen)
    assert client.post(_url(scene, f"{scene.idea.pk}/support/"), {"action": "support"}).status_code == 403


def test_only_coordinators_see_and_use_the_answer_form(client, scene):
    client.force_login(scene.citizen)
    assert "Publish the answer" not in client.get(_url(scene, f"{scene.idea.pk}/")).content.decode()
    assert client.post(_url(scene, f"{scene.idea.pk}/answer/"), {"status": "not_now"}).status_code == 403
    client.force_login(scene.coordinator)
    response = client.post(_url(scene, f"{scene.idea.pk}/answer/"), {"status": "not_now", "answer": ""})
    assert response.status_code == 400
    assert "Say why the idea is not taken forward now." in response.content.decode()
    response = client.post(_url(scene, f"{scene.idea.pk}/answer/"), {"status": "not_now", "answer": "Budsjettet"})
    assert response.status_code == 302
    assert "Budsjettet" in client.get(_url(scene, f"{scene.idea.pk}/")).content.decode()


def test_the_project_page_links_back_to_the_idea(client, scene):
    client.force_login(scene.coordinating_member)
    response = client.post(
        _url(scene, f"{scene.idea.pk}/project/"), {"lead_partner": scene.partner.pk, "primary_goal": goal(11).pk}
    )
    assert response.status_code == 302
    scene.idea.refresh_from_db()
    project = scene.idea.project
    page = client.get(_url(scene, f"{scene.idea.pk}/")).content.decode()
    assert "This idea became a project proposal" in page
    revision = project.get_latest_revision_as_object()
    revision.save_revision().publish()
    project.refresh_from_db()
    html = client.get(project.url).content.decode()
    assert "This project started as an idea:" in html and f"/ideas/{scene.idea.pk}/" in html


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_at_two_sizes(client, scene):
    client.force_login(scene.citizen)
    for number in range(2):
        idea_create(scene.hub, scene.partner_member, title=f"Idé {number}", goals=[goal(3)])
    small = _queries(client, _url(scene))
    for number in range(12):
        idea = idea_create(scene.hub, UserFactory(verified=True), title=f"Mer {number}", goals=[goal(4), goal(5)])
        services.idea_support(actor=scene.citizen, idea=idea)
    assert _queries(client, _url(scene)) == small


def test_the_hub_page_leads_to_the_ideas(client, scene):
    html = client.get(scene.hub.url).content.decode()
    assert f'href="{scene.hub.url}ideas/"' in html and f'href="{scene.hub.url}ideas/new/"' in html


def test_an_anonymous_visitors_cached_list_shows_a_new_support_at_once(client, scene, settings):
    settings.DUGNAD_PAGE_CACHE = True
    client.get(_url(scene))
    assert "1 supporter" not in client.get(_url(scene)).content.decode()
    services.idea_support(actor=scene.citizen, idea=scene.idea)
    assert "1 supporter" in client.get(_url(scene)).content.decode()
