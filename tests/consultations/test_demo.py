import io

import pytest

from consultations.demo import CLOSED_TITLE, OPEN_TITLE, YOUTH_TITLE, seed_demo_extend
from consultations.models import Consultation

pytestmark = pytest.mark.django_db


def test_the_demo_adds_three_consultations_prints_the_code_and_is_idempotent(hub):
    out = io.StringIO()
    seed_demo_extend(hub, out)
    seed_demo_extend(hub, io.StringIO())
    consultations = {c.title: c for c in Consultation.objects.filter(hub=hub)}
    assert set(consultations) == {OPEN_TITLE, YOUTH_TITLE, CLOSED_TITLE}
    youth = consultations[YOUTH_TITLE]
    assert youth.plain_language and youth.access_codes.get().code in out.getvalue()
    assert consultations[OPEN_TITLE].responses.count() == 8
    closed = consultations[CLOSED_TITLE]
    assert closed.is_closed() and closed.summary_published and closed.responses.count() == 12
    kinds = {q.kind for q in consultations[OPEN_TITLE].questions.all()}
    assert kinds == {"text", "single", "multiple", "rating", "ranking"}
