"""A coordinator's digest lists what waits for them only while it still waits when the digest is built:
an application, a proposal and a reported comment decided in the meantime are not "waiting for you"."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from discussions import services as discussions
from notifications.digests import send_digests
from notifications.models import EmailFrequency, EventKind, Notification
from partners import services as partners
from partners.models import PartnershipStatus
from projects import services as projects
from tests.notifications.factories import citizen_create
from tests.notifications.mail_helpers import html_part, prefer
from tests.partners.factories import partner_create
from tests.projects.factories import proposal_fields

pytestmark = pytest.mark.django_db

WEEKLY = EmailFrequency.WEEKLY


def _three_waiting(scene, capture):
    """An application, a proposal and a report, each waiting for ``scene.coordinator`` (by the real services)."""
    administrator = citizen_create()
    partner = partner_create(administrator=administrator, name="Ny Søker AS")
    with capture(execute=True):
        partnership = partners.partnership_apply(actor=administrator, partner=partner, hub=scene.hub, accept_terms=True)
    with capture(execute=True):
        page = projects.project_propose(**proposal_fields(scene, title="Solcelletak"))
    comment = scene.thread.comments.filter(author=scene.alice).first()
    with capture(execute=True):
        discussions.comment_report(actor=scene.bob, comment=comment, reason="spam")
    # Only what waits: the coordinator has nothing else due.
    Notification.objects.exclude(kind=EventKind.WAITING).update(emailed_at=Notification.objects.first().created_at)
    assert Notification.objects.filter(recipient=scene.coordinator, kind=EventKind.WAITING).count() == 3
    return partnership, page, comment


def _waiting_texts():
    with translation.override("en"):
        return (
            gettext("The application from %(partner)s waits for your decision") % {"partner": "Ny Søker AS"},
            gettext("The proposal “%(project)s” waits for your review") % {"project": "Solcelletak"},
            gettext("A comment in “%(thread)s” was reported and waits for you") % {"thread": "Grønn havn"},
        )


@pytest.fixture
def coordinator(scene):
    scene.coordinator.preferred_language = "en"
    scene.coordinator.save()
    prefer(scene.coordinator, **{EventKind.WAITING: WEEKLY})
    return scene.coordinator


def test_what_still_waits_is_listed(scene, coordinator, django_capture_on_commit_callbacks):
    _three_waiting(scene, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    send_digests(WEEKLY)

    [digest] = [m for m in mail.outbox if m.to == [coordinator.email]]
    for text in _waiting_texts():
        assert text in digest.body
        assert text in html_part(digest)


def test_what_was_decided_before_the_digest_is_not_listed_as_waiting(
    scene, coordinator, django_capture_on_commit_callbacks
):
    partnership, page, comment = _three_waiting(scene, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        partners.partnership_decide(
            actor=coordinator, partnership=partnership, to_status=PartnershipStatus.APPROVED, reason=""
        )
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state.specific, coordinator, "approve", comment="")
    with django_capture_on_commit_callbacks(execute=True):
        discussions.reports_dismiss(actor=coordinator, comment=comment, reason="Ikke spam")
    mail.outbox.clear()

    run = send_digests(WEEKLY)

    assert [m for m in mail.outbox if m.to == [coordinator.email]] == [], "nothing waits: no digest at all"
    assert run.emails == 0
    # Never considered again: nothing about them is left due.
    assert not Notification.objects.filter(recipient=coordinator, kind=EventKind.WAITING, emailed_at__isnull=True)


def test_a_proposal_sent_back_to_its_proposer_no_longer_waits_but_one_resubmitted_does(
    scene, coordinator, django_capture_on_commit_callbacks
):
    _partnership, page, _comment = _three_waiting(scene, django_capture_on_commit_callbacks)
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state.specific, coordinator, "reject", comment="Mer")
    mail.outbox.clear()

    send_digests(WEEKLY)

    [digest] = [m for m in mail.outbox if m.to == [coordinator.email]]
    application, proposal, report = _waiting_texts()
    assert application in digest.body and report in digest.body
    assert proposal not in digest.body

    fields = proposal_fields(scene, title="Solcelletak", summary="Med mer.")
    del fields["index"]
    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        projects.project_proposal_update(page=page, **fields)
    mail.outbox.clear()

    send_digests(WEEKLY)

    [digest] = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert proposal in digest.body
