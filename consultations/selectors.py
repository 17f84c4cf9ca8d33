"""Reads for consultations: a hub's list, one consultation with its questions, and the results.

Results are counted in Python from one query over the answers: the number of queries does not grow
with the number of questions, options or answers.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from consultations.models import (
    RATING_MAX,
    RATING_MIN,
    AgeBand,
    Answer,
    Consultation,
    Moderation,
    Option,
    Question,
    QuestionKind,
    Response,
)


def hub_consultations(hub, *, include_unopened: bool = False, now=None) -> QuerySet[Consultation]:
    now = now or timezone.now()
    consultations = Consultation.objects.filter(hub=hub).select_related("project")
    if not include_unopened:
        consultations = consultations.filter(opens_at__lte=now)
    return consultations.order_by("closes_at", "pk")


def consultation_in_hub(hub, pk: int) -> Consultation | None:
    return (
        Consultation.objects.filter(hub=hub, pk=pk)
        .select_related("hub", "project")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.prefetch_related("options")))
        .first()
    )


def project_open_consultations(project, now=None) -> list[Consultation]:
    now = now or timezone.now()
    return list(
        Consultation.objects.filter(project=project, opens_at__lte=now, closes_at__gt=now)
        .select_related("hub")
        .order_by("closes_at")
    )


def counted_responses(consultation) -> QuerySet[Response]:
    """The responses that count: none given with a voided access code."""
    return consultation.responses.filter(Q(access_code=None) | Q(access_code__voided_at=None))


def admin_consultations(hub_ids) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(hub_id__in=hub_ids)
        .select_related("hub", "project")
        .annotate(response_count=Count("responses", distinct=True))
        .annotate(
            pending_count=Count(
                "questions__answers", filter=Q(questions__answers__moderation=Moderation.PENDING), distinct=True
            )
        )
        .order_by("-opens_at", "-pk")
    )


def pending_answers(consultation) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(question__consultation=consultation, moderation=Moderation.PENDING)
        .select_related("question", "response")
        .order_by("pk")
    )


def code_usage(consultation) -> list:
    return list(consultation.access_codes.annotate(used=Count("responses")).order_by("-created_at", "-pk"))


# --- Results -------------------------------------------------------------------------------------


@dataclass
class OptionCount:
    option: Option
    count: int = 0
    percent: int = 0
    mean_rank: float | None = None
    borda: int = 0


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[OptionCount] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    hidden_texts: int = 0
    ratings: list[dict] = field(default_factory=list)
    average: float | None = None
    by_age: list[dict] = field(default_factory=list)


@dataclass
class Results:
    consultation: Consultation
    response_count: int
    questions: list[QuestionResult]
    age_bands: list[dict]


def _percent(count: int, total: int) -> int:
    return round(count * 100 / total) if total else 0


def _summarise(question: Question, answers: list[Answer], *, public: bool) -> QuestionResult:
    result = QuestionResult(question=question, answered=len(answers))
    options = list(question.options.all())
    if question.kind == QuestionKind.TEXT:
        for answer in answers:
            if answer.moderation == Moderation.APPROVED or (not public and answer.moderation == Moderation.PENDING):
                result.texts.append(answer.text)
            else:
                result.hidden_texts += 1
    elif question.kind == QuestionKind.RATING:
        counts = Counter(a.rating for a in answers if a.rating is not None)
        total = sum(counts.values())
        result.ratings = [
            {"value": v, "count": counts.get(v, 0), "percent": _percent(counts.get(v, 0), total)}
            for v in range(RATING_MIN, RATING_MAX + 1)
        ]
        result.average = round(sum(v * c for v, c in counts.items()) / total, 2) if total else None
    elif question.kind == QuestionKind.RANKING:
        places = defaultdict(list)
        for answer in answers:
            for place, option_id in enumerate(answer.option_ids, start=1):
                places[option_id].append(place)
        n = len(options)
        for option in options:
            ranks = places.get(option.pk, [])
            result.options.append(
                OptionCount(
                    option=option,
                    count=len(ranks),
                    mean_rank=round(sum(ranks) / len(ranks), 2) if ranks else None,
                    borda=sum(n - r for r in ranks),
                )
            )
        result.options.sort(key=lambda o: (-o.borda, o.option.order))
    else:
        counts = Counter(option_id for a in answers for option_id in a.option_ids)
        for option in options:
            count = counts.get(option.pk, 0)
            result.options.append(OptionCount(option=option, count=count, percent=_percent(count, len(answers))))
    return result


def _by_age(question: Question, answers: list[Answer], bands: list[tuple[str, str]]) -> list[dict]:
    """Per age band: the count of each option (choices), or the average rating."""
    rows = []
    for band, label in bands:
        in_band = [a for a in answers if a.response.age_band == band]
        if not in_band:
            continue
        if question.kind == QuestionKind.RATING:
            ratings = [a.rating for a in in_band if a.rating is not None]
            rows.append({"label": label, "answered": len(in_band), "average": round(sum(ratings) / len(ratings), 2)})
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = Counter(option_id for a in in_band for option_id in a.option_ids)
            rows.append(
                {
                    "label": label,
                    "answered": len(in_band),
                    "counts": [counts.get(o.pk, 0) for o in question.options.all()],
                }
            )
        elif question.kind == QuestionKind.RANKING:
            firsts = Counter(a.option_ids[0] for a in in_band if a.option_ids)
            rows.append(
                {
                    "label": label,
                    "answered": len(in_band),
                    "counts": [firsts.get(o.pk, 0) for o in question.options.all()],
                }
            )
    return rows


def consultation_results(consultation: Consultation, *, public: bool) -> Results:
    """Counts, averages, rankings and approved free text for every question (``public``: only
    approved free text; coordinators also see what waits for moderation). Responses given with a
    voided code are left out."""
    questions = list(consultation.questions.prefetch_related("options"))
    responses = counted_responses(consultation)
    answers = list(
        Answer.objects.filter(response__in=responses)
        .select_related("response")
        .only("question_id", "text", "rating", "option_ids", "moderation", "response__age_band")
    )
    by_question = defaultdict(list)
    for answer in answers:
        by_question[answer.question_id].append(answer)
    band_counts = Counter(r for r in responses.exclude(age_band="").values_list("age_band", flat=True))
    bands = [(band, label) for band, label in AgeBand.choices if band_counts.get(band)]
    results = []
    for question in questions:
        result = _summarise(question, by_question[question.pk], public=public)
        if bands:
            result.by_age = _by_age(question, by_question[question.pk], bands)
        results.append(result)
    return Results(
        consultation=consultation,
        response_count=responses.count(),
        questions=results,
        age_bands=[{"band": band, "label": label, "count": band_counts[band]} for band, label in bands],
    )


def responses_for_export(consultation: Consultation) -> tuple[list[Question], list[Response]]:
    questions = list(consultation.questions.prefetch_related("options"))
    responses = list(
        counted_responses(consultation)
        .select_related("access_code")
        .prefetch_related("answers")
        .order_by("created_at", "pk")
    )
    return questions, responses
