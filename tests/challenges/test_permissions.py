"""Who may do what with a challenge, as a matrix of roles × actions, through the predicates and
through the pages: a confidential submission is seen by its own organisation and the evaluators
without a conflict, by nobody else, on any path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from challenges import permissions as p
from challenges import services
from challenges.models import Challenge
from tests.accounts.factories import UserFactory
from tests.challenges.factories import close_deadline, scene_create, submit_a, submit_b

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "citizen",
    "supplier_a",
    "supplier_b",
    "evaluator",
    "conflicted_evaluator",
    "coordinator",
    "deciding_coordinator",
    "other_coordinator",
    "staff",
)


@pytest.fixture
def world(settings):
    settings.DUGNAD_PAGE_CACHE = False
    scene = scene_create()
    conflicted = UserFactory(verified=True)
    services.evaluator_assign(actor=scene.coordinator, challenge=scene.challenge, user=conflicted)
    question = services.question_ask(actor=scene.b_member, challenge=scene.challenge, text="Hemmelig spørsmål?")
    image = SimpleUploadedFile("skisse.png", _png(), content_type="image/png")
    a = submit_a(scene, attachments=[image])
    b = submit_b(scene)
    users = {
        "anonymous": None,
        "citizen": scene.citizen,
        "supplier_a": scene.a_member,
        "supplier_b": scene.b_member,
        "evaluator": scene.evaluator,
        "conflicted_evaluator": conflicted,
        "coordinator": scene.coordinator,
        "deciding_coordinator": scene.lead_evaluator,
        "other_coordinator": scene.other_coordinator,
        "staff": scene.staff,
    }
    return scene, users, question, a, b


def _png():
    from tests.accounts.images import picture_bytes

    return picture_bytes()


def _expect(allowed: set[str]) -> dict[str, bool]:
    return {role: role in allowed for role in ROLES}


def _close_and_declare(scene, users, a, b):
    close_deadline(scene)
    a.refresh_from_db()
    b.refresh_from_db()
    for submission in (a, b):
        services.declaration_make(actor=scene.evaluator, submission=submission, conflict=False)
        services.declaration_make(actor=scene.lead_evaluator, submission=submission, conflict=False)
    services.declaration_make(actor=users["conflicted_evaluator"], submission=a, conflict=True, note="Eier")
    services.declaration_make(actor=users["conflicted_evaluator"], submission=b, conflict=False)
    a = type(a).objects.select_related("challenge__hub").get(pk=a.pk)
    b = type(b).objects.select_related("challenge__hub").get(pk=b.pk)
    return a, b


def test_the_open_competition_matrix(world):
    scene, users, question, a, b = world
    challenge = scene.challenge
    verified = set(ROLES) - {"anonymous"}
    checks = {
        "view challenge": (lambda u: p.can_view_challenge(u, challenge), set(ROLES)),
        "ask question": (lambda u: p.can_ask_question(u, challenge), verified),
        "see unpublished question": (
            lambda u: p.can_view_question(u, question),
            {"supplier_b", "coordinator", "deciding_coordinator"},
        ),
        "publish answer": (lambda u: p.can_answer_question(u, challenge), {"coordinator", "deciding_coordinator"}),
        "submit": (lambda u: p.can_submit(u, challenge), verified),
        "view own submission (A's)": (
            lambda u: p.can_view_submission(u, a),
            {"supplier_a", "evaluator", "conflicted_evaluator", "deciding_coordinator"},
        ),
        "view other's submission (B's)": (
            lambda u: p.can_view_submission(u, b),
            {"supplier_b", "evaluator", "conflicted_evaluator", "deciding_coordinator"},
        ),
        "list submissions": (
            lambda u: p.can_list_submissions(u, challenge),
            {"evaluator", "conflicted_evaluator", "deciding_coordinator"},
        ),
        "count submissions": (
            lambda u: p.can_count_submissions(u, challenge),
            {"evaluator", "conflicted_evaluator", "coordinator", "deciding_coordinator"},
        ),
        "score (before the deadline)": (lambda u: p.can_score(u, a), set()),
        "decide award (before the deadline)": (lambda u: p.can_decide_award(u, challenge), set()),
        "see award (none yet)": (lambda u: p.can_see_award(u, challenge), set()),
    }
    for action, (predicate, allowed) in checks.items():
        got = {role: predicate(users[role]) for role in ROLES}
        assert got == _expect(allowed), action


def test_the_evaluation_matrix(world):
    scene, users, question, a, b = world
    a, b = _close_and_declare(scene, users, a, b)
    challenge = Challenge.objects.get(pk=scene.challenge.pk)
    evaluators = {"evaluator", "deciding_coordinator"}
    checks = {
        "submit (after the deadline)": (lambda u: p.can_submit(u, challenge), set()),
        "view A's submission": (lambda u: p.can_view_submission(u, a), {"supplier_a", *evaluators}),
        "view B's submission": (
            lambda u: p.can_view_submission(u, b),
            {"supplier_b", "conflicted_evaluator", *evaluators},
        ),
        "score A": (lambda u: p.can_score(u, a), evaluators),
        "score B": (lambda u: p.can_score(u, b), {"conflicted_evaluator", *evaluators}),
        "see scores": (lambda u: p.can_see_scores(u, challenge), {"conflicted_evaluator", *evaluators}),
        "decide award": (lambda u: p.can_decide_award(u, challenge), {"deciding_coordinator"}),
    }
    for action, (predicate, allowed) in checks.items():
        got = {role: predicate(users[role]) for role in ROLES}
        assert got == _expect(allowed), action
    services.award_decide(
        actor=scene.lead_evaluator, challenge=challenge, submission=a, reasons="Best.", summary="Sensorer."
    )
    challenge.refresh_from_db()
    got = {role: p.can_see_award(users[role], challenge) for role in ROLES}
    assert got == _expect(set(ROLES))


def _login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def test_submissions_are_confidential_on_every_page(client, world):
    scene, users, question, a, b = world
    a, b = _close_and_declare(scene, users, a, b)
    challenge = scene.challenge
    attachment = a.attachments.get()
    pages_of_a = [
        f"{challenge.url}submissions/{a.pk}/",
        f"{challenge.url}submissions/{a.pk}/attachments/{attachment.pk}/",
    ]
    may_see_a = {"supplier_a", "evaluator", "deciding_coordinator"}
    for role in ROLES:
        _login(client, users[role])
        detail = client.get(challenge.url)
        assert detail.status_code == 200, role
        html = detail.content.decode()
        assert "HEMMELIG-A" not in html and "HEMMELIG-B" not in html, role
        for n, url in enumerate(pages_of_a):
            response = client.get(url)
            expected = 302 if role == "anonymous" and n == 0 else (200 if role in may_see_a else 404)
            assert response.status_code == expected, (role, url, response.status_code)
        listing = client.get(f"{challenge.url}submissions/")
        if role == "anonymous":
            assert listing.status_code == 302
        elif role in {"evaluator", "conflicted_evaluator", "deciding_coordinator"}:
            assert listing.status_code == 200 and "Leverandør A AS" in listing.content.decode(), role
        elif role == "coordinator":
            text = listing.content.decode()
            assert listing.status_code == 200 and "2 solutions received" in text, role
            assert "Leverandør A AS" not in text and "Leverandør B AS" not in text and "HEMMELIG" not in text
        else:
            assert listing.status_code == 404, role


def test_unpublished_questions_show_only_to_the_asker_and_coordinators(client, world):
    scene, users, question, a, b = world
    for role in ROLES:
        _login(client, users[role])
        html = client.get(scene.challenge.url).content.decode()
        assert ("Hemmelig spørsmål?" in html) == (role in {"supplier_b", "coordinator", "deciding_coordinator"}), role


def test_only_coordinators_answer_and_a_citizen_cannot_post_scores_or_awards(client, world):
    scene, users, question, a, b = world
    url = f"{scene.challenge.url}questions/{question.pk}/answer/"
    for role in ("citizen", "supplier_b", "evaluator", "other_coordinator", "staff"):
        _login(client, users[role])
        assert client.post(url, {"answer": "Nei"}).status_code == 404, role
    question.refresh_from_db()
    assert not question.is_published
    _login(client, users["coordinator"])
    response = client.post(url, {"answer": "Tolv kryss."})
    assert response.status_code == 302
    a, b = _close_and_declare(scene, users, a, b)
    _login(client, users["citizen"])
    assert client.post(f"{scene.challenge.url}submissions/{a.pk}/", {"action": "score"}).status_code == 404
    assert client.post(f"{scene.challenge.url}submissions/", {"submission": a.pk}).status_code == 404
    _login(client, users["coordinator"])  # not an evaluator: may not decide
    response = client.post(f"{scene.challenge.url}submissions/", {"submission": a.pk, "reasons": "r", "summary": "s"})
    assert response.status_code == 403
    assert Challenge.objects.get(pk=scene.challenge.pk).awarded_submission_id is None


def test_a_late_submission_is_refused_with_a_clear_message(client, world):
    scene, users, question, a, b = world
    Challenge.objects.filter(pk=scene.challenge.pk).update(submission_deadline=timezone.now())
    _login(client, users["supplier_a"])
    response = client.get(f"{scene.challenge.url}submit/")
    assert response.status_code == 403
    assert "The deadline for solutions has passed" in response.content.decode()


EDITOR_ROLES = (*ROLES, "municipal_member")


def test_the_editor_matrix(client, world):
    """Describing a need: coordinators, and the owning municipality's people while it is a draft;
    publishing, evaluators and ideas for coordinators only; nobody else, on the predicates and pages."""
    from ideas import services as idea_services
    from tests.challenges.factories import challenge_create
    from tests.partners.factories import member_add

    scene, users, question, a, b = world
    users = {**users, "municipal_member": member_add(scene.municipality).user}
    draft = challenge_create(scene.hub, users["municipal_member"], owner_partner=scene.municipality)
    published = scene.challenge
    idea = idea_services.idea_create(actor=scene.citizen, hub=scene.hub, title="Idé", text="Tekst.")
    coordinators = {"coordinator", "deciding_coordinator"}
    drafters = {*coordinators, "municipal_member"}
    checks = {
        "create a challenge": (lambda u: p.can_create_challenge(u, scene.hub), {*drafters, "supplier_a"}),
        "name the municipality as owner": (lambda u: p.can_own_challenge(u, scene.hub, scene.municipality), drafters),
        "name no owner": (lambda u: p.can_own_challenge(u, scene.hub, None), coordinators),
        "view the draft": (lambda u: p.can_view_challenge(u, draft), drafters),
        "edit the draft": (lambda u: p.can_edit_challenge(u, draft), drafters),
        "send the draft for approval": (lambda u: p.can_submit_for_approval(u, draft), drafters),
        "publish the draft": (lambda u: p.can_publish_challenge(u, draft), coordinators),
        "documents of the draft": (lambda u: p.can_manage_documents(u, draft), drafters),
        "criteria of the draft": (lambda u: p.can_set_criteria(u, draft), drafters),
        "evaluators of the draft": (lambda u: p.can_assign_evaluators(u, draft), coordinators),
        "edit the published one": (lambda u: p.can_edit_challenge(u, published), coordinators),
        "documents of the published one": (lambda u: p.can_manage_documents(u, published), coordinators),
        "criteria of the published one": (lambda u: p.can_set_criteria(u, published), coordinators),
        "turn an idea into a challenge": (lambda u: p.can_turn_idea_into_challenge(u, idea), coordinators),
    }
    for action, (predicate, allowed) in checks.items():
        got = {role: predicate(users[role]) for role in EDITOR_ROLES}
        assert got == {role: role in allowed for role in EDITOR_ROLES}, action
    pages = {
        f"{scene.hub.url}challenges/new/": ({*drafters, "supplier_a"}, 403),
        f"{draft.url}edit/": (drafters, 404),
        f"{draft.url}documents/": (drafters, 404),
        f"{draft.url}approval/": (drafters, 404),
        f"{published.url}edit/": (coordinators, 404),
    }
    for role in EDITOR_ROLES:
        _login(client, users[role])
        for url, (allowed, refused) in pages.items():
            status = client.get(url).status_code
            expected = 302 if role == "anonymous" else (200 if role in allowed else refused)
            assert status == expected, (role, url, status)
        client.post(f"{draft.url}approval/", {"action": "publish"})
        published_now = Challenge.objects.filter(pk=draft.pk, publication="published").update(publication="draft")
        assert published_now == (role in coordinators), role
        client.post(f"{scene.hub.url}challenges/from-idea/{idea.pk}/", {"owner_unit": "Enhet"})
        made, _ = Challenge.objects.filter(source_idea=idea).delete()
        assert bool(made) == (role in coordinators), role
