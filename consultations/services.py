"""Writes for consultations: building them, answering, access codes, moderation and the summary.

Every service checks permission (``consultations.permissions``), validates, writes in one
transaction and schedules its signal after the commit.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations import events, permissions
from consultations.models import (
    RATING_MAX,
    RATING_MIN,
    AccessCode,
    AgeBand,
    Answer,
    Consultation,
    Moderation,
    Option,
    Question,
    QuestionKind,
    Response,
)

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: easy to read aloud and to type from a blackboard.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


EDITABLE_FIELDS = (
    "hub",
    "project",
    "title",
    "intro",
    "opens_at",
    "closes_at",
    "results_policy",
    "plain_language",
)


def _deny(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Building ----------------------------------------------------------------------------------


def consultation_save(*, actor, consultation: Consultation) -> Consultation:
    """Create or update ``consultation`` (fields already set); announce it once it is open."""
    _deny(permissions.can_manage_consultations(actor, consultation.hub))
    if consultation.pk is None:
        consultation.created_by = actor if getattr(actor, "is_authenticated", False) else None
    consultation.full_clean()
    with transaction.atomic():
        if consultation.pk is None:
            consultation.save()
        else:  # never overwrite what other services keep (the announcement, the summary)
            consultation.save(update_fields=EDITABLE_FIELDS)
    logger.info("Consultation %s saved by %s", consultation.pk, getattr(actor, "pk", None))
    consultations_announce_opened(consultation_ids=[consultation.pk])
    return consultation


def question_save(*, actor, question: Question, options: list[str]) -> Question:
    """Save ``question`` and its options in order (options kept by position: their ids, and the
    answers that point at them, survive a change of wording)."""
    _deny(permissions.can_manage_consultations(actor, question.consultation.hub))
    options = [text.strip() for text in options if text.strip()]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING) and len(options) < 2:
        raise ValidationError({"options": _("Give at least two options, one a line.")})
    if question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
        options = []
    question.full_clean()
    with transaction.atomic():
        question.save()
        existing = list(question.options.all())
        for order, text in enumerate(options):
            if order < len(existing):
                option = existing[order]
                if option.text != text or option.order != order:
                    option.text, option.order = text, order
                    option.save(update_fields=["text", "order"])
            else:
                Option.objects.create(question=question, order=order, text=text)
        Option.objects.filter(pk__in=[o.pk for o in existing[len(options) :]]).delete()
    return question


def question_delete(*, actor, question: Question) -> None:
    _deny(permissions.can_manage_consultations(actor, question.consultation.hub))
    question.delete()


def consultations_announce_opened(*, consultation_ids=None, now=None) -> list[int]:
    """Tell followers about consultations that have opened and were not announced yet (called on
    save, and by ``manage.py announce_consultations`` for those that open later). Returns their ids."""
    now = now or timezone.now()
    due = Consultation.objects.filter(opened_announced_at=None, opens_at__lte=now, closes_at__gt=now)
    if consultation_ids is not None:
        due = due.filter(pk__in=consultation_ids)
    announced = []
    for consultation in due:
        with transaction.atomic():
            if Consultation.objects.filter(pk=consultation.pk, opened_announced_at=None).update(
                opened_announced_at=now
            ):
                announced.append(consultation.pk)
                transaction.on_commit(
                    lambda c=consultation: events.consultation_opened.send(sender=Consultation, consultation=c)
                )
    return announced


# --- Access codes -------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def code_create(*, actor, consultation: Consultation, label: str, expires_at, max_answers: int) -> AccessCode:
    _deny(permissions.can_manage_codes(actor, consultation))
    code = AccessCode(
        consultation=consultation, label=label, expires_at=expires_at, max_answers=max_answers, code=_new_code()
    )
    while AccessCode.objects.filter(code=code.code).exists():  # pragma: no cover - 1 in 10^11
        code.code = _new_code()
    code.full_clean()
    with transaction.atomic():
        code.save()
    logger.info("Access code %s for consultation %s made by %s", code.pk, consultation.pk, actor.pk)
    return code


def code_void(*, actor, code: AccessCode) -> AccessCode:
    """Stop ``code`` working; the answers given with it are kept but left out of the results."""
    _deny(permissions.can_manage_codes(actor, code.consultation))
    if code.voided_at is None:
        code.voided_at = timezone.now()
        code.save(update_fields=["voided_at"])
        logger.info("Access code %s voided by %s", code.pk, actor.pk)
    return code


def code_check(*, code_text: str, consultation: Consultation | None = None, now=None) -> AccessCode:
    """The access code typed in, if it may be used now; else a ValidationError saying why."""
    now = now or timezone.now()
    code = (
        AccessCode.objects.select_related("consultation", "consultation__hub")
        .filter(code=normalise_code(code_text))
        .first()
    )
    if code is None or (consultation is not None and code.consultation_id != consultation.pk):
        raise ValidationError({"code": _("We do not know this code. Check it and try again.")}, code="unknown")
    if code.is_voided or code.expires_at <= now:
        raise ValidationError({"code": _("This code no longer works. Ask your teacher.")}, code="expired")
    if not code.consultation.is_open(now):
        raise ValidationError({"code": _("This consultation is not open now.")}, code="closed")
    return code


# --- Answering ----------------------------------------------------------------------------------


def session_hash(session_key: str) -> str:
    return hashlib.sha256(f"consultation-session:{session_key}".encode()).hexdigest()


@dataclass
class Respondent:
    """Who answers: an account, or an access code on one device session (with an age band)."""

    user: object = None
    code: AccessCode | None = None
    session_key: str = ""
    age_band: str = ""


def response_for(consultation: Consultation, respondent: Respondent) -> Response | None:
    """The response this person (or this code on this device) has already given, if any."""
    if respondent.code is not None and respondent.session_key:
        return Response.objects.filter(
            consultation=consultation, access_code=respondent.code, session_hash=session_hash(respondent.session_key)
        ).first()
    user = respondent.user
    if user is not None and user.is_authenticated:
        return Response.objects.filter(consultation=consultation, user=user).first()
    return None


def _clean_answer(question: Question, raw, option_ids: set[int]) -> dict | None:
    """The answer's fields from what was posted (``raw``: a string or a list of strings), None when
    empty; raises ValidationError with the question's field name."""
    field = question.field_name
    kind = question.kind
    if kind == QuestionKind.TEXT:
        text = (raw or "").strip()
        if len(text) > 4000:
            raise ValidationError({field: _("Please keep it under 4000 characters.")})
        return {"text": text} if text else None
    if kind == QuestionKind.RATING:
        if raw in (None, ""):
            return None
        try:
            rating = int(raw)
        except (TypeError, ValueError):
            rating = None
        if rating is None or not RATING_MIN <= rating <= RATING_MAX:
            raise ValidationError({field: _("Choose a number from 1 to 5.")})
        return {"rating": rating}
    values = raw if isinstance(raw, list) else ([raw] if raw else [])
    values = [v for v in values if v not in ("", None)]
    invalid = (
        _("Give every option its own place, from first to last.")
        if kind == QuestionKind.RANKING
        else _("Choose one of the options.")
    )
    try:
        chosen = [int(v) for v in values]
    except (TypeError, ValueError):
        raise ValidationError({field: invalid}) from None
    if any(c not in option_ids for c in chosen):
        raise ValidationError({field: invalid})
    if not chosen:
        return None
    if kind == QuestionKind.SINGLE and len(chosen) != 1:
        raise ValidationError({field: _("Choose only one option.")})
    if kind == QuestionKind.MULTIPLE and len(set(chosen)) != len(chosen):
        raise ValidationError({field: _("Choose each option only once.")})
    if kind == QuestionKind.RANKING and sorted(chosen) != sorted(option_ids):
        raise ValidationError({field: _("Give every option its own place, from first to last.")})
    return {"option_ids": chosen}


def response_submit(*, consultation: Consultation, respondent: Respondent, answers: dict, now=None) -> Response:
    """Save (or replace) the answers of one person or one code on one device.

    ``answers`` maps a question's field name (``q<id>``) to what was posted. Checks the window, the
    code's validity and cap, the required questions and each answer against its question type;
    all errors at once, keyed by field name. Free text waits for moderation.
    """
    now = now or timezone.now()
    if respondent.code is not None:
        code = respondent.code
        if code.consultation_id != consultation.pk or code.is_voided or code.expires_at <= now:
            raise PermissionDenied
        if not respondent.session_key:
            raise PermissionDenied
        if respondent.age_band and respondent.age_band not in AgeBand.values:
            raise ValidationError({"age_band": _("Choose your age.")})
    elif not (respondent.user is not None and respondent.user.is_authenticated and respondent.user.is_active):
        raise PermissionDenied
    if not consultation.is_open(now):
        raise ValidationError(_("This consultation is not open for answers now."), code="closed")
    questions = list(consultation.questions.prefetch_related("options"))
    errors, cleaned = {}, {}
    for question in questions:
        try:
            value = _clean_answer(question, answers.get(question.field_name), {o.pk for o in question.options.all()})
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if value is None and question.required:
            errors[question.field_name] = [_("Please answer this question.")]
        elif value is not None:
            cleaned[question.pk] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = response_for(consultation, respondent)
        if existing is None:
            if respondent.code is not None:
                code = AccessCode.objects.select_for_update().get(pk=respondent.code.pk)
                if code.responses.count() >= code.max_answers:
                    raise ValidationError(
                        _("This code has been used as many times as it may be. Ask your teacher."), code="full"
                    )
            response = Response(
                consultation=consultation,
                user=respondent.user if respondent.code is None else None,
                access_code=respondent.code,
                session_hash=session_hash(respondent.session_key) if respondent.code is not None else "",
                age_band=respondent.age_band if respondent.code is not None else "",
            )
            response.full_clean()
            response.save()
        else:
            response = existing
            if respondent.code is not None and respondent.age_band:
                response.age_band = respondent.age_band
            response.save()
        previous = {a.question_id: a for a in response.answers.all()}
        keep = []
        for question in questions:
            value = cleaned.get(question.pk)
            if value is None:
                continue
            answer = previous.get(question.pk) or Answer(response=response, question=question)
            changed_text = question.kind == QuestionKind.TEXT and answer.text != value.get("text", "")
            answer.text = value.get("text", "")
            answer.rating = value.get("rating")
            answer.option_ids = value.get("option_ids", [])
            if question.kind == QuestionKind.TEXT and (answer.pk is None or changed_text):
                answer.moderation, answer.moderated_by = Moderation.PENDING, None
            answer.save()
            keep.append(answer.pk)
        response.answers.exclude(pk__in=keep).delete()
    return response


# --- Moderation and summary ---------------------------------------------------------------------


def answer_moderate(*, actor, answer: Answer, approve: bool) -> Answer:
    """Let a free-text answer into the public results, or keep it out."""
    consultation = answer.response.consultation
    _deny(permissions.can_moderate(actor, consultation))
    answer.moderation = Moderation.APPROVED if approve else Moderation.REJECTED
    answer.moderated_by = actor
    answer.save(update_fields=["moderation", "moderated_by"])
    logger.info("Answer %s %s by %s", answer.pk, answer.moderation, actor.pk)
    return answer


def summary_publish(*, actor, consultation: Consultation, summary: str, publish: bool = True) -> Consultation:
    """Save the summary; publishing it tells the hub's and project's followers, once ever."""
    _deny(permissions.can_write_summary(actor, consultation))
    summary = (summary or "").strip()
    if publish and not summary:
        raise ValidationError({"summary": _("Write the summary before publishing it.")})
    announce = publish and consultation.summary_announced_at is None
    consultation.summary = summary
    if publish and consultation.summary_published_at is None:
        consultation.summary_published_at = timezone.now()
    if not publish:
        consultation.summary_published_at = None
    if announce:
        consultation.summary_announced_at = consultation.summary_published_at
    with transaction.atomic():
        consultation.save(update_fields=["summary", "summary_published_at", "summary_announced_at"])
        if announce:
            transaction.on_commit(
                lambda: events.consultation_summary_published.send(sender=Consultation, consultation=consultation)
            )
    return consultation
