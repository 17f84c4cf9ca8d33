"""Services: building, answering (validation per question type, window, cap, void), moderation,
the summary and its signal, and the results they lead to."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultations import events, selectors, services
from consultations.models import AccessCode, Moderation, Question, QuestionKind, Response
from consultations.services import Respondent
from tests.accounts.factories import UserFactory
from tests.consultations.factories import all_kinds_create, code_create, consultation_create, options

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(hub):
    return consultation_create(hub)


@pytest.fixture
def questions(consultation):
    return all_kinds_create(consultation)


def _valid(questions) -> dict:
    return {
        questions["text"].field_name: "Flere benker",
        questions["single"].field_name: str(options(questions["single"])[0]),
        questions["multiple"].field_name: [str(i) for i in options(questions["multiple"])[:2]],
        questions["rating"].field_name: "4",
        questions["ranking"].field_name: [str(i) for i in reversed(options(questions["ranking"]))],
    }


def test_a_citizen_answers_and_edits_one_response(consultation, questions):
    user = UserFactory(verified=True)
    response = services.response_submit(
        consultation=consultation, respondent=Respondent(user=user), answers=_valid(questions)
    )
    assert response.answers.count() == 5
    text_answer = response.answers.get(question=questions["text"])
    assert text_answer.moderation == Moderation.PENDING
    again = _valid(questions)
    again[questions["rating"].field_name] = "2"
    services.response_submit(consultation=consultation, respondent=Respondent(user=user), answers=again)
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert response.answers.get(question=questions["rating"]).rating == 2


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("single", "999999", "Choose one of the options."),
        ("rating", "6", "Choose a number from 1 to 5."),
        ("rating", "abc", "Choose a number from 1 to 5."),
        ("ranking", "partial", "Give every option its own place, from first to last."),
        ("single", "", "Please answer this question."),
    ],
)
def test_invalid_answers_are_refused_with_the_question_named(consultation, questions, kind, value, message):
    answers = _valid(questions)
    if value == "partial":
        value = [str(options(questions["ranking"])[0])]
    answers[questions[kind].field_name] = value
    with pytest.raises(ValidationError) as caught:
        services.response_submit(
            consultation=consultation, respondent=Respondent(user=UserFactory(verified=True)), answers=answers
        )
    assert caught.value.message_dict[questions[kind].field_name] == [message]
    assert not Response.objects.exists()


def test_answers_outside_the_window_are_refused(hub):
    closed = consultation_create(hub, closed=True)
    later = consultation_create(hub, open_now=False)
    for consultation in (closed, later):
        with pytest.raises(ValidationError):
            services.response_submit(
                consultation=consultation, respondent=Respondent(user=UserFactory(verified=True)), answers={}
            )


def test_anonymous_without_code_may_not_answer(consultation, questions):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.response_submit(consultation=consultation, respondent=Respondent(user=AnonymousUser()), answers={})


def test_a_code_gives_one_answer_per_device_and_stops_at_its_cap(consultation, questions):
    code = code_create(consultation, max_answers=2)
    answers = _valid(questions)
    for session in ("s1", "s1", "s2"):
        services.response_submit(
            consultation=consultation,
            respondent=Respondent(code=code, session_key=session, age_band="13-15"),
            answers=answers,
        )
    assert code.responses.count() == 2
    response = code.responses.first()
    assert response.user is None and response.age_band == "13-15" and len(response.session_hash) == 64
    assert "s1" not in response.session_hash
    with pytest.raises(ValidationError) as caught:
        services.response_submit(
            consultation=consultation, respondent=Respondent(code=code, session_key="s3"), answers=answers
        )
    assert caught.value.code == "full"


def test_code_check_refuses_unknown_expired_and_voided_codes(consultation, coordinator):
    code = services.code_create(
        actor=coordinator,
        consultation=consultation,
        label="7B Ålesund ungdomsskole",
        expires_at=timezone.now() + timedelta(days=1),
        max_answers=30,
    )
    assert len(code.code) == 8 and set(code.code) <= set(services.CODE_ALPHABET)
    assert services.code_check(code_text=code.code.lower()[:4] + " " + code.code.lower()[4:]) == code
    with pytest.raises(ValidationError) as caught:
        services.code_check(code_text="NOPE2345")
    assert caught.value.message_dict["code"]
    AccessCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.code_check(code_text=code.code)
    AccessCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() + timedelta(days=1))
    services.code_void(actor=coordinator, code=code)
    with pytest.raises(ValidationError):
        services.code_check(code_text=code.code)


def test_answers_with_a_voided_code_are_kept_but_not_counted(consultation, questions, coordinator):
    code = code_create(consultation)
    services.response_submit(
        consultation=consultation, respondent=Respondent(code=code, session_key="a"), answers=_valid(questions)
    )
    assert selectors.consultation_results(consultation, public=True).response_count == 1
    services.code_void(actor=coordinator, code=code)
    assert Response.objects.count() == 1
    assert selectors.consultation_results(consultation, public=True).response_count == 0
    with pytest.raises(PermissionDenied):
        services.response_submit(
            consultation=consultation, respondent=Respondent(code=code, session_key="a"), answers=_valid(questions)
        )


def test_results_count_options_average_ratings_rank_by_borda_and_hide_unmoderated_text(
    consultation, questions, coordinator
):
    ranking = options(questions["ranking"])
    for n, rating in enumerate(("5", "3")):
        answers = _valid(questions)
        answers[questions["rating"].field_name] = rating
        answers[questions["text"].field_name] = f"Tekst {n}"
        answers[questions["ranking"].field_name] = [str(ranking[1]), str(ranking[0]), str(ranking[2])]
        services.response_submit(
            consultation=consultation, respondent=Respondent(user=UserFactory(verified=True)), answers=answers
        )
    first_text = questions["text"].answers.order_by("pk").first()
    services.answer_moderate(actor=coordinator, answer=first_text, approve=True)
    results = {r.question.kind: r for r in selectors.consultation_results(consultation, public=True).questions}
    assert results["text"].texts == ["Tekst 0"] and results["text"].hidden_texts == 1
    assert [o.count for o in results["single"].options] == [2, 0]
    assert [o.count for o in results["multiple"].options] == [2, 2, 0]
    assert results["rating"].average == 4.0
    assert [r["count"] for r in results["rating"].ratings] == [0, 0, 1, 0, 1]
    assert [o.option.pk for o in results["ranking"].options] == [ranking[1], ranking[0], ranking[2]]
    assert results["ranking"].options[0].mean_rank == 1.0
    coordinators_view = selectors.consultation_results(consultation, public=False)
    assert len(coordinators_view.questions[0].texts) == 2


def test_results_by_age_band(consultation, questions):
    code = code_create(consultation)
    for session, band, rating in (("a", "10-12", "5"), ("b", "10-12", "3"), ("c", "16-18", "1")):
        answers = _valid(questions)
        answers[questions["rating"].field_name] = rating
        services.response_submit(
            consultation=consultation,
            respondent=Respondent(code=code, session_key=session, age_band=band),
            answers=answers,
        )
    results = selectors.consultation_results(consultation, public=True)
    assert [(b["band"], b["count"]) for b in results.age_bands] == [("10-12", 2), ("16-18", 1)]
    rating = next(r for r in results.questions if r.question.kind == QuestionKind.RATING)
    assert [(row["label"], row["average"]) for row in rating.by_age] == [("10–12", 4.0), ("16–18", 1.0)]


def test_publishing_the_summary_sends_the_signal_once_after_commit_even_when_republished(
    consultation, coordinator, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, consultation, **kwargs):
        received.append(consultation.pk)

    events.consultation_summary_published.connect(listener)
    try:
        with pytest.raises(ValidationError):
            services.summary_publish(actor=coordinator, consultation=consultation, summary="  ")
        with django_capture_on_commit_callbacks(execute=True):
            services.summary_publish(actor=coordinator, consultation=consultation, summary="Vi hørte **mye**.")
        with django_capture_on_commit_callbacks(execute=True):
            services.summary_publish(actor=coordinator, consultation=consultation, summary="Vi hørte mer.")
        with django_capture_on_commit_callbacks(execute=True):
            services.summary_publish(actor=coordinator, consultation=consultation, summary="Utkast.", publish=False)
        assert not consultation.summary_published
        with django_capture_on_commit_callbacks(execute=True):
            services.summary_publish(actor=coordinator, consultation=consultation, summary="Vi hørte alt.")
    finally:
        events.consultation_summary_published.disconnect(listener)
    assert received == [consultation.pk]
    assert consultation.summary_published


def test_saving_an_open_consultation_announces_it_once(hub, coordinator, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, consultation, **kwargs):
        received.append(consultation.pk)

    events.consultation_opened.connect(listener)
    try:
        consultation = consultation_create(hub, open_now=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.consultation_save(actor=coordinator, consultation=consultation)
        assert received == []
        consultation.opens_at = timezone.now() - timedelta(minutes=1)
        with django_capture_on_commit_callbacks(execute=True):
            services.consultation_save(actor=coordinator, consultation=consultation)
            services.consultation_save(actor=coordinator, consultation=consultation)
    finally:
        events.consultation_opened.disconnect(listener)
    assert received == [consultation.pk]


def test_question_save_keeps_option_ids_and_checks_the_options(consultation, coordinator):
    question = Question(consultation=consultation, kind=QuestionKind.SINGLE, text="Hvor?")
    with pytest.raises(ValidationError):
        services.question_save(actor=coordinator, question=question, options=["Bare én"])
    services.question_save(actor=coordinator, question=question, options=["Parken", "Torget", "Kaia"])
    first = list(question.options.values_list("pk", flat=True))
    services.question_save(actor=coordinator, question=question, options=["Parken!", "Torget"])
    assert list(question.options.values_list("pk", "text")) == [(first[0], "Parken!"), (first[1], "Torget")]


def test_closing_must_come_after_opening(hub, coordinator):
    consultation = consultation_create(hub)
    consultation.closes_at = consultation.opens_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        services.consultation_save(actor=coordinator, consultation=consultation)
    assert "closes_at" in caught.value.message_dict
