"""Who gets which e-mail, in which language, at each step of a review: one e-mail per event and person.

A proposal's proposer hears only from Dugnad (``projects.emails``), in their language; the hub's
coordinators hear from Dugnad's notifications ("waiting for you"), never also from Wagtail. Other
pages reviewed in the admin keep Wagtail's e-mails, in each recipient's language rather than
the language of whoever acted.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from notifications.models import EmailFrequency, EmailPreference, EventKind
from projects import services
from tests.cms.factories import standard_page_create
from tests.partners.factories import coordinator_create
from tests.projects.factories import proposal_fields, scene_create, user_create

pytestmark = pytest.mark.django_db

TITLE = "Grønn havn"


def _in(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return gettext(msgid) % values


def _sent(mailoutbox) -> list[tuple[str, str]]:
    """(recipient, subject) of every message sent since the last call, which empties the outbox."""
    sent = sorted((message.to[0], message.subject) for message in mailoutbox)
    assert all(len(message.to) == 1 for message in mailoutbox)
    mailoutbox.clear()
    return sent


def _act(page, user, action, capture, comment=""):
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    with capture(execute=True):
        task_state.task.specific.on_action(task_state.specific, user, action, comment=comment)


def test_each_step_of_a_proposal_mails_each_person_once_in_their_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    scene = scene_create()
    proposer, coordinator = scene.proposer, scene.coordinator
    proposer.preferred_language = "nn"
    proposer.save()
    coordinator.preferred_language = "en"
    coordinator.save()
    EmailPreference.objects.create(user=coordinator, kind=EventKind.WAITING, frequency=EmailFrequency.IMMEDIATELY)
    # Another coordinator keeps the default (at once too), and a superuser reviews anywhere.
    other = coordinator_create(scene.hub, preferred_language="nb")
    user_create(is_superuser=True, is_staff=True)
    waiting = (coordinator.email, _in("en", "The proposal “%(project)s” waits for your review", project=TITLE))
    other_waiting = (other.email, _in("nb", "The proposal “%(project)s” waits for your review", project=TITLE))

    # Everything happens while Bokmål is active: nobody gets it unless it is their language.
    with translation.override("nb"):
        with django_capture_on_commit_callbacks(execute=True):
            page = services.project_propose(**proposal_fields(scene, title=TITLE))
        assert _sent(mailoutbox) == sorted(
            [
                (proposer.email, _in("nn", "Your project proposal “%(title)s” is waiting for review", title=TITLE)),
                waiting,
                other_waiting,
            ]
        )

        _act(page, coordinator, "reject", django_capture_on_commit_callbacks, comment="Legg til budsjett")
        assert _sent(mailoutbox) == [
            (proposer.email, _in("nn", "Changes requested to your project proposal “%(title)s”", title=TITLE))
        ]

        fields = proposal_fields(scene, title=TITLE, summary="Med budsjett.")
        del fields["index"]
        page.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            services.project_proposal_update(page=page, **fields)
        assert _sent(mailoutbox) == sorted(
            [
                (proposer.email, _in("nn", "Your changes to “%(title)s” are waiting for review", title=TITLE)),
                waiting,
                other_waiting,
            ]
        )

        _act(page, coordinator, "approve", django_capture_on_commit_callbacks)
        assert _sent(mailoutbox) == [
            (proposer.email, _in("nn", "Your project “%(title)s” is approved and published", title=TITLE))
        ]
    page.refresh_from_db()
    assert page.live


def test_other_pages_keep_wagtails_emails_in_each_recipients_language(mailoutbox, django_capture_on_commit_callbacks):
    scene = scene_create()
    editor = scene.coordinator
    editor.preferred_language = "en"
    editor.save()
    reviewer = coordinator_create(scene.hub, preferred_language="en")
    superuser = user_create(is_superuser=True, is_staff=True, preferred_language="en")
    page = standard_page_create(parent=scene.hub, title="Om oss")

    with translation.override("nb"):
        page.get_workflow().start(page, editor)
        sent = _sent(mailoutbox)
        assert [to for to, _subject in sent] == sorted([reviewer.email, superuser.email]), "once each"
        for _to, subject in sent:
            assert subject.startswith('The page "Om oss" has been submitted for approval')
        _act(page, reviewer, "reject", django_capture_on_commit_callbacks, comment="Kortere")
        [message] = mailoutbox
        assert message.to == [editor.email]
        assert message.body.startswith("Hello")
        assert "has been rejected" in message.body
