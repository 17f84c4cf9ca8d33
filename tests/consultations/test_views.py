"""The public pages of consultations below a hub: list, code entry, the form, results and CSV; and
the coordinators' admin pages. What they show, to whom, and at what cost."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from consultations import services
from consultations.models import Moderation, Response, ResultsPolicy
from consultations.services import Respondent
from tests.accounts.factories import UserFactory
from tests.consultations.factories import (
    all_kinds_create,
    code_create,
    consultation_create,
    coordinator_create,
    hub_create,
    options,
)
from tests.projects.factories import project_create, project_index_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.DUGNAD_PAGE_CACHE = False


@pytest.fixture
def hub():
    return hub_create(title="Ålesund", default_language="en")


def _url(hub, rest=""):
    return f"{hub.url}consultations/{rest}"


def _answers(questions, *, text="Flere benker"):
    return {
        questions["text"].field_name: text,
        questions["single"].field_name: str(options(questions["single"])[0]),
        questions["multiple"].field_name: [str(options(questions["multiple"])[1])],
        questions["rating"].field_name: "4",
        **{
            f"{questions['ranking'].field_name}_{option_id}": str(place)
            for place, option_id in enumerate(options(questions["ranking"]), start=1)
        },
    }


def test_the_list_shows_open_and_closed_but_not_unopened(client, hub):
    consultation_create(hub, title="Åpen sak")
    consultation_create(hub, title="Lukket sak", closed=True)
    consultation_create(hub, title="Senere sak", open_now=False)
    body = client.get(_url(hub)).content.decode()
    assert "Åpen sak" in body and "Lukket sak" in body and "Senere sak" not in body


def test_a_citizen_answers_sees_thanks_and_can_edit(client, hub):
    consultation = consultation_create(hub)
    questions = all_kinds_create(consultation)
    user = UserFactory(verified=True)
    client.force_login(user)
    response = client.post(_url(hub, f"{consultation.pk}/"), _answers(questions))
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    page = client.get(response["Location"]).content.decode()
    assert "Thank you" in page and "Save my changes" in page and "Flere benker" in page
    saved = Response.objects.get(user=user)
    ranking = saved.answers.get(question=questions["ranking"])
    assert ranking.option_ids == options(questions["ranking"])


def test_errors_keep_what_was_typed(client, hub):
    consultation = consultation_create(hub)
    questions = all_kinds_create(consultation)
    client.force_login(UserFactory(verified=True))
    posted = _answers(questions, text="Det jeg skrev")
    posted.pop(questions["single"].field_name)  # required
    posted[f"{questions['ranking'].field_name}_{options(questions['ranking'])[0]}"] = "2"  # a place twice
    response = client.post(_url(hub, f"{consultation.pk}/"), posted)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please answer this question." in body
    assert "Give every option its own place" in body
    assert "Det jeg skrev" in body
    assert not Response.objects.exists()


def test_anonymous_visitors_may_not_post_answers(client, hub):
    consultation = consultation_create(hub)
    all_kinds_create(consultation)
    page = client.get(_url(hub, f"{consultation.pk}/")).content.decode()
    assert "Log in to answer" in page and "We do not ask for your name" in page
    assert client.post(_url(hub, f"{consultation.pk}/"), {}).status_code == 403


def test_a_pupil_enters_a_code_and_an_age_band_and_answers_once_per_device(client, hub):
    consultation = consultation_create(hub, plain_language=True)
    questions = all_kinds_create(consultation)
    code = code_create(consultation, code="ABCD2345")
    wrong = client.post(_url(hub, "code/"), {"code": "WRONG234", "age_band": "13-15"})
    assert "We do not know this code" in wrong.content.decode()
    assert 'value="WRONG234"' in wrong.content.decode()
    response = client.post(_url(hub, "code/"), {"code": "abcd 2345", "age_band": "13-15"})
    assert response["Location"] == _url(hub, f"{consultation.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "consultation--plain" in page and "You answer with the code of 7B" in page
    client.post(_url(hub, f"{consultation.pk}/"), _answers(questions))
    client.post(_url(hub, f"{consultation.pk}/"), _answers(questions, text="Endret"))
    saved = Response.objects.get()
    assert saved.access_code == code and saved.age_band == "13-15" and saved.user is None
    assert saved.answers.get(question=questions["text"]).text == "Endret"


def test_code_entry_is_rate_limited(client, hub, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "consultation-code": (2, 2, 600)}
    for _attempt in range(2):
        assert client.post(_url(hub, "code/"), {"code": "GUESS234", "age_band": "13-15"}).status_code == 200
    refused = client.post(_url(hub, "code/"), {"code": "GUESS234", "age_band": "13-15"})
    assert refused.status_code == 429 and refused["Retry-After"]


def test_results_are_public_after_close_only_under_that_policy(client, hub):
    open_one = consultation_create(hub)
    closed = consultation_create(hub, closed=True)
    private = consultation_create(hub, closed=True, results_policy=ResultsPolicy.COORDINATORS)
    assert client.get(_url(hub, f"{open_one.pk}/results/")).status_code == 403
    assert client.get(_url(hub, f"{closed.pk}/results/")).status_code == 200
    assert client.get(_url(hub, f"{private.pk}/results/")).status_code == 403
    assert client.get(_url(hub, f"{private.pk}/results/csv/")).status_code == 403
    client.force_login(coordinator_create(hub))
    assert client.get(_url(hub, f"{private.pk}/results/")).status_code == 200


def _fill(consultation, questions, count):
    code = code_create(consultation, max_answers=1000)
    for n in range(count):
        services.response_submit(
            consultation=consultation,
            respondent=Respondent(code=code, session_key=f"s{n}", age_band="13-15" if n % 2 else "16-18"),
            answers={
                questions["text"].field_name: f"Svar {n}",
                questions["single"].field_name: str(options(questions["single"])[n % 2]),
                questions["rating"].field_name: str(1 + n % 5),
                questions["ranking"].field_name: [str(i) for i in options(questions["ranking"])],
            },
        )


def test_the_results_page_shows_charts_tables_age_bands_summary_and_only_approved_text(client, hub):
    consultation = consultation_create(hub)
    questions = all_kinds_create(consultation)
    _fill(consultation, questions, 4)
    approved = questions["text"].answers.order_by("pk").first()
    approved.moderation = Moderation.APPROVED
    approved.save()
    consultation.summary = "Vi hørte **mye** om parken."
    consultation.summary_published_at = consultation.opens_at
    consultation.closes_at = consultation.opens_at.replace(year=consultation.opens_at.year) + (
        consultation.closes_at - consultation.closes_at
    )
    from datetime import timedelta

    from django.utils import timezone

    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    body = client.get(_url(hub, f"{consultation.pk}/results/")).content.decode()
    assert "<strong>mye</strong>" in body
    assert "Svar 0" in body and "Svar 1" not in body
    assert 'role="img"' in body and "Borda points" in body
    assert "By age" in body and "13–15" in body
    rows = list(csv.reader(io.StringIO(client.get(_url(hub, f"{consultation.pk}/results/csv/")).content.decode())))
    assert rows[0] == ["question", "type", "option", "count", "mean_rank", "average"]
    assert not any("Svar" in cell for row in rows for cell in row)
    client.force_login(coordinator_create(hub))
    rows = list(csv.reader(io.StringIO(client.get(_url(hub, f"{consultation.pk}/results/csv/")).content.decode())))
    assert rows[0][:4] == ["response", "submitted", "via", "age_band"] and len(rows) == 5


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_and_results_cost_the_same_at_two_sizes(client, hub):
    small = consultation_create(hub, closed=True)
    small_q = all_kinds_create(small)
    from django.utils import timezone

    small.closes_at = timezone.now() + timezone.timedelta(days=1)
    small.save()
    _fill(small, small_q, 2)
    small.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    small.save()
    list_small = _queries(client, _url(hub))
    results_small = _queries(client, _url(hub, f"{small.pk}/results/"))

    big = consultation_create(hub)
    big_q = all_kinds_create(big)
    _fill(big, big_q, 12)
    big.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    big.save()
    for _n in range(5):
        consultation_create(hub, closed=True)
    assert _queries(client, _url(hub)) <= list_small
    assert _queries(client, _url(hub, f"{big.pk}/results/")) <= results_small


def test_a_project_page_lists_its_open_consultations(client, hub):
    project = project_create(project_index_create(hub))
    consultation_create(hub, project=project, title="Hva synes du om brygga?")
    consultation_create(hub, project=project, title="Gammel sak", closed=True)
    body = client.get(project.url).content.decode()
    assert "Hva synes du om brygga?" in body and "Gammel sak" not in body


def test_the_admin_is_scoped_to_the_coordinators_hubs(client, hub):
    other = hub_create(home=hub.get_parent().specific, title="Annen hub")
    mine = consultation_create(hub, title="Min sak")
    theirs = consultation_create(other, title="Deres sak")
    client.force_login(coordinator_create(hub))
    index = client.get("/admin/consultations/").content.decode()
    assert "Min sak" in index and "Deres sak" not in index
    assert client.get(f"/admin/consultations/{theirs.pk}/").status_code == 403
    assert client.get(f"/admin/consultations/{theirs.pk}/manage/").status_code == 403
    assert client.get(f"/admin/consultations/{mine.pk}/manage/").status_code == 200


def test_a_coordinator_builds_a_consultation_with_questions_in_the_admin(client, hub):
    client.force_login(coordinator_create(hub))
    data = {
        "hub": hub.pk,
        "title": "Ny park",
        "intro": "",
        "opens_at": "2026-01-01T10:00",
        "closes_at": "2026-02-01T10:00",
        "results_policy": "public",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-order": "1",
        "questions-0-kind": "single",
        "questions-0-text": "Hvor?",
        "questions-0-options_text": "Parken\nTorget",
        "questions-1-order": "",
        "questions-1-kind": "text",
        "questions-1-text": "",
        "questions-1-options_text": "",
    }
    response = client.post("/admin/consultations/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    from consultations.models import Consultation

    consultation = Consultation.objects.get(title="Ny park")
    assert [o.text for o in consultation.questions.get().options.all()] == ["Parken", "Torget"]
    data["closes_at"] = "2025-01-01T10:00"
    refused = client.post(f"/admin/consultations/{consultation.pk}/", data)
    assert refused.status_code == 400
    with translation.override(refused.wsgi_request.LANGUAGE_CODE):
        assert gettext("The consultation must close after it opens.") in refused.content.decode()


def test_a_coordinator_makes_and_voids_a_code_moderates_and_publishes_the_summary(client, hub):
    consultation = consultation_create(hub)
    questions = all_kinds_create(consultation)
    _fill(consultation, questions, 1)
    client.force_login(coordinator_create(hub))
    manage = f"/admin/consultations/{consultation.pk}/manage/"
    client.post(
        manage,
        {"action": "code", "code-label": "8A", "code-expires_at": "2099-01-01T10:00", "code-max_answers": "30"},
    )
    code = consultation.access_codes.get(label="8A")
    assert code.code in client.get(manage).content.decode()
    client.post(f"/admin/consultations/codes/{code.pk}/void/")
    code.refresh_from_db()
    assert code.is_voided
    answer = questions["text"].answers.get()
    client.post(f"/admin/consultations/answers/{answer.pk}/moderate/", {"decision": "approve"})
    answer.refresh_from_db()
    assert answer.moderation == Moderation.APPROVED
    client.post(manage, {"action": "publish_summary", "summary-summary": "Vi hørte deg."})
    consultation.refresh_from_db()
    assert consultation.summary_published and consultation.summary == "Vi hørte deg."
