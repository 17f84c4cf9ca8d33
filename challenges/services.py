"""Every write to challenges goes through here: permission, validation, one transaction, a log line,
and the events (``challenges.events``) sent after the commit."""

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from challenges import events
from challenges.models import (
    PHASE_ORDER,
    Attachment,
    Challenge,
    ChallengeFollow,
    Criterion,
    DecisionAction,
    DecisionLogEntry,
    Declaration,
    Evaluator,
    Phase,
    PhaseDate,
    Publication,
    Question,
    Requirement,
    RequirementAnswer,
    Score,
    Submission,
)
from challenges.permissions import (
    can_answer_question,
    can_ask_question,
    can_decide_award,
    can_declare,
    can_edit_challenge,
    can_follow_challenge,
    can_manage_evaluation,
    can_publish_challenge,
    can_score,
    can_submit,
    has_conflict,
    is_coordinator,
    is_evaluator,
    is_submission_owner,
)
from cms.permissions import is_hub_coordinator
from cms.sanitise import active_content
from cms.slugs import slugify_no
from cms.validators import normalise_organisation_number
from partners.models import Partner, PartnerMember, PartnershipStatus

logger = logging.getLogger(__name__)

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_MAX = 5
IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "webp"}
DOCUMENT_SIGNATURES = {"pdf": (b"%PDF",), "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "odt": (b"PK\x03\x04",)}


def _require_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to do this."))


def _refuse_scripts(**texts: str) -> None:
    errors = {}
    for name, text in texts.items():
        found = active_content(text or "")
        if found:
            errors[name] = _("This text contains %(found)s. Scripts and event handlers are not allowed.") % {
                "found": ", ".join(found)
            }
    if errors:
        raise ValidationError(errors)


def _after_commit(signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=Challenge, **kwargs))


# --- The challenge -------------------------------------------------------------------------------


def _can_create(actor, hub, owner_partner: Partner | None) -> bool:
    if is_hub_coordinator(actor, hub):
        return True
    return (
        owner_partner is not None
        and PartnerMember.objects.filter(user=actor, partner=owner_partner).exists()
        and owner_partner.partnerships.filter(hub=hub, status=PartnershipStatus.APPROVED).exists()
    )


def _unique_slug(hub, title: str) -> str:
    base = slugify_no(title)[:70] or "challenge"
    slug, n = base, 2
    while Challenge.objects.filter(hub=hub, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def challenge_create(
    *,
    actor,
    hub,
    title: str,
    summary: str,
    need: str,
    owner_unit: str,
    owner_partner: Partner | None = None,
    why: str = "",
    primary_goal=None,
    indicators: Sequence = (),
    budget_min: int | None = None,
    budget_max: int | None = None,
    notice_id: str = "",
    submission_deadline: datetime | None = None,
    requirements: Sequence[str] = (),
    phase_dates: Mapping[str, date] | None = None,
) -> Challenge:
    """A draft challenge on ``hub`` by a coordinator or a person of the owning (approved) partner."""
    _require_user(actor)
    if not _can_create(actor, hub, owner_partner):
        raise PermissionDenied(_("Only the hub's coordinators and its partners' people can describe a need."))
    _refuse_scripts(title=title, summary=summary, need=need, why=why, owner_unit=owner_unit)
    stray = [i for i in indicators if i.hub_id != hub.pk]
    if stray:
        raise ValidationError({"indicators": _("Choose indicators of this hub only.")})
    challenge = Challenge(
        hub=hub,
        title=title,
        summary=summary,
        need=need,
        owner_unit=owner_unit,
        owner_partner=owner_partner,
        why=why,
        primary_goal=primary_goal,
        budget_min=budget_min,
        budget_max=budget_max,
        notice_id=(notice_id or "").strip(),
        submission_deadline=submission_deadline,
        created_by=actor,
    )
    challenge.slug = _unique_slug(hub, title)
    challenge.full_clean()
    with transaction.atomic():
        challenge.save()
        challenge.indicators.set(indicators)
        Requirement.objects.bulk_create(
            Requirement(challenge=challenge, text=text, sort_order=n) for n, text in enumerate(requirements) if text
        )
        for phase, starts_on in (phase_dates or {}).items():
            PhaseDate.objects.create(challenge=challenge, phase=phase, starts_on=starts_on)
    logger.info("Challenge %s created by %s", challenge.pk, actor.pk)
    return challenge


def challenge_submit_for_approval(*, actor, challenge: Challenge) -> Challenge:
    _require_user(actor)
    if not can_edit_challenge(actor, challenge) or challenge.is_published:
        raise PermissionDenied(_("You cannot submit this challenge."))
    challenge.publication = Publication.SUBMITTED
    challenge.save(update_fields=["publication"])
    return challenge


def challenge_publish(*, actor, challenge: Challenge) -> Challenge:
    """A coordinator approves and publishes the need."""
    _require_user(actor)
    if not can_publish_challenge(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators publish challenges."))
    challenge.publication = Publication.PUBLISHED
    challenge.save(update_fields=["publication"])
    logger.info("Challenge %s published by %s", challenge.pk, actor.pk)
    return challenge


def challenge_phase_set(*, actor, challenge: Challenge, phase: str) -> Challenge:
    """Move the challenge on (or back, to correct a mistake); followers are told."""
    _require_user(actor)
    if not is_coordinator(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators move a challenge on."))
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": _("Choose a phase.")})
    if phase == challenge.phase:
        return challenge
    if PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.AWARDED) and challenge.awarded_submission_id is None:
        raise ValidationError({"phase": _("Decide the award first.")})
    previous = challenge.phase
    with transaction.atomic():
        challenge.phase = phase
        challenge.save(update_fields=["phase"])
        PhaseDate.objects.update_or_create(
            challenge=challenge, phase=phase, defaults={"starts_on": timezone.localdate()}
        )
        DecisionLogEntry.objects.create(
            challenge=challenge,
            actor=actor,
            action=DecisionAction.PHASE,
            reasons=f"{previous} → {phase}",
            data={"from": previous, "to": phase},
        )
        if challenge.is_published:
            _after_commit(events.challenge_phase_changed, challenge=challenge, previous_phase=previous)
    logger.info("Challenge %s moved from %s to %s by %s", challenge.pk, previous, phase, actor.pk)
    return challenge


def challenge_follow(*, actor, challenge: Challenge) -> None:
    _require_user(actor)
    if not can_follow_challenge(actor, challenge):
        raise PermissionDenied(_("You cannot follow this challenge."))
    ChallengeFollow.objects.get_or_create(challenge=challenge, user=actor)


def challenge_unfollow(*, actor, challenge: Challenge) -> None:
    _require_user(actor)
    ChallengeFollow.objects.filter(challenge=challenge, user=actor).delete()


# --- Market dialogue ----------------------------------------------------------------------------


def question_ask(
    *, actor, challenge: Challenge, text: str, anonymous: bool = False, organisation_number: str = ""
) -> Question:
    """A question in the market dialogue, seen by the asker and the coordinators until published.
    The asker follows the challenge."""
    _require_user(actor)
    if not can_ask_question(actor, challenge):
        raise PermissionDenied(
            _("Questions can be asked by logged-in people with a verified e-mail address while the dialogue is open.")
        )
    text = (text or "").strip()
    _refuse_scripts(text=text)
    question = Question(
        challenge=challenge,
        asker=actor,
        text=text,
        anonymous=anonymous,
        organisation_number=normalise_organisation_number(organisation_number or ""),
    )
    question.full_clean()
    with transaction.atomic():
        question.save()
        ChallengeFollow.objects.get_or_create(challenge=challenge, user=actor)
    logger.info("Question %s asked on challenge %s", question.pk, challenge.pk)
    return question


def question_publish(*, actor, question: Question, answer: str, anonymise: bool | None = None) -> Question:
    """Publish a question with its answer: everyone following is told at once (equal treatment)."""
    _require_user(actor)
    challenge = question.challenge
    if not can_answer_question(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators answer questions."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    _refuse_scripts(answer=answer)
    first = question.published_at is None
    question.answer = answer
    if anonymise is not None:
        question.anonymous = question.anonymous or anonymise
    question.published_at = question.published_at or timezone.now()
    question.full_clean()
    with transaction.atomic():
        question.save()
        if first and challenge.is_published:
            _after_commit(events.question_published, question=question)
    logger.info("Question %s published by %s", question.pk, actor.pk)
    return question


# --- Submissions --------------------------------------------------------------------------------


def _check_attachment(upload) -> None:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "attachments": _("%(name)s is larger than %(max)s MB.")
                % {"name": name, "max": ATTACHMENT_MAX_BYTES // 2**20}
            }
        )
    if extension in IMAGE_TYPES:
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError({"attachments": _("%(name)s is not a readable image.") % {"name": name}}) from error
        finally:
            upload.seek(0)
        return
    signatures = DOCUMENT_SIGNATURES.get(extension)
    if signatures is None:
        raise ValidationError(
            {
                "attachments": _("%(name)s: only PDF, Word, Excel, OpenDocument and image files are accepted.")
                % {"name": name}
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(signatures):
        raise ValidationError({"attachments": _("%(name)s is not the kind of file its name says.") % {"name": name}})


def submission_save(
    *,
    actor,
    challenge: Challenge,
    organisation_number: str,
    organisation_name: str,
    description: str,
    maturity: str,
    price_indication: str,
    answers: Mapping[int, str],
    partner: Partner | None = None,
    attachments: Iterable = (),
) -> Submission:
    """Create or change the organisation's solution proposal, until the deadline (checked here,
    on the server: a late one is refused). One answer per functional requirement."""
    _require_user(actor)
    challenge = Challenge.objects.select_related("hub").get(pk=challenge.pk)
    if challenge.deadline_passed:
        raise PermissionDenied(_("The deadline for solutions has passed: nothing can be submitted or changed now."))
    if not can_submit(actor, challenge):
        raise PermissionDenied(_("Solutions can be submitted while the competition is open."))
    if partner is not None:
        if not PartnerMember.objects.filter(user=actor, partner=partner).exists():
            raise PermissionDenied(_("You do not act for this partner."))
        organisation_number = partner.organisation_number
        organisation_name = partner.name
    organisation_number = normalise_organisation_number(organisation_number or "")
    _refuse_scripts(description=description, price_indication=price_indication, organisation_name=organisation_name)
    existing = Submission.objects.filter(challenge=challenge, organisation_number=organisation_number).first()
    if existing is not None and not is_submission_owner(actor, existing):
        raise PermissionDenied(_("Another person has already submitted for this organisation number."))
    submission = existing or Submission(challenge=challenge, submitter=actor)
    submission.partner = partner or submission.partner
    submission.organisation_number = organisation_number
    submission.organisation_name = (organisation_name or "").strip()
    submission.description = (description or "").strip()
    submission.maturity = maturity
    submission.price_indication = (price_indication or "").strip()
    submission.updated_at = timezone.now()
    submission.full_clean(exclude=["challenge"], validate_unique=False)
    requirements = list(challenge.requirements.all())
    missing = [r.text for r in requirements if not (answers.get(r.pk) or "").strip()]
    if missing:
        raise ValidationError(
            {
                "answers": _("Say how the solution meets every requirement: %(missing)s")
                % {"missing": "; ".join(missing)}
            }
        )
    uploads = list(attachments)
    if len(uploads) + (submission.attachments.count() if submission.pk else 0) > ATTACHMENTS_MAX:
        raise ValidationError({"attachments": _("At most %(max)s attachments.") % {"max": ATTACHMENTS_MAX}})
    for upload in uploads:
        _check_attachment(upload)
    try:
        with transaction.atomic():
            submission.save()
            for requirement in requirements:
                RequirementAnswer.objects.update_or_create(
                    submission=submission, requirement=requirement, defaults={"text": answers[requirement.pk].strip()}
                )
            for upload in uploads:
                Attachment.objects.create(submission=submission, file=upload, name=upload.name[:200])
    except IntegrityError as error:
        raise ValidationError(_("This organisation has already submitted a solution.")) from error
    logger.info("Submission %s saved for challenge %s by %s", submission.pk, challenge.pk, actor.pk)
    return submission


# --- Evaluation ---------------------------------------------------------------------------------


def criteria_set(*, actor, challenge: Challenge, criteria: Sequence[tuple[str, int]]) -> list[Criterion]:
    """Replace the weighted criteria; refused once the deadline has passed (they are locked)."""
    _require_user(actor)
    if not can_manage_evaluation(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators set the criteria."))
    if challenge.deadline_passed:
        raise ValidationError(_("The criteria are locked: the deadline for solutions has passed."))
    rows = [Criterion(challenge=challenge, name=name.strip(), weight=weight) for name, weight in criteria]
    for row in rows:
        row.full_clean(exclude=["challenge"])
    with transaction.atomic():
        challenge.criteria.all().delete()
        Criterion.objects.bulk_create(rows)
    return list(challenge.criteria.all())


def evaluator_assign(*, actor, challenge: Challenge, user) -> Evaluator:
    _require_user(actor)
    if not can_manage_evaluation(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators assign evaluators."))
    evaluator, _created = Evaluator.objects.get_or_create(challenge=challenge, user=user)
    logger.info("Evaluator %s assigned to challenge %s by %s", user.pk, challenge.pk, actor.pk)
    return evaluator


def _current(submission: Submission) -> Submission:
    """The current row with its challenge, not what a caller holds (the deadline may have moved)."""
    return Submission.objects.select_related("challenge__hub").get(pk=submission.pk)


def declaration_make(*, actor, submission: Submission, conflict: bool, note: str = "") -> Declaration:
    """The evaluator's impartiality declaration for one submission: made once, not changed."""
    _require_user(actor)
    submission = _current(submission)
    if not can_declare(actor, submission):
        raise PermissionDenied(_("Only the challenge's evaluators declare, after the deadline."))
    if Declaration.objects.filter(submission=submission, evaluator=actor).exists():
        raise ValidationError(_("You have already declared for this solution."))
    declaration = Declaration(submission=submission, evaluator=actor, conflict=conflict, note=(note or "").strip())
    declaration.full_clean()
    declaration.save()
    return declaration


def score_set(*, actor, submission: Submission, criterion: Criterion, value: int, justification: str) -> Score:
    _require_user(actor)
    submission = _current(submission)
    if criterion.challenge_id != submission.challenge_id:
        raise ValidationError(_("That criterion belongs to another challenge."))
    if is_evaluator(actor, submission.challenge) and has_conflict(actor, submission):
        raise PermissionDenied(_("You declared a conflict of interest for this solution and cannot score it."))
    if not can_score(actor, submission):
        raise PermissionDenied(_("Declare your impartiality for this solution before scoring it."))
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError({"justification": _("Give a justification for the score.")})
    if value is None or not 0 <= int(value) <= 10:
        raise ValidationError({"value": _("Give a score from 0 to 10.")})
    score, _created = Score.objects.update_or_create(
        submission=submission,
        criterion=criterion,
        evaluator=actor,
        defaults={"value": int(value), "justification": justification},
    )
    return score


def _award_project(challenge: Challenge, submission: Submission):
    """The winner's project proposal (through the projects app), when the winner is an approved
    partner of the hub and the hub has a project index; else None (a coordinator can link it later)."""
    from projects.models import ProjectIndexPage, ProjectStatus
    from projects.services import ProposalFields, project_propose

    index = ProjectIndexPage.objects.child_of(challenge.hub).first()
    if index is None or submission.partner is None or submission.submitter is None or challenge.primary_goal is None:
        return None
    fields = ProposalFields(
        title=challenge.title[:255],
        summary=(challenge.award_summary or challenge.summary)[:400],
        primary_goal=challenge.primary_goal,
        status=ProjectStatus.PLANNED,
        lead_partner=submission.partner,
        indicators=list(challenge.indicators.all()),
        body_text=challenge.need,
    )
    try:
        with transaction.atomic():
            return project_propose(actor=submission.submitter, index=index.specific, fields=fields)
    except (PermissionDenied, ValidationError):
        logger.warning("Challenge %s: the award's project could not be proposed", challenge.pk, exc_info=True)
        return None


def award_decide(*, actor, challenge: Challenge, submission: Submission, reasons: str, summary: str) -> Challenge:
    """Award the challenge to ``submission``: logged with reasons (append-only), published on the
    page, the winner's project proposed, and the other submitters told their own scores."""
    _require_user(actor)
    challenge = Challenge.objects.select_related("hub", "primary_goal").get(pk=challenge.pk)
    if not can_decide_award(actor, challenge):
        raise PermissionDenied(
            _("The award is decided by a coordinator who is one of the evaluators, after the deadline.")
        )
    if submission.challenge_id != challenge.pk:
        raise ValidationError(_("That solution belongs to another challenge."))
    if challenge.awarded_submission_id is not None:
        raise ValidationError(_("This challenge has already been awarded."))
    reasons, summary = (reasons or "").strip(), (summary or "").strip()
    errors = {}
    if not reasons:
        errors["reasons"] = _("Give the reasons for the decision.")
    if not summary:
        errors["summary"] = _("Write a summary for the public page.")
    if errors:
        raise ValidationError(errors)
    _refuse_scripts(reasons=reasons, summary=summary)
    from challenges.selectors import submission_totals

    ranking = [
        {"submission": r.submission.pk, "total": str(r.total) if r.total is not None else None}
        for r in submission_totals(challenge)
    ]
    previous = challenge.phase
    with transaction.atomic():
        challenge.awarded_submission = submission
        challenge.award_summary = summary
        challenge.phase = Phase.AWARDED
        challenge.save(update_fields=["awarded_submission", "award_summary", "phase"])
        PhaseDate.objects.update_or_create(
            challenge=challenge, phase=Phase.AWARDED, defaults={"starts_on": timezone.localdate()}
        )
        DecisionLogEntry.objects.create(
            challenge=challenge,
            actor=actor,
            action=DecisionAction.AWARDED,
            submission=submission,
            reasons=reasons,
            data={"ranking": ranking},
        )
        project = _award_project(challenge, submission)
        if project is not None:
            challenge.project = project
            challenge.save(update_fields=["project"])
        _after_commit(events.challenge_awarded, challenge=challenge)
        _after_commit(events.challenge_phase_changed, challenge=challenge, previous_phase=previous)
    logger.info("Challenge %s awarded to submission %s by %s", challenge.pk, submission.pk, actor.pk)
    return challenge
