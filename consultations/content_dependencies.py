"""Which dependency keys (``cms.dependency``) writes to consultations replace: the hub's pages and
the page of the project a consultation is about."""

from cms import dependency
from consultations.models import AccessCode, Answer, Consultation, Option, Question, Response


def consultation_keys(consultation: Consultation) -> set[str]:
    keys = {dependency.hub(consultation.hub_id)}
    if consultation.project_id is not None:
        keys.add(dependency.page(consultation.project_id))
    return keys


def _by_id(consultation_id) -> set[str]:
    consultation = Consultation.objects.filter(pk=consultation_id).only("pk", "hub_id", "project_id").first()
    return consultation_keys(consultation) if consultation is not None else set()


dependency.register(Consultation, consultation_keys)
dependency.register(Question, lambda question: _by_id(question.consultation_id))
dependency.register(
    Option,
    lambda option: _by_id(
        Question.objects.filter(pk=option.question_id).values_list("consultation_id", flat=True).first()
    ),
)
# Responses and published answers show in the consultation's results and counts.
dependency.register(Response, lambda response: _by_id(response.consultation_id))
dependency.register(
    Answer,
    lambda answer: _by_id(
        Response.objects.filter(pk=answer.response_id).values_list("consultation_id", flat=True).first()
    ),
)
dependency.never_public(AccessCode)
