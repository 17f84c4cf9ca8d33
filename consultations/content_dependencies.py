"""Which dependency keys (``cms.dependency``) writes to consultations replace: the hub's pages and
the page of the project a consultation is about."""

from cms import dependency
from cms.content_dependencies import hub_item_keys
from consultations.models import AccessCode, Answer, Consultation, Option, Question, Response


def _by_id(consultation_id) -> set[str]:
    consultation = Consultation.objects.filter(pk=consultation_id).only("pk", "hub_id", "project_id").first()
    return hub_item_keys(consultation) if consultation is not None else set()


dependency.register(Consultation, hub_item_keys)
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
