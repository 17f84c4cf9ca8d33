"""Factories for consultations tests: consultations with every question type, written with the ORM."""

import itertools
from datetime import timedelta

from django.utils import timezone

from consultations.models import AccessCode, Consultation, Option, Question, QuestionKind
from tests.partners.factories import coordinator_create, hub_create

__all__ = ["all_kinds_create", "code_create", "consultation_create", "coordinator_create", "hub_create"]

_sequence = itertools.count(1)


def consultation_create(hub, *, open_now=True, closed=False, **fields) -> Consultation:
    now = timezone.now()
    if closed:
        fields.setdefault("opens_at", now - timedelta(days=10))
        fields.setdefault("closes_at", now - timedelta(days=1))
    elif open_now:
        fields.setdefault("opens_at", now - timedelta(days=1))
        fields.setdefault("closes_at", now + timedelta(days=10))
    else:
        fields.setdefault("opens_at", now + timedelta(days=1))
        fields.setdefault("closes_at", now + timedelta(days=10))
    fields.setdefault("title", f"Innspill {next(_sequence)}")
    return Consultation.objects.create(hub=hub, **fields)


def question_create(consultation, kind, text, *, options=(), **fields) -> Question:
    order = consultation.questions.count() + 1
    question = Question.objects.create(consultation=consultation, kind=kind, text=text, order=order, **fields)
    Option.objects.bulk_create(Option(question=question, order=n, text=t) for n, t in enumerate(options))
    return question


def all_kinds_create(consultation) -> dict[str, Question]:
    """One question of every type: text, single, multiple, rating, ranking."""
    return {
        "text": question_create(consultation, QuestionKind.TEXT, "Hva vil du si?"),
        "single": question_create(
            consultation, QuestionKind.SINGLE, "Hvor?", options=("Parken", "Torget"), required=True
        ),
        "multiple": question_create(consultation, QuestionKind.MULTIPLE, "Hva?", options=("Benker", "Trær", "Lys")),
        "rating": question_create(
            consultation, QuestionKind.RATING, "Hvor viktig?", low_label="Lite", high_label="Svært"
        ),
        "ranking": question_create(consultation, QuestionKind.RANKING, "Ranger", options=("A", "B", "C")),
    }


def code_create(consultation, *, label="7B", max_answers=30, **fields) -> AccessCode:
    fields.setdefault("expires_at", timezone.now() + timedelta(days=5))
    fields.setdefault("code", f"CODE{next(_sequence):04d}")
    return AccessCode.objects.create(consultation=consultation, label=label, max_answers=max_answers, **fields)


def options(question) -> list[int]:
    return list(question.options.values_list("pk", flat=True))
