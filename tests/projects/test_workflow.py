"""A proposal's way through the hub's moderation workflow, and what its proposer is told at each step."""

import pytest
from django.utils import translation
from wagtail.models import WorkflowState

from projects import services
from projects.selectors import (
    STATE_CHANGES_REQUESTED,
    STATE_PUBLISHED,
    STATE_WAITING,
    proposal_status,
)
from tests.projects.factories import proposal_fields, scene_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    scene = scene_create()
    scene.proposer.preferred_language = "en"
    scene.proposer.save()
    return scene


@pytest.fixture
def proposal(scene, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        page = services.project_propose(**proposal_fields(scene))
    return page


def _to(mailoutbox, user):
    """Our mails to ``user``; Wagtail also tells the coordinators, which is its business."""
    return [message for message in mailoutbox if message.to == [user.email]]


def _task(page):
    return page.current_workflow_state.current_task_state.task.specific


def _act(page, user, action, comment="", capture=None):
    task_state = page.current_workflow_state.current_task_state
    with capture(execute=True):
        task_state.task.specific.on_action(task_state.specific, user, action, comment=comment)


def test_proposing_mails_the_proposer_that_it_waits(scene, proposal, mailoutbox):
    [mail] = _to(mailoutbox, scene.proposer)
    assert "waiting for review" in mail.subject
    assert "Grønn havn" in mail.subject
    # Not live yet: the link goes to the proposal's own page, which the proposer may see.
    assert f"/projects/proposals/{proposal.pk}/" in mail.body
    assert proposal_status(proposal).state == STATE_WAITING


def test_only_this_hubs_coordinators_review(scene, proposal):
    task = _task(proposal)
    assert {group.pk for group in task.groups.all()} >= {scene.hub.coordinators_group_id}
    assert scene.other_hub.coordinators_group_id not in {group.pk for group in task.groups.all()}
    assert [name for name, _label, _form in task.get_actions(proposal, scene.coordinator)][0] == "reject"
    assert task.get_actions(proposal, scene.other_coordinator) == []
    assert task.user_can_access_editor(proposal, scene.coordinator)
    assert not task.user_can_access_editor(proposal, scene.other_coordinator)
    assert not task.user_can_access_editor(proposal, scene.proposer)


def test_approving_publishes_and_mails_the_proposer(scene, proposal, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    _act(proposal, scene.coordinator, "approve", comment="Flott!", capture=django_capture_on_commit_callbacks)
    proposal.refresh_from_db()
    assert proposal.live
    [mail] = _to(mailoutbox, scene.proposer)
    assert "approved and published" in mail.subject
    assert "Flott!" in mail.body
    status = proposal_status(proposal)
    assert (status.state, status.comment) == (STATE_PUBLISHED, "Flott!")


def test_requesting_changes_mails_the_comment_and_an_edit_resubmits(
    scene, proposal, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    _act(
        proposal,
        scene.coordinator,
        "reject",
        comment="Legg til sluttdato & budsjett <takk>",
        capture=django_capture_on_commit_callbacks,
    )
    proposal.refresh_from_db()
    assert not proposal.live
    assert proposal.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    [mail] = _to(mailoutbox, scene.proposer)
    assert "Changes requested" in mail.subject
    assert "Legg til sluttdato & budsjett <takk>" in mail.body, "plain text, not HTML-escaped"
    status = proposal_status(proposal)
    assert (status.state, status.comment) == (STATE_CHANGES_REQUESTED, "Legg til sluttdato & budsjett <takk>")

    mailoutbox.clear()
    fields = proposal_fields(scene, summary="Nå med sluttdato.")
    del fields["index"]
    with django_capture_on_commit_callbacks(execute=True):
        services.project_proposal_update(page=proposal, **fields)
    proposal.refresh_from_db()
    state = proposal.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.revision_id == proposal.latest_revision_id
    assert proposal_status(proposal).state == STATE_WAITING
    [mail] = _to(mailoutbox, scene.proposer)
    assert "Your changes" in mail.subject

    _act(proposal, scene.coordinator, "approve", capture=django_capture_on_commit_callbacks)
    proposal.refresh_from_db()
    assert proposal.live
    assert proposal.summary == "Nå med sluttdato."


def test_mail_goes_out_in_the_hubs_language_when_the_proposer_has_none(
    scene, mailoutbox, django_capture_on_commit_callbacks
):
    scene.proposer.preferred_language = ""
    scene.proposer.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.project_propose(**proposal_fields(scene))
    assert scene.hub.default_language == "nb"
    with translation.override("nb"):
        from django.utils.translation import gettext

        expected = gettext("Hello,")
    [mail] = _to(mailoutbox, scene.proposer)
    assert mail.body.startswith(expected)


def test_a_rolled_back_proposal_mails_nobody(scene, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.project_propose(**proposal_fields(scene))
        raise RuntimeError
    assert _to(mailoutbox, scene.proposer) == []
