"""The challenge services: deadlines enforced on the server, criteria locked, conflicts excluded,
the ranking, the append-only decision log and the award that becomes a project."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from challenges import selectors, services
from challenges.models import DecisionLogEntry, Phase, Publication
from tests.accounts.images import picture_bytes
from tests.challenges.factories import challenge_create, close_deadline, scene_create, submit_a, submit_b
from tests.partners.factories import member_add

pytestmark = pytest.mark.django_db


def test_a_partner_describes_a_need_and_a_coordinator_publishes_it():
    scene = scene_create()
    person = member_add(scene.municipality).user
    challenge = challenge_create(scene.hub, person, owner_partner=scene.municipality, notice_id="2026-123456")
    assert challenge.publication == Publication.DRAFT
    services.challenge_submit_for_approval(actor=person, challenge=challenge)
    with pytest.raises(PermissionDenied):
        services.challenge_publish(actor=person, challenge=challenge)
    services.challenge_publish(actor=scene.coordinator, challenge=challenge)
    assert challenge.is_published
    assert challenge.notice_url.endswith("/2026-123456")


def test_a_citizen_cannot_describe_a_need_and_a_bad_notice_id_is_refused():
    scene = scene_create()
    with pytest.raises(PermissionDenied):
        challenge_create(scene.hub, scene.citizen)
    with pytest.raises(ValidationError) as error:
        challenge_create(scene.hub, scene.coordinator, notice_id="abc")
    assert "notice_id" in error.value.message_dict


def test_phase_changes_are_logged_and_announced_after_commit(django_capture_on_commit_callbacks):
    from challenges import events

    scene = scene_create(phase=Phase.NEED)
    heard = []
    events.challenge_phase_changed.connect(lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.challenge_phase_set(actor=scene.coordinator, challenge=scene.challenge, phase=Phase.DIALOGUE)
    finally:
        events.challenge_phase_changed.disconnect(dispatch_uid="t")
    assert heard and heard[0]["previous_phase"] == Phase.NEED
    assert scene.challenge.phase_dates.filter(phase=Phase.DIALOGUE).exists()
    with pytest.raises(ValidationError):
        services.challenge_phase_set(actor=scene.coordinator, challenge=scene.challenge, phase=Phase.IN_USE)


def test_a_question_stays_private_until_published_with_its_answer():
    scene = scene_create(phase=Phase.DIALOGUE)
    question = services.question_ask(
        actor=scene.b_member, challenge=scene.challenge, text="Hvor mange kryss?", anonymous=True
    )
    assert list(selectors.visible_questions(scene.citizen, scene.challenge)) == []
    assert list(selectors.visible_questions(scene.b_member, scene.challenge)) == [question]
    assert list(selectors.visible_questions(scene.coordinator, scene.challenge)) == [question]
    with pytest.raises(PermissionDenied):
        services.question_publish(actor=scene.b_member, question=question, answer="Tolv")
    with pytest.raises(ValidationError):
        services.question_publish(actor=scene.coordinator, question=question, answer="")
    services.question_publish(actor=scene.coordinator, question=question, answer="Tolv")
    assert list(selectors.visible_questions(None, scene.challenge)) == [question]
    assert scene.challenge.follows.filter(user=scene.b_member).exists()


def test_a_late_submission_and_a_late_edit_are_refused():
    scene = scene_create()
    submission = submit_a(scene)
    close_deadline(scene)
    with pytest.raises(PermissionDenied, match="deadline"):
        submit_a(scene, description="Endret")
    with pytest.raises(PermissionDenied, match="deadline"):
        submit_b(scene)
    submission.refresh_from_db()
    assert "HEMMELIG-A" in submission.description


def test_a_submission_answers_every_requirement_and_another_organisation_cannot_overwrite_it():
    scene = scene_create()
    with pytest.raises(ValidationError) as error:
        services.submission_save(
            actor=scene.b_member,
            challenge=scene.challenge,
            organisation_number=scene.b_number,
            organisation_name="B",
            description="x",
            maturity="idea",
            price_indication="1",
            answers={},
        )
    assert "answers" in error.value.message_dict
    submit_a(scene)
    with pytest.raises(PermissionDenied):
        services.submission_save(
            actor=scene.b_member,
            challenge=scene.challenge,
            organisation_number=scene.supplier_a.organisation_number,
            organisation_name="Fake",
            description="overwrite",
            maturity="idea",
            price_indication="1",
            answers={r.pk: "x" for r in scene.challenge.requirements.all()},
        )


def test_a_colleague_edits_the_organisations_submission():
    scene = scene_create()
    submit_a(scene)
    services.submission_save(
        actor=scene.a_colleague,
        challenge=scene.challenge,
        partner=scene.supplier_a,
        organisation_number="",
        organisation_name="",
        description="Bedre",
        maturity="market_ready",
        price_indication="1",
        answers={r.pk: "x" for r in scene.challenge.requirements.all()},
    )
    assert scene.challenge.submissions.get().description == "Bedre"


def test_attachments_are_checked():
    scene = scene_create()
    fake_pdf = SimpleUploadedFile("tilbud.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not the kind of file"):
        submit_a(scene, attachments=[fake_pdf])
    script = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    with pytest.raises(ValidationError, match="only PDF"):
        submit_a(scene, attachments=[script])
    broken = SimpleUploadedFile("bilde.png", b"\x89PNG broken", content_type="image/png")
    with pytest.raises(ValidationError, match="not a readable image"):
        submit_a(scene, attachments=[broken])
    image = SimpleUploadedFile("bilde.png", picture_bytes(), content_type="image/png")
    pdf = SimpleUploadedFile("tilbud.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    submission = submit_a(scene, attachments=[image, pdf])
    assert submission.attachments.count() == 2


def test_criteria_are_locked_after_the_deadline():
    scene = scene_create()
    close_deadline(scene)
    with pytest.raises(ValidationError, match="locked"):
        services.criteria_set(actor=scene.coordinator, challenge=scene.challenge, criteria=[("Alt", 100)])
    assert [c.name for c in scene.challenge.criteria.all()] == ["Kvalitet", "Pris"]


def _score(scene, evaluator, submission, values):
    for criterion, value in zip(scene.challenge.criteria.all(), values, strict=True):
        services.score_set(
            actor=evaluator, submission=submission, criterion=criterion, value=value, justification="Fordi."
        )


def test_scoring_excludes_a_conflict_and_ranks_by_weighted_average():
    scene = scene_create()
    a, b = submit_a(scene), submit_b(scene)
    with pytest.raises(PermissionDenied):
        services.declaration_make(actor=scene.evaluator, submission=a, conflict=False)  # before the deadline
    close_deadline(scene)
    services.declaration_make(actor=scene.evaluator, submission=a, conflict=True, note="Min bror")
    services.declaration_make(actor=scene.evaluator, submission=b, conflict=False)
    services.declaration_make(actor=scene.lead_evaluator, submission=a, conflict=False)
    services.declaration_make(actor=scene.lead_evaluator, submission=b, conflict=False)
    with pytest.raises(PermissionDenied, match="conflict"):
        _score(scene, scene.evaluator, a, [10, 10])
    with pytest.raises(ValidationError):
        services.score_set(
            actor=scene.lead_evaluator,
            submission=a,
            criterion=scene.challenge.criteria.first(),
            value=5,
            justification=" ",
        )
    with pytest.raises(ValidationError):
        _score(scene, scene.lead_evaluator, a, [11, 5])
    _score(scene, scene.lead_evaluator, a, [8, 6])  # 0.6*8 + 0.4*6 = 7.2
    _score(scene, scene.lead_evaluator, b, [5, 5])  # 5
    _score(scene, scene.evaluator, b, [10, 10])  # 10 → b: 7.5
    ranking = selectors.submission_totals(scene.challenge)
    assert [(r.submission, str(r.total), r.evaluators) for r in ranking] == [(b, "7.50", 2), (a, "7.20", 1)]


def test_the_award_is_logged_becomes_a_project_and_cannot_be_repeated(django_capture_on_commit_callbacks):
    scene = scene_create()
    a, b = submit_a(scene), submit_b(scene)
    close_deadline(scene)
    with pytest.raises(PermissionDenied):
        services.award_decide(
            actor=scene.coordinator, challenge=scene.challenge, submission=a, reasons="r", summary="s"
        )
    with pytest.raises(ValidationError):
        services.award_decide(
            actor=scene.lead_evaluator, challenge=scene.challenge, submission=a, reasons="", summary=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.award_decide(
            actor=scene.lead_evaluator,
            challenge=scene.challenge,
            submission=a,
            reasons="Best på kvalitet.",
            summary="Sensorer i kryssene.",
        )
    assert challenge.phase == Phase.AWARDED
    assert challenge.project is not None and challenge.project.lead_partner == scene.supplier_a
    assert not challenge.project.live  # a proposal in the hub's review workflow
    entry = DecisionLogEntry.objects.get(challenge=challenge, action="awarded")
    assert entry.submission == a and entry.reasons == "Best på kvalitet."
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError, match="already"):
        services.award_decide(actor=scene.lead_evaluator, challenge=challenge, submission=b, reasons="r", summary="s")


def test_an_award_to_a_supplier_that_is_not_a_partner_registers_it_and_proposes_its_project(
    django_capture_on_commit_callbacks,
):
    from partners.models import Partner, PartnerRole, PartnershipEvent, PartnershipStatus

    scene = scene_create()
    submit_a(scene)
    b = submit_b(scene)
    close_deadline(scene)
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.award_decide(
            actor=scene.lead_evaluator, challenge=scene.challenge, submission=b, reasons="r", summary="s"
        )
    partner = Partner.objects.get(organisation_number=scene.b_number)
    assert partner.name == "Leverandør B AS"
    assert partner.members.get().user == scene.b_member and partner.members.get().role == PartnerRole.ADMINISTRATOR
    partnership = partner.partnerships.get(hub=scene.hub)
    assert partnership.status == PartnershipStatus.APPROVED and partnership.decided_by == scene.lead_evaluator
    assert PartnershipEvent.objects.filter(partnership=partnership, to_status=PartnershipStatus.APPROVED).exists()
    b.refresh_from_db()
    assert b.partner == partner
    assert challenge.project is not None and challenge.project.lead_partner == partner
    assert challenge.project.proposed_by == scene.b_member and not challenge.project.live


def test_an_award_approves_a_waiting_application_but_not_a_rejected_partner():
    from partners.models import PartnershipStatus
    from tests.partners.factories import partner_create, partnership_create

    scene = scene_create()
    waiting = partner_create(administrator=scene.b_member, organisation_number=scene.b_number)
    partnership_create(partner=waiting, hub=scene.hub, status=PartnershipStatus.APPLIED)
    b = submit_b(scene)
    close_deadline(scene)
    challenge = services.award_decide(
        actor=scene.lead_evaluator, challenge=scene.challenge, submission=b, reasons="r", summary="s"
    )
    assert waiting.partnerships.get(hub=scene.hub).status == PartnershipStatus.APPROVED
    assert challenge.project is not None and challenge.project.lead_partner == waiting

    other = scene_create()
    rejected = partner_create(administrator=other.b_member, organisation_number=other.b_number)
    partnership_create(partner=rejected, hub=other.hub, status=PartnershipStatus.REJECTED)
    b = submit_b(other)
    close_deadline(other)
    challenge = services.award_decide(
        actor=other.lead_evaluator, challenge=other.challenge, submission=b, reasons="r", summary="s"
    )
    assert challenge.project is None and challenge.awarded_submission == b
    assert rejected.partnerships.get(hub=other.hub).status == PartnershipStatus.REJECTED


def test_budget_range_must_make_sense():
    scene = scene_create()
    with pytest.raises(ValidationError):
        challenge_create(scene.hub, scene.coordinator, budget_min=100, budget_max=10)
    assert challenge_create(
        scene.hub, scene.coordinator, budget_min=10, submission_deadline=timezone.now() + timedelta(days=1)
    )
