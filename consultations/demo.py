"""Fictional consultations for the demo hub, added by ``seed_demo`` (see its docstring for the hook).

Three consultations: one open with every question type and some answers, one for young people in
plain language with an access code (printed in the seed output), and one closed with public results
and a published summary. Answers are given through the services with access codes on made-up
device sessions (no accounts), so the results pages have something to show.

Idempotent: a consultation with the same title in the hub is left as it is.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from consultations import services
from consultations.models import AccessCode, Consultation, Option, Question, QuestionKind, ResultsPolicy
from consultations.services import Respondent

OPEN_TITLE = "Hvordan skal det nye torget brukes?"
YOUTH_TITLE = "Hva trenger ungdom i sentrum?"
CLOSED_TITLE = "Sykkelveier: hvor er det farligst?"

QUESTIONS = [
    (QuestionKind.SINGLE, "Hvor ofte er du på torget?", ["Hver dag", "Hver uke", "Sjeldnere"], {"required": True}),
    (QuestionKind.MULTIPLE, "Hva vil du ha på torget?", ["Benker", "Trær", "Lekeplass", "Scene"], {}),
    (
        QuestionKind.RATING,
        "Hvor trygt føles torget om kvelden?",
        [],
        {"low_label": "Ikke trygt", "high_label": "Veldig trygt"},
    ),
    (QuestionKind.RANKING, "Hva er viktigst?", ["Grønt", "Aktivitet", "Ro"], {}),
    (QuestionKind.TEXT, "Er det noe mer du vil si?", [], {}),
]
YOUTH_QUESTIONS = [
    (QuestionKind.SINGLE, "Har du et sted å være etter skolen?", ["Ja", "Nei", "Vet ikke"], {"required": True}),
    (QuestionKind.RATING, "Hvor gøy er sentrum?", [], {"low_label": "Kjedelig", "high_label": "Veldig gøy"}),
    (QuestionKind.TEXT, "Hva ønsker du deg?", [], {}),
]
SUMMARY = (
    "Vi fikk svar fra mange som sykler hver dag. De fleste pekte på krysset ved brua.\n\n"
    "- Vi lager en tryggere overgang ved brua i år.\n"
    "- Vi ser på belysning langs sjøen neste år."
)


def _consultation(hub, title, *, opens, closes, questions, **fields) -> tuple[Consultation, bool]:
    existing = Consultation.objects.filter(hub=hub, title=title).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        consultation = Consultation.objects.create(hub=hub, title=title, opens_at=opens, closes_at=closes, **fields)
        for order, (kind, text, options, extra) in enumerate(questions, start=1):
            question = Question.objects.create(consultation=consultation, kind=kind, text=text, order=order, **extra)
            Option.objects.bulk_create(Option(question=question, order=n, text=t) for n, t in enumerate(options))
    return consultation, True


def _answer(consultation, code, count: int, texts=()) -> None:
    questions = list(consultation.questions.prefetch_related("options"))
    bands = ["13-15", "16-18", "10-12", "19-25"]
    for n in range(count):
        answers = {}
        for question in questions:
            ids = [o.pk for o in question.options.all()]
            if question.kind == QuestionKind.SINGLE:
                answers[question.field_name] = str(ids[(n * 7) % len(ids)])
            elif question.kind == QuestionKind.MULTIPLE:
                answers[question.field_name] = [str(ids[n % len(ids)]), str(ids[(n + 1) % len(ids)])]
            elif question.kind == QuestionKind.RATING:
                answers[question.field_name] = str(1 + (n * 3) % 5)
            elif question.kind == QuestionKind.RANKING:
                answers[question.field_name] = [str(i) for i in ids[n % len(ids) :] + ids[: n % len(ids)]]
            elif texts:
                answers[question.field_name] = texts[n % len(texts)]
        services.response_submit(
            consultation=consultation,
            respondent=Respondent(code=code, session_key=f"demo-{code.pk}-{n}", age_band=bands[n % len(bands)]),
            answers=answers,
        )


def _code(consultation, label, expires) -> AccessCode:
    code = consultation.access_codes.filter(label=label).first()
    if code is None:
        code = AccessCode.objects.create(
            consultation=consultation, label=label, expires_at=expires, max_answers=40, code=services._new_code()
        )
    return code


def seed_demo_extend(hub, stdout) -> None:
    """Add the three demo consultations to ``hub`` and print the youth consultation's access code."""
    now = timezone.now()
    open_one, created = _consultation(
        hub,
        OPEN_TITLE,
        opens=now - timedelta(days=3),
        closes=now + timedelta(days=30),
        questions=QUESTIONS,
        intro="Kommunen bygger om torget neste år. Fortell oss hva du vil bruke det til.",
    )
    if created:
        _answer(open_one, _code(open_one, "Folkemøte på biblioteket", now + timedelta(days=30)), 8, ["Mer lys!"])
    youth, _created = _consultation(
        hub,
        YOUTH_TITLE,
        opens=now - timedelta(days=1),
        closes=now + timedelta(days=21),
        questions=YOUTH_QUESTIONS,
        plain_language=True,
        intro="Vi vil høre fra deg som er ung. Det tar fem minutter.",
    )
    youth_code = _code(youth, "7B Fjordvik ungdomsskole", now + timedelta(days=21))
    closed, created = _consultation(
        hub,
        CLOSED_TITLE,
        opens=now - timedelta(days=60),
        closes=now + timedelta(minutes=5),
        questions=QUESTIONS[:4],
        results_policy=ResultsPolicy.PUBLIC_AFTER_CLOSE,
    )
    if created:
        _answer(closed, _code(closed, "Sykkeldagen", now + timedelta(minutes=5)), 12)
        Consultation.objects.filter(pk=closed.pk).update(
            closes_at=now - timedelta(days=7),
            summary=SUMMARY,
            summary_published_at=now - timedelta(days=2),
            opened_announced_at=now - timedelta(days=60),
        )
    stdout.write(
        f"Consultations (fictional): 3 at {hub.url}consultations/; "
        f"access code for “{youth_code.label}”: {youth_code.code} (enter it at {hub.url}consultations/code/)"
    )
