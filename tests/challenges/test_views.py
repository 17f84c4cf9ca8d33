"""The challenge pages through HTTP: the timeline, the forms (errors in place, input kept), the
whole flow from question to award, and query counts that do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges import services
from challenges.models import Challenge, Phase, Publication, Question
from tests.challenges.factories import challenge_create, close_deadline, scene_create, submit_a

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.DUGNAD_PAGE_CACHE = False


def test_the_page_shows_the_timeline_with_the_current_step_and_the_notice_link(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    Challenge.objects.filter(pk=scene.challenge.pk).update(notice_id="2026-123456", budget_min=100000)
    html = client.get(scene.challenge.url).content.decode()
    assert html.count('aria-current="step"') == 1
    assert 'data-phase="dialogue" aria-current="step"' in html
    assert "https://www.doffin.no/notices/2026-123456" in html
    assert "<strong>bedre</strong>" in html  # the need in Markdown
    assert "Log in to ask a question" in html


def test_a_draft_is_not_found_by_the_public(client):
    scene = scene_create()
    draft = challenge_create(scene.hub, scene.coordinator)
    assert client.get(draft.url).status_code == 404
    assert draft.title not in client.get(f"{scene.hub.url}challenges/").content.decode()
    client.force_login(scene.coordinator)
    assert client.get(draft.url).status_code == 200
    response = client.post(f"{draft.url}manage/", {"action": "publish"})
    assert response.status_code == 302
    assert Challenge.objects.get(pk=draft.pk).publication == Publication.PUBLISHED


def test_asking_keeps_what_was_typed_on_an_error_and_sends_a_good_question(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    client.force_login(scene.b_member)
    url = f"{scene.challenge.url}questions/"
    response = client.post(url, {"text": "Hvor mange kryss?", "organisation_number": "123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hvor mange kryss?" in html and "ds-validation-message" in html
    response = client.post(url, {"text": "Hvor mange kryss?", "organisation_number": "", "anonymous": "on"})
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.anonymous and not question.is_published


def test_a_supplier_submits_through_the_form_and_an_evaluator_scores(client):
    scene = scene_create()
    client.force_login(scene.b_member)
    form_url = f"{scene.challenge.url}submit/"
    assert client.get(form_url).status_code == 200
    requirements = list(scene.challenge.requirements.all())
    data = {
        "organisation_number": scene.b_number,
        "organisation_name": "Leverandør B AS",
        "description": "Lys i kryssene.",
        "maturity": "pilot",
        "price_indication": "",
        **{f"requirement_{r.pk}": "Ja." for r in requirements},
    }
    response = client.post(form_url, data)
    assert response.status_code == 400 and "Lys i kryssene." in response.content.decode()
    data["price_indication"] = "10 000 kr"
    response = client.post(form_url, data)
    assert response.status_code == 302
    submission = scene.challenge.submissions.get()
    assert client.get(response["Location"]).status_code == 200
    close_deadline(scene)
    client.force_login(scene.evaluator)
    url = f"{scene.challenge.url}submissions/{submission.pk}/"
    assert client.post(url, {"action": "declare", "conflict": "no"}).status_code == 302
    criteria = list(scene.challenge.criteria.all())
    scores = {"action": "score"}
    for criterion in criteria:
        scores[f"score_{criterion.pk}"] = "7"
        scores[f"why_{criterion.pk}"] = ""
    response = client.post(url, scores)
    assert response.status_code == 400  # justification required
    for criterion in criteria:
        scores[f"why_{criterion.pk}"] = "God."
    assert client.post(url, scores).status_code == 302
    assert submission.scores.count() == len(criteria)


def test_the_deciding_coordinator_awards_through_the_page(client):
    scene = scene_create()
    a = submit_a(scene)
    close_deadline(scene)
    client.force_login(scene.lead_evaluator)
    url = f"{scene.challenge.url}submissions/"
    response = client.post(url, {"submission": a.pk, "reasons": "", "summary": "Kort."})
    assert response.status_code == 400 and "Kort." in response.content.decode()
    response = client.post(url, {"submission": a.pk, "reasons": "Best.", "summary": "Kort."})
    assert response.status_code == 302
    challenge = Challenge.objects.get(pk=scene.challenge.pk)
    assert challenge.awarded_submission == a and challenge.phase == Phase.AWARDED
    page = client.get(challenge.url).content.decode()
    assert 'data-testid="award"' in page and "Leverandør A AS" in page


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_pages_cost_the_same_at_two_sizes(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    client.force_login(scene.coordinator)
    challenge = scene.challenge
    list_url = f"{scene.hub.url}challenges/"

    def grow(n):
        for i in range(n):
            extra = challenge_create(scene.hub, scene.coordinator)
            services.challenge_publish(actor=scene.coordinator, challenge=extra)
            q = services.question_ask(actor=scene.citizen, challenge=challenge, text=f"Spørsmål {i}?")
            services.question_publish(actor=scene.coordinator, question=q, answer="Svar.")

    grow(1)
    small = (_queries(client, list_url), _queries(client, challenge.url))
    grow(4)
    large = (_queries(client, list_url), _queries(client, challenge.url))
    assert large == small


def test_the_coordinator_sets_criteria_until_the_deadline_and_assigns_evaluators(client):
    scene = scene_create()
    client.force_login(scene.coordinator)
    url = f"{scene.challenge.url}manage/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "criteria", "criteria": "Kvalitet 60"})
    assert response.status_code == 400 and "Kvalitet 60" in response.content.decode()
    assert client.post(url, {"action": "criteria", "criteria": "Kvalitet: 70\nPris: 30"}).status_code == 302
    assert [(c.name, c.weight) for c in scene.challenge.criteria.all()] == [("Kvalitet", 70), ("Pris", 30)]
    assert client.post(url, {"action": "evaluator", "email": scene.citizen.email}).status_code == 302
    assert scene.challenge.evaluators.filter(user=scene.citizen).exists()
    close_deadline(scene)
    response = client.post(url, {"action": "criteria", "criteria": "Alt: 100"})
    assert response.status_code == 400 and "locked" in response.content.decode()
    client.force_login(scene.other_coordinator)
    assert client.get(url).status_code == 404
