"""The challenge editor through HTTP and its services: a municipal partner's people draft and send
for approval, coordinators publish; forms keep what was typed; documents in order with their size;
an idea becomes a draft challenge, linked both ways; the editor's lists cost the same at two sizes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model

from challenges import services
from challenges.models import Challenge, Phase, Publication
from ideas import services as idea_services
from tests.challenges.factories import challenge_create, close_deadline, scene_create, submit_a
from tests.partners.factories import member_add
from tests.projects.factories import goal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _no_page_cache(settings, tmp_path):
    settings.DUGNAD_PAGE_CACHE = False
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _form_data(**overrides) -> dict:
    data = {
        "title": "Mindre støy ved skolene",
        "summary": "Barn lærer dårligere i støy.",
        "need": "Trafikken **støyer** i skoletiden.",
        "owner_unit": "Oppvekst",
        "why": "Helse og læring.",
        "primary_goal": str(goal(3).pk),
        "budget_min": "100000",
        "budget_max": "400000",
        "notice_id": "2026-654321",
        "submission_deadline": (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "requirements": "Virker om vinteren\nKrever ikke strøm",
        "criteria": "Kvalitet: 70\nPris: 30",
        "phase_need": "2026-01-05",
        "phase_dialogue": "2026-02-01",
    }
    data.update(overrides)
    return data


def test_a_municipal_partner_drafts_sends_for_approval_and_a_coordinator_publishes(client):
    scene = scene_create()
    person = member_add(scene.municipality).user
    client.force_login(person)
    url = f"{scene.hub.url}challenges/new/"
    assert client.get(url).status_code == 200
    data = _form_data(owner_partner=str(scene.municipality.pk), notice_id="abc")
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mindre støy ved skolene" in html and "Virker om vinteren" in html  # nothing typed is lost
    assert "for example 2026-123456" in html
    assert 'name="evaluators"' not in html  # evaluators are the coordinators' choice
    response = client.post(url, _form_data(owner_partner=str(scene.municipality.pk)))
    assert response.status_code == 302
    challenge = Challenge.objects.get(title="Mindre støy ved skolene")
    assert response["Location"] == challenge.url
    assert challenge.publication == Publication.DRAFT and challenge.owner_partner == scene.municipality
    assert [r.text for r in challenge.requirements.all()] == ["Virker om vinteren", "Krever ikke strøm"]
    assert [(c.name, c.weight) for c in challenge.criteria.all()] == [("Kvalitet", 70), ("Pris", 30)]
    assert {d.phase: str(d.starts_on) for d in challenge.phase_dates.all()} == {
        "need": "2026-01-05",
        "dialogue": "2026-02-01",
    }
    assert client.get(challenge.url).status_code == 200
    assert client.get(f"{challenge.url}edit/").status_code == 200

    approval = f"{challenge.url}approval/"
    assert client.post(approval, {"action": "publish"}).status_code == 403
    assert client.post(approval, {"action": "submit"}).status_code == 302
    assert Challenge.objects.get(pk=challenge.pk).publication == Publication.SUBMITTED
    client.force_login(scene.coordinator)
    assert 'data-testid="challenge-drafts"' in client.get(f"{scene.hub.url}challenges/").content.decode()
    assert client.post(approval, {"action": "publish"}).status_code == 302
    assert Challenge.objects.get(pk=challenge.pk).is_published
    client.force_login(person)  # published: the partner's people no longer edit it
    assert client.get(f"{challenge.url}edit/").status_code == 404


def test_a_coordinator_edits_assigns_evaluators_and_the_preview_saves_nothing(client):
    scene = scene_create()
    client.force_login(scene.coordinator)
    url = f"{scene.challenge.url}edit/"
    html = client.get(url).content.decode()
    assert "Virker uten strøm" in html and 'name="evaluators"' in html
    data = _form_data(title="Nytt navn", evaluators=f"{scene.citizen.email}\nukjent@example.org")
    response = client.post(url, data)
    assert response.status_code == 400 and "ukjent@example.org" in response.content.decode()
    response = client.post(url, {**data, "preview": "need"})
    assert response.status_code == 200 and "<strong>støyer</strong>" in response.content.decode()
    assert Challenge.objects.get(pk=scene.challenge.pk).title != "Nytt navn"
    data["evaluators"] = f"{scene.citizen.email}\n{scene.lead_evaluator.email}"
    assert client.post(url, data).status_code == 302
    challenge = Challenge.objects.get(pk=scene.challenge.pk)
    assert challenge.title == "Nytt navn" and challenge.budget_max == 400000
    assert set(challenge.evaluators.values_list("user_id", flat=True)) == {scene.citizen.pk, scene.lead_evaluator.pk}
    assert challenge.slug == scene.challenge.slug  # the address stays


def test_the_editor_after_the_deadline_locks_criteria_deadline_and_answered_requirements(client):
    scene = scene_create()
    submit_a(scene)
    with pytest.raises(ValidationError) as error:
        services.challenge_update(
            actor=scene.coordinator,
            **_update_fields(scene.challenge, requirements=["Noe helt annet"]),
        )
    assert "requirements" in error.value.message_dict
    close_deadline(scene)
    with pytest.raises(ValidationError) as error:
        services.challenge_update(
            actor=scene.coordinator,
            **_update_fields(scene.challenge, submission_deadline=timezone.now() + timedelta(days=3)),
        )
    assert "submission_deadline" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.challenge_update(actor=scene.coordinator, **_update_fields(scene.challenge, criteria=[("Alt", 100)]))
    assert "criteria" in error.value.message_dict
    deadline = Challenge.objects.get(pk=scene.challenge.pk).submission_deadline
    services.challenge_update(  # the form's deadline has minutes only: the same minute is no change
        actor=scene.coordinator,
        **_update_fields(scene.challenge, title="Endret tittel", submission_deadline=deadline.replace(second=0)),
    )
    assert Challenge.objects.get(pk=scene.challenge.pk).submission_deadline == deadline
    client.force_login(scene.coordinator)
    html = client.get(f"{scene.challenge.url}edit/").content.decode()
    assert 'data-testid="criteria-locked"' in html and 'name="criteria"' not in html
    assert 'name="evaluators"' in html


def _update_fields(challenge, **overrides) -> dict:
    challenge = Challenge.objects.get(pk=challenge.pk)
    fields = {
        "challenge": challenge,
        "title": challenge.title,
        "summary": challenge.summary,
        "need": challenge.need,
        "owner_unit": challenge.owner_unit,
        "owner_partner": challenge.owner_partner,
        "primary_goal": challenge.primary_goal,
        "submission_deadline": challenge.submission_deadline,
        "requirements": [r.text for r in challenge.requirements.all()],
        "criteria": [(c.name, c.weight) for c in challenge.criteria.all()],
    }
    fields.update(overrides)
    return fields


def test_a_partner_cannot_name_another_partner_as_owner_nor_evaluators():
    scene = scene_create()
    person = member_add(scene.municipality).user
    with pytest.raises(ValidationError) as error:
        challenge_create(scene.hub, person, owner_partner=scene.supplier_a)
    assert "owner_partner" in error.value.message_dict
    draft = challenge_create(scene.hub, person, owner_partner=scene.municipality)
    with pytest.raises(PermissionDenied):
        services.evaluators_set(actor=person, challenge=draft, users=[person])
    services.criteria_set(actor=person, challenge=draft, criteria=[("Kvalitet", 100)])
    services.challenge_publish(actor=scene.coordinator, challenge=draft)
    with pytest.raises(PermissionDenied):
        services.criteria_set(actor=person, challenge=draft, criteria=[("Pris", 100)])


def test_an_evaluator_who_has_declared_stays():
    scene = scene_create()
    a = submit_a(scene)
    close_deadline(scene)
    services.declaration_make(actor=scene.evaluator, submission=a, conflict=False)
    with pytest.raises(ValidationError) as error:
        services.evaluators_set(actor=scene.coordinator, challenge=scene.challenge, users=[scene.lead_evaluator])
    assert "evaluators" in error.value.message_dict
    services.evaluators_set(actor=scene.coordinator, challenge=scene.challenge, users=[scene.evaluator])
    assert list(scene.challenge.evaluators.values_list("user_id", flat=True)) == [scene.evaluator.pk]


def test_documents_are_uploaded_in_order_shown_with_their_size_and_bad_files_refused(client):
    scene = scene_create()
    client.force_login(scene.coordinator)
    url = f"{scene.challenge.url}documents/"
    fake = SimpleUploadedFile("konkurransegrunnlag.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"action": "upload", "title": "Grunnlaget", "file": fake})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not the kind of file its name says" in html and 'value="Grunnlaget"' in html
    program = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"action": "upload", "title": "", "file": program})
    assert response.status_code == 400 and "only PDF, Word" in response.content.decode()
    for title in ("Behovsbeskrivelse", "Tidsplan"):
        upload = SimpleUploadedFile(f"{title}.pdf", PDF, content_type="application/pdf")
        assert client.post(url, {"action": "upload", "title": title, "file": upload}).status_code == 302
    links = list(scene.challenge.document_links.select_related("document"))
    assert [link.document.title for link in links] == ["Behovsbeskrivelse", "Tidsplan"]
    assert links[0].document.collection_id == scene.hub.collection_id
    assert client.post(url, {"action": "up", "link": "x"}).status_code == 404
    assert client.post(url, {"action": "up", "link": links[1].pk}).status_code == 302
    assert [link.document.title for link in scene.challenge.document_links.all().select_related("document")] == [
        "Tidsplan",
        "Behovsbeskrivelse",
    ]
    client.logout()
    page = client.get(scene.challenge.url).content.decode()
    assert page.index("Tidsplan") < page.index("Behovsbeskrivelse")
    assert f"(PDF, {len(PDF)}\xa0bytes)" in page  # type and size (filesizeformat)
    client.force_login(scene.coordinator)
    assert client.post(url, {"action": "remove", "link": links[1].pk}).status_code == 302
    assert not get_document_model().objects.filter(pk=links[1].document_id).exists()


def test_a_document_over_the_size_limit_is_refused(client, monkeypatch):
    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 10)
    scene = scene_create()
    client.force_login(scene.coordinator)
    upload = SimpleUploadedFile("stor.pdf", PDF, content_type="application/pdf")
    response = client.post(f"{scene.challenge.url}documents/", {"action": "upload", "title": "Stor", "file": upload})
    assert response.status_code == 400 and "is larger than" in response.content.decode()
    assert not scene.challenge.document_links.exists()


def test_a_coordinator_turns_an_idea_into_a_challenge_linked_both_ways(client):
    scene = scene_create()
    idea = idea_services.idea_create(
        actor=scene.citizen, hub=scene.hub, title="Lys langs skoleveien", text="Det er mørkt.\n\nMer tekst.",
        goals=[goal(11)],
    )  # fmt: skip
    idea_url = f"{scene.hub.url}ideas/{idea.pk}/"
    action = f"{scene.hub.url}challenges/from-idea/{idea.pk}/"
    client.force_login(scene.citizen)
    assert 'data-testid="idea-challenge-form"' not in client.get(idea_url).content.decode()
    assert client.post(action, {"owner_unit": "Samferdsel"}).status_code == 403
    client.force_login(scene.coordinator)
    assert 'data-testid="idea-challenge-form"' in client.get(idea_url).content.decode()
    response = client.post(action, {"owner_unit": ""})
    assert response.status_code == 400
    response = client.post(action, {"owner_unit": "Samferdsel"})
    challenge = Challenge.objects.get(source_idea=idea)
    assert response.status_code == 302 and response["Location"] == f"{challenge.url}edit/"
    assert challenge.publication == Publication.DRAFT and challenge.title == idea.title
    assert challenge.summary == "Det er mørkt." and challenge.primary_goal == goal(11)
    assert client.post(action, {"owner_unit": "Samferdsel"}).status_code == 403  # one challenge per idea
    client.logout()
    html = client.get(idea_url).content.decode()
    assert 'data-testid="idea-challenge"' in html and challenge.url not in html  # a draft is not linked
    services.challenge_publish(actor=scene.coordinator, challenge=challenge)
    assert challenge.url in client.get(idea_url).content.decode()
    assert idea_url in client.get(challenge.url).content.decode()


def test_writes_are_rate_limited_and_keep_what_was_typed(client, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "challenge-write": (1, 10, 3600)}
    scene = scene_create()
    client.force_login(scene.coordinator)
    url = f"{scene.hub.url}challenges/new/"
    assert client.post(url, _form_data()).status_code == 302
    response = client.post(url, _form_data(title="Enda en"))
    assert response.status_code == 429 and response["Retry-After"]
    assert "Enda en" in response.content.decode()


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_editor_pages_cost_the_same_at_two_sizes(client):
    scene = scene_create(phase=Phase.NEED)
    client.force_login(scene.coordinator)
    pages = [
        f"{scene.hub.url}challenges/",
        f"{scene.challenge.url}documents/",
        f"{scene.challenge.url}edit/",
        scene.challenge.url,
    ]

    def grow(n):
        for i in range(n):
            challenge_create(scene.hub, scene.coordinator)
            upload = SimpleUploadedFile(f"dok{i}.pdf", PDF, content_type="application/pdf")
            services.challenge_document_add(actor=scene.coordinator, challenge=scene.challenge, title="", upload=upload)

    grow(1)
    small = [_queries(client, url) for url in pages]
    grow(3)
    assert [_queries(client, url) for url in pages] == small
