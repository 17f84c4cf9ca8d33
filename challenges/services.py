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
from wagtail.documents import get_document_model

from accounts.names import public_name
from challenges import events
from challenges.models import (
    PHASE_ORDER,
    Attachment,
    Challenge,
    ChallengeDocument,
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
    can_assign_evaluators,
    can_create_challenge,
    can_decide_award,
    can_declare,
    can_edit_challenge,
    can_follow_challenge,
    can_manage_documents,
    can_own_challenge,
    can_publish_challenge,
    can_score,
    can_submit,
    can_submit_for_approval,
    can_turn_idea_into_challenge,
    has_conflict,
    is_coordinator,
    is_evaluator,
    is_submission_owner,
    may_set_criteria,
)
from cms.sanitise import active_content
from cms.services import hub_coordinators_group_ensure
from cms.slugs import slugify_no
from cms.validators import normalise_organisation_number
from partners.models import Partner, PartnerKind, PartnerMember, Partnership, PartnershipStatus
from partners.services import ImportedPartner, partner_create, partnership_decide, partnerships_import

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


# Addresses the editor takes below ``<hub>/challenges/``: no challenge may have them as its slug.
RESERVED_SLUGS = {"new", "from-idea"}


def _unique_slug(hub, title: str) -> str:
    base = slugify_no(title)[:70] or "challenge"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Challenge.objects.filter(hub=hub, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_fields(*, actor, hub, owner_partner, indicators, targets, phase_dates, texts: Mapping[str, str]) -> None:
    """What both creating and editing check before writing: the owner, the texts, the hub's indicators."""
    if not can_own_challenge(actor, hub, owner_partner):
        raise ValidationError(
            {"owner_partner": _("Choose an organisation you act for that is an approved partner of this hub.")}
        )
    _refuse_scripts(**texts)
    if any(i.hub_id != hub.pk for i in indicators):
        raise ValidationError({"indicators": _("Choose indicators of this hub only.")})
    if any(phase not in PHASE_ORDER for phase in (phase_dates or {})):
        raise ValidationError({"phase_dates": _("Choose a phase.")})


def _write_relations(challenge, *, indicators, targets, phase_dates) -> None:
    challenge.indicators.set(indicators)
    challenge.targets.set(targets)
    challenge.phase_dates.exclude(phase__in=list(phase_dates)).delete()
    for phase, starts_on in phase_dates.items():
        PhaseDate.objects.update_or_create(challenge=challenge, phase=phase, defaults={"starts_on": starts_on})


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
    targets: Sequence = (),
    indicators: Sequence = (),
    budget_min: int | None = None,
    budget_max: int | None = None,
    notice_id: str = "",
    submission_deadline: datetime | None = None,
    requirements: Sequence[str] = (),
    phase_dates: Mapping[str, date] | None = None,
    source_idea=None,
    criteria: Sequence[tuple[str, int]] | None = None,
    evaluators: Sequence | None = None,
) -> Challenge:
    """A draft challenge on ``hub`` by a coordinator or a person of the owning (approved) partner."""
    _require_user(actor)
    if not can_create_challenge(actor, hub):
        raise PermissionDenied(_("Only the hub's coordinators and its partners' people can describe a need."))
    phase_dates = {k: v for k, v in (phase_dates or {}).items() if v}
    _check_fields(
        actor=actor,
        hub=hub,
        owner_partner=owner_partner,
        indicators=indicators,
        targets=targets,
        phase_dates=phase_dates,
        texts={"title": title, "summary": summary, "need": need, "why": why, "owner_unit": owner_unit},
    )
    challenge = Challenge(
        hub=hub,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        need=need,
        owner_unit=(owner_unit or "").strip(),
        owner_partner=owner_partner,
        why=why,
        primary_goal=primary_goal,
        budget_min=budget_min,
        budget_max=budget_max,
        notice_id=(notice_id or "").strip(),
        submission_deadline=submission_deadline,
        created_by=actor,
        source_idea=source_idea,
    )
    challenge.slug = _unique_slug(hub, challenge.title)
    challenge.full_clean()
    with transaction.atomic():
        challenge.save()
        _write_relations(challenge, indicators=indicators, targets=targets, phase_dates=phase_dates)
        Requirement.objects.bulk_create(
            Requirement(challenge=challenge, text=text.strip(), sort_order=n)
            for n, text in enumerate(requirements)
            if text.strip()
        )
        _evaluation_set(actor, challenge, criteria=criteria, evaluators=evaluators)
    logger.info("Challenge %s created by %s", challenge.pk, actor.pk)
    return challenge


def _evaluation_set(actor, challenge: Challenge, *, criteria, evaluators) -> None:
    """Criteria and evaluators given with the challenge's fields (None: left as they are). Criteria
    that did not change are not written, so saving after the deadline is not refused for them."""
    if criteria is not None and [(n.strip(), w) for n, w in criteria] != [
        (c.name, c.weight) for c in challenge.criteria.all()
    ]:
        criteria_set(actor=actor, challenge=challenge, criteria=criteria)
    current = set(challenge.evaluators.values_list("user_id", flat=True)) if evaluators is not None else set()
    if evaluators is not None and {u.pk for u in evaluators} != current:
        evaluators_set(actor=actor, challenge=challenge, users=evaluators)


def _requirements_replace(challenge: Challenge, texts: Sequence[str]) -> None:
    """Keep the rows whose text stays (their answers with them), add new ones, drop the rest; once a
    solution has answered them, they are fixed (answers must not lose their question)."""
    texts = [t.strip() for t in texts if t.strip()]
    current = list(challenge.requirements.all())
    if [r.text for r in current] == texts:
        return
    if challenge.submissions.exists():
        raise ValidationError(
            {"requirements": _("Solutions have answered the requirements already: they can no longer be changed.")}
        )
    by_text = {r.text: r for r in current}
    keep = []
    for n, text in enumerate(texts):
        row = by_text.pop(text, None) or Requirement(challenge=challenge, text=text)
        row.sort_order = n
        row.full_clean(exclude=["challenge"])
        keep.append(row)
    Requirement.objects.filter(pk__in=[r.pk for r in by_text.values()]).delete()
    for row in keep:
        row.save()


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def challenge_update(
    *,
    actor,
    challenge: Challenge,
    title: str,
    summary: str,
    need: str,
    owner_unit: str,
    owner_partner: Partner | None = None,
    why: str = "",
    primary_goal=None,
    targets: Sequence = (),
    indicators: Sequence = (),
    budget_min: int | None = None,
    budget_max: int | None = None,
    notice_id: str = "",
    submission_deadline: datetime | None = None,
    requirements: Sequence[str] = (),
    phase_dates: Mapping[str, date] | None = None,
    criteria: Sequence[tuple[str, int]] | None = None,
    evaluators: Sequence | None = None,
) -> Challenge:
    """Change a challenge: coordinators always, the owner's people while it is not published. The
    deadline moves only until it has passed; the requirements only until a solution answers them."""
    _require_user(actor)
    challenge = Challenge.objects.select_related("hub").get(pk=challenge.pk)
    if not can_edit_challenge(actor, challenge):
        raise PermissionDenied(_("You cannot change this challenge."))
    hub = challenge.hub
    phase_dates = {k: v for k, v in (phase_dates or {}).items() if v}
    _check_fields(
        actor=actor,
        hub=hub,
        owner_partner=owner_partner,
        indicators=indicators,
        targets=targets,
        phase_dates=phase_dates,
        texts={"title": title, "summary": summary, "need": need, "why": why, "owner_unit": owner_unit},
    )
    current = challenge.submission_deadline
    if submission_deadline and current and _to_minute(submission_deadline) == _to_minute(current):
        submission_deadline = current  # a form shows minutes: the same minute is no change
    if submission_deadline != current:
        if challenge.deadline_passed:
            raise ValidationError({"submission_deadline": _("The deadline has passed: it can no longer be changed.")})
        if submission_deadline is not None and submission_deadline <= timezone.now():
            raise ValidationError({"submission_deadline": _("Choose a deadline in the future.")})
    for name, value in {
        "title": (title or "").strip(),
        "summary": (summary or "").strip(),
        "need": need,
        "owner_unit": (owner_unit or "").strip(),
        "owner_partner": owner_partner,
        "why": why,
        "primary_goal": primary_goal,
        "budget_min": budget_min,
        "budget_max": budget_max,
        "notice_id": (notice_id or "").strip(),
        "submission_deadline": submission_deadline,
    }.items():
        setattr(challenge, name, value)
    challenge.full_clean()
    with transaction.atomic():
        challenge.save()
        _write_relations(challenge, indicators=indicators, targets=targets, phase_dates=phase_dates)
        _requirements_replace(challenge, requirements)
        _evaluation_set(actor, challenge, criteria=criteria, evaluators=evaluators)
    logger.info("Challenge %s changed by %s", challenge.pk, actor.pk)
    return challenge


def challenge_submit_for_approval(*, actor, challenge: Challenge) -> Challenge:
    """The draft goes to the hub's coordinators, who approve and publish it."""
    _require_user(actor)
    if not can_submit_for_approval(actor, challenge):
        raise PermissionDenied(_("You cannot submit this challenge."))
    challenge.publication = Publication.SUBMITTED
    challenge.save(update_fields=["publication"])
    logger.info("Challenge %s submitted for approval by %s", challenge.pk, actor.pk)
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


# --- The editor: evaluators, documents, a challenge from an idea ---------------------------------


def evaluators_set(*, actor, challenge: Challenge, users: Sequence) -> list[Evaluator]:
    """Make ``users`` the challenge's evaluators. One who has declared or scored stays (the
    evaluation must keep who did it); removing them is refused with their names."""
    _require_user(actor)
    if not can_assign_evaluators(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators assign evaluators."))
    wanted = {user.pk: user for user in users}
    leaving = list(challenge.evaluators.exclude(user_id__in=list(wanted)).select_related("user"))
    busy = set(Declaration.objects.filter(submission__challenge=challenge).values_list("evaluator_id", flat=True))
    busy |= set(Score.objects.filter(submission__challenge=challenge).values_list("evaluator_id", flat=True))
    kept = [e.user.display_name for e in leaving if e.user_id in busy]
    if kept:
        raise ValidationError(
            {
                "evaluators": _("These evaluators have begun the evaluation and stay: %(names)s")
                % {"names": ", ".join(kept)}
            }
        )
    with transaction.atomic():
        Evaluator.objects.filter(pk__in=[e.pk for e in leaving]).delete()
        for user in wanted.values():
            Evaluator.objects.get_or_create(challenge=challenge, user=user)
    logger.info("Challenge %s: evaluators set by %s", challenge.pk, actor.pk)
    return list(challenge.evaluators.select_related("user"))


DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
}


def _check_document(upload) -> None:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {"file": _("%(name)s is larger than %(max)s MB.") % {"name": name, "max": DOCUMENT_MAX_BYTES // 2**20}}
        )
    signatures = DOCUMENT_TYPES.get(extension)
    if signatures is None:
        raise ValidationError(
            {"file": _("%(name)s: only PDF, Word, Excel, PowerPoint and OpenDocument text files are accepted.")
             % {"name": name}}
        )  # fmt: skip
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(signatures):
        raise ValidationError({"file": _("%(name)s is not the kind of file its name says.") % {"name": name}})


def _hub_collection(hub):
    if hub.collection_id is None:
        hub_coordinators_group_ensure(hub=hub)
    return hub.collection


def challenge_document_add(*, actor, challenge: Challenge, title: str, upload) -> ChallengeDocument:
    """Upload a public document into the hub's collection and show it last on the challenge."""
    _require_user(actor)
    if not can_manage_documents(actor, challenge):
        raise PermissionDenied(_("You cannot change this challenge's documents."))
    title = (title or "").strip() or (upload.name or "").rsplit(".", 1)[0]
    _refuse_scripts(title=title)
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    _check_document(upload)
    document = get_document_model()(title=title[:255], file=upload, uploaded_by_user=actor)
    with transaction.atomic():
        document.collection = _hub_collection(challenge.hub)
        document.full_clean()
        document._set_document_file_metadata()
        document.save()
        last = challenge.document_links.order_by("-sort_order").values_list("sort_order", flat=True).first()
        link = ChallengeDocument.objects.create(
            challenge=challenge, document=document, sort_order=0 if last is None else last + 1
        )
    logger.info("Challenge %s: document %s added by %s", challenge.pk, document.pk, actor.pk)
    return link


def challenge_document_remove(*, actor, challenge: Challenge, link: ChallengeDocument) -> None:
    """Take the document off the challenge, and delete it (and its file, at its public address)
    unless another challenge shows it too."""
    _require_user(actor)
    if not can_manage_documents(actor, challenge) or link.challenge_id != challenge.pk:
        raise PermissionDenied(_("You cannot change this challenge's documents."))
    with transaction.atomic():
        document = link.document
        link.delete()
        if not ChallengeDocument.objects.filter(document=document).exists():
            document.delete()
    logger.info("Challenge %s: document %s removed by %s", challenge.pk, link.document_id, actor.pk)


def challenge_document_move(*, actor, challenge: Challenge, link: ChallengeDocument, up: bool) -> None:
    """Swap the document with the one before (``up``) or after it."""
    _require_user(actor)
    if not can_manage_documents(actor, challenge) or link.challenge_id != challenge.pk:
        raise PermissionDenied(_("You cannot change this challenge's documents."))
    with transaction.atomic():
        links = list(challenge.document_links.select_for_update().order_by("sort_order", "pk"))
        at = next(n for n, one in enumerate(links) if one.pk == link.pk)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(links):
            return
        links[at], links[other] = links[other], links[at]
        for n, one in enumerate(links):
            if one.sort_order != n:
                one.sort_order = n
                one.save(update_fields=["sort_order"])


def challenge_from_idea(*, actor, idea, owner_unit: str, owner_partner: Partner | None = None) -> Challenge:
    """A coordinator turns an idea into a draft challenge (its text as the need, crediting the
    author); the challenge and the idea link to each other (``Challenge.source_idea``)."""
    _require_user(actor)
    if not can_turn_idea_into_challenge(actor, idea):
        raise PermissionDenied(_("You cannot turn this idea into a challenge."))
    credit = _("Based on the idea by %(name)s") % {"name": public_name(idea.author)}
    first = next((line.strip() for line in idea.text.splitlines() if line.strip()), idea.title)
    summary = first if len(first) <= 400 else first[:399].rstrip() + "…"
    goal = idea.goals.order_by("number").first()
    try:
        with transaction.atomic():
            return challenge_create(
                actor=actor,
                hub=idea.hub,
                title=idea.title,
                summary=summary,
                need=f"{idea.text}\n\n*{credit}.*",
                owner_unit=owner_unit,
                owner_partner=owner_partner,
                primary_goal=goal,
                source_idea=idea,
            )
    except IntegrityError as error:  # two coordinators at once: the one-to-one link decides
        raise ValidationError(_("A challenge has already been made from this idea.")) from error


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
    if not may_set_criteria(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators set the criteria."))
    if challenge.deadline_passed:
        raise ValidationError({"criteria": _("The criteria are locked: the deadline for solutions has passed.")})
    rows = [Criterion(challenge=challenge, name=name.strip(), weight=weight) for name, weight in criteria]
    for row in rows:
        row.full_clean(exclude=["challenge"])
    with transaction.atomic():
        challenge.criteria.all().delete()
        Criterion.objects.bulk_create(rows)
    return list(challenge.criteria.all())


def evaluator_assign(*, actor, challenge: Challenge, user) -> Evaluator:
    _require_user(actor)
    if not can_assign_evaluators(actor, challenge):
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


def _winner_partner(actor, challenge: Challenge, submission: Submission) -> Partner | None:
    """The winning organisation as an approved partner of the hub. One that is not yet is registered
    through the partners app: a new organisation with the submitter as its administrator, and a
    partnership approved by the deciding coordinator (an application waiting is approved). A
    partnership the coordinators rejected, suspended or ended stays so: None."""
    hub = challenge.hub
    partner = submission.partner
    if partner is None:
        partner = Partner.objects.filter(organisation_number=submission.organisation_number).first()
    if partner is None:
        if submission.submitter is None:
            return None
        partner = partner_create(
            actor=submission.submitter,
            name=submission.organisation_name,
            kind=PartnerKind.BUSINESS,
            organisation_number=submission.organisation_number,
        )
    reason = _("Awarded the challenge “%(title)s”.") % {"title": challenge.title}
    partnership = Partnership.objects.filter(partner=partner, hub=hub).first()
    if partnership is None:
        partnerships_import(actor=actor, hub=hub, partners=[ImportedPartner(partner=partner)], reason=reason)
    elif partnership.status == PartnershipStatus.APPLIED:
        partnership_decide(actor=actor, partnership=partnership, to_status=PartnershipStatus.APPROVED, reason=reason)
    elif partnership.status != PartnershipStatus.APPROVED:
        return None
    if submission.partner_id != partner.pk:
        submission.partner = partner
        submission.save(update_fields=["partner"])
    return partner


def _award_project(actor, challenge: Challenge, submission: Submission):
    """The winner's project proposal (through the projects app), made by the submitter for the
    winning organisation, registered as a partner of the hub first if it is not one
    (``_winner_partner``). None when that cannot be done (no project index, no goal, the submitter
    does not act for the organisation): a coordinator can link a project later."""
    from projects.models import ProjectIndexPage, ProjectStatus
    from projects.services import ProposalFields, project_propose

    index = ProjectIndexPage.objects.child_of(challenge.hub).first()
    if index is None or submission.submitter is None or challenge.primary_goal is None:
        return None
    try:
        with transaction.atomic():
            partner = _winner_partner(actor, challenge, submission)
            if partner is None:
                return None
            fields = ProposalFields(
                title=challenge.title[:255],
                summary=(challenge.award_summary or challenge.summary)[:400],
                primary_goal=challenge.primary_goal,
                status=ProjectStatus.PLANNED,
                lead_partner=partner,
                indicators=list(challenge.indicators.all()),
                body_text=challenge.need,
            )
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
        project = _award_project(actor, challenge, submission)
        if project is not None:
            challenge.project = project
            challenge.save(update_fields=["project"])
        _after_commit(events.challenge_awarded, challenge=challenge)
        _after_commit(events.challenge_phase_changed, challenge=challenge, previous_phase=previous)
    logger.info("Challenge %s awarded to submission %s by %s", challenge.pk, submission.pk, actor.pk)
    return challenge
