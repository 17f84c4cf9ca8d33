"""Each event, through the real services, becomes the right notifications for the right people.

The chain is the production one: the service commits and sends its domain event, the receiver
enqueues a task, the task (run at once by the test settings' backend) calls ``services.notify``.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discussions import services as discussions
from notifications.models import EventKind, Notification
from partners import services as partners
from partners.csv_import import import_reason, partners_import_csv
from partners.models import PartnershipStatus
from projects import services as projects
from projects.models import ProjectStatus
from tests.accounts.factories import UserFactory
from tests.discussions.factories import contribution_add
from tests.notifications.factories import citizen_create, follow_create, follower_create, kinds_by_recipient
from tests.partners.factories import (
    coordinator_create,
    member_add,
    partner_create,
    partnership_create,
)
from tests.projects.factories import approved_partner_create, goal, proposal_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_swallowed_errors")]


def _post(capture, **kwargs):
    with capture(execute=True):
        return discussions.comment_post(**kwargs)


# --- comment_posted -------------------------------------------------------------------------------


def test_a_comment_tells_the_threads_followers(scene, django_capture_on_commit_callbacks):
    thread_follower = follower_create(scene.thread)
    project_follower = follower_create(scene.project)
    only_updates = follower_create(scene.project)
    follow_create(only_updates, scene.thread, active=False)
    stranger = citizen_create()

    comment = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Hei alle")

    assert kinds_by_recipient(comment=comment) == {
        thread_follower.pk: [EventKind.COMMENT],
        project_follower.pk: [EventKind.COMMENT],
    }
    assert stranger.pk not in kinds_by_recipient()
    notification = Notification.objects.get(recipient=thread_follower)
    assert notification.actor == scene.alice
    assert (notification.thread, notification.project, notification.hub) == (scene.thread, scene.project, scene.hub)
    assert notification.url == f"{scene.project.url}#comment-{comment.pk}"


def test_a_reply_tells_the_author_answered_once_as_a_reply(scene, django_capture_on_commit_callbacks):
    follower = follower_create(scene.thread)
    first = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Spørsmål?")
    Notification.objects.all().delete()

    reply = _post(
        django_capture_on_commit_callbacks, actor=scene.bob, thread=scene.thread, body="Svar.", reply_to=first
    )

    # Alice follows the thread since she commented, but hears of the reply once, as a reply.
    assert kinds_by_recipient(comment=reply) == {scene.alice.pk: [EventKind.REPLY], follower.pk: [EventKind.COMMENT]}


def test_a_mention_wins_over_a_reply_and_a_comment(scene, django_capture_on_commit_callbacks):
    carol = follower_create(scene.thread, display_name="Carol Eik")
    _post(django_capture_on_commit_callbacks, actor=carol, thread=scene.thread, body="Jeg er her.")
    first = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Hva med havna?")
    Notification.objects.all().delete()

    reply = _post(
        django_capture_on_commit_callbacks,
        actor=scene.bob,
        thread=scene.thread,
        body="@Alice Berg og @Carol Eik: se her.",
        reply_to=first,
    )

    assert set(reply.mentions.values_list("pk", flat=True)) == {scene.alice.pk, carol.pk}
    assert kinds_by_recipient(comment=reply) == {scene.alice.pk: [EventKind.MENTION], carol.pk: [EventKind.MENTION]}


def test_a_forum_topic_comment_leads_to_the_topic_page(scene, django_capture_on_commit_callbacks):
    follower = follower_create(scene.topic)

    comment = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.topic, body="Sykkel!")

    notification = Notification.objects.get(recipient=follower)
    assert notification.kind == EventKind.COMMENT
    assert notification.project is None
    assert notification.url == f"{scene.forum.url}{scene.topic.pk}/#comment-{comment.pk}"


# --- progress_update_posted -----------------------------------------------------------------------


def test_a_progress_update_tells_the_projects_followers(scene, django_capture_on_commit_callbacks):
    follower = follower_create(scene.project)
    thread_only = follower_create(scene.thread)
    follow_create(scene.participant_member, scene.project)

    with django_capture_on_commit_callbacks(execute=True):
        update = projects.progress_update_create(
            actor=scene.participant_member,
            page=scene.project,
            partner=scene.participant,
            reported_on=date(2026, 3, 1),
            text="<p>Vi har startet.</p>",
        )

    assert kinds_by_recipient() == {follower.pk: [EventKind.PROJECT_UPDATE]}, "not the author, not thread followers"
    notification = Notification.objects.get()
    assert (notification.project, notification.actor, notification.data) == (
        scene.project,
        scene.participant_member,
        {"update_id": update.pk},
    )
    assert notification.url == scene.project.url
    assert thread_only.pk not in kinds_by_recipient()


# --- project_published ----------------------------------------------------------------------------


def _approve(page, coordinator, capture, comment=""):
    task_state = page.current_workflow_state.current_task_state
    with capture(execute=True):
        task_state.task.specific.on_action(task_state.specific, coordinator, "approve", comment=comment)
    page.refresh_from_db()


def _propose(scene, capture, **overrides):
    with capture(execute=True):
        return projects.project_propose(**proposal_fields(scene, **overrides))


def test_a_first_publication_tells_followers_of_its_goals_hub_and_partners(scene, django_capture_on_commit_callbacks):
    primary_goal_follower = follower_create(goal(13))
    further_goal_follower = follower_create(goal(7))
    other_goal_follower = follower_create(goal(3))
    hub_follower = follower_create(scene.hub)
    other_hub_follower = follower_create(scene.other_hub)
    partner_follower = follower_create(scene.participant)
    follow_create(scene.proposer, scene.hub)
    page = _propose(scene, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind=EventKind.NEW_PROJECT).exists(), "not while it is a draft"

    _approve(page, scene.coordinator, django_capture_on_commit_callbacks)

    assert page.live
    new_project = kinds_by_recipient(kind=EventKind.NEW_PROJECT)
    assert set(new_project) == {
        primary_goal_follower.pk,
        further_goal_follower.pk,
        hub_follower.pk,
        partner_follower.pk,
    }
    assert other_goal_follower.pk not in new_project and other_hub_follower.pk not in new_project
    # The proposer follows the hub, but hears of their own project as a decision.
    assert kinds_by_recipient(recipient=scene.proposer, project=page) == {scene.proposer.pk: [EventKind.DECISION]}
    notification = Notification.objects.get(recipient=hub_follower)
    assert (notification.project_id, notification.actor, notification.url) == (page.pk, scene.coordinator, page.url)


def test_a_later_publication_with_a_new_status_tells_the_projects_followers(scene, django_capture_on_commit_callbacks):
    follower = follower_create(scene.project)
    hub_follower = follower_create(scene.hub)
    page = scene.project
    assert page.status == ProjectStatus.ACTIVE

    page.title = "Grønn havn (ny tittel)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=scene.coordinator).publish(user=scene.coordinator)
    assert not Notification.objects.exists(), "the same status: nothing to tell"

    page.status = ProjectStatus.COMPLETED
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=scene.coordinator).publish(user=scene.coordinator)

    assert kinds_by_recipient() == {follower.pk: [EventKind.PROJECT_STATUS]}
    notification = Notification.objects.get()
    assert notification.data == {"status": "completed", "previous_status": "active"}
    assert notification.actor == scene.coordinator
    assert hub_follower.pk not in kinds_by_recipient()


def test_the_previous_status_comes_from_the_previously_published_revision(scene, django_capture_on_commit_callbacks):
    """A draft saved in between (never published) does not count as the previous status."""
    follower = follower_create(scene.project)
    page = scene.project
    page.status = ProjectStatus.PAUSED
    page.save_revision(user=scene.coordinator)  # a draft, not published
    page.status = ProjectStatus.STOPPED
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=scene.coordinator).publish(user=scene.coordinator)

    notification = Notification.objects.get(recipient=follower)
    assert notification.data == {"status": "stopped", "previous_status": "active"}


# --- proposal_step --------------------------------------------------------------------------------


def test_a_submitted_proposal_waits_for_the_hubs_coordinators(scene, django_capture_on_commit_callbacks):
    second_coordinator = coordinator_create(scene.hub)
    site_admin = UserFactory(verified=True, superuser=True)

    page = _propose(scene, django_capture_on_commit_callbacks)

    waiting = kinds_by_recipient(kind=EventKind.WAITING)
    assert waiting == {scene.coordinator.pk: [EventKind.WAITING], second_coordinator.pk: [EventKind.WAITING]}
    assert scene.other_coordinator.pk not in waiting and site_admin.pk not in waiting
    notification = Notification.objects.get(recipient=scene.coordinator)
    assert (notification.project_id, notification.actor, notification.data) == (
        page.pk,
        scene.proposer,
        {"subject": "proposal"},
    )
    assert notification.url == reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_decisions_on_a_proposal_go_to_its_proposer(scene, django_capture_on_commit_callbacks):
    page = _propose(scene, django_capture_on_commit_callbacks)
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state.specific, scene.coordinator, "reject", comment="Mer budsjett")

    [changes] = Notification.objects.filter(kind=EventKind.DECISION)
    assert changes.recipient == scene.proposer
    assert changes.actor == scene.coordinator
    assert changes.data == {"subject": "proposal", "decision": "changes_requested", "comment": "Mer budsjett"}
    assert changes.url.endswith(f"/proposals/{page.pk}/"), "a draft: its proposal page"

    fields = proposal_fields(scene, summary="Med budsjett.")
    del fields["index"]
    with django_capture_on_commit_callbacks(execute=True):
        projects.project_proposal_update(page=page, **fields)
    assert Notification.objects.filter(kind=EventKind.WAITING, recipient=scene.coordinator).count() == 2

    _approve(page, scene.coordinator, django_capture_on_commit_callbacks, comment="Flott")
    approved = Notification.objects.get(kind=EventKind.DECISION, data__decision="approved")
    assert approved.recipient == scene.proposer
    assert approved.data["comment"] == "Flott"
    assert approved.url == page.url


# --- partnerships ---------------------------------------------------------------------------------


def test_an_application_waits_for_the_coordinators_and_the_decision_goes_to_the_administrators(
    scene, django_capture_on_commit_callbacks
):
    administrator = citizen_create()
    partner = partner_create(administrator=administrator, name="Ny AS")
    member = member_add(partner).user

    with django_capture_on_commit_callbacks(execute=True):
        partnership = partners.partnership_apply(actor=administrator, partner=partner, hub=scene.hub, accept_terms=True)

    assert kinds_by_recipient() == {scene.coordinator.pk: [EventKind.WAITING]}
    waiting = Notification.objects.get()
    assert (waiting.partner, waiting.hub, waiting.actor) == (partner, scene.hub, administrator)
    assert waiting.data == {"subject": "partnership", "partnership_id": partnership.pk}
    assert waiting.url == reverse("partnership_admin:inspect", args=[partnership.pk])

    with django_capture_on_commit_callbacks(execute=True):
        partners.partnership_decide(
            actor=scene.coordinator, partnership=partnership, to_status=PartnershipStatus.REJECTED, reason="Uklart"
        )

    decision = Notification.objects.get(kind=EventKind.DECISION)
    assert decision.recipient == administrator
    assert decision.data == {"subject": "partnership", "status": "rejected", "reason": "Uklart"}
    assert decision.actor == scene.coordinator
    assert decision.url == reverse("partner_manage", args=[partner.slug])
    assert member.pk not in kinds_by_recipient(), "members do not speak for the organisation"


def test_an_application_decided_before_the_task_ran_waits_for_nobody(scene, django_capture_on_commit_callbacks):
    from notifications import tasks

    administrator = citizen_create()
    partner = partner_create(administrator=administrator)
    partnership = partnership_create(partner=partner, hub=scene.hub, status=PartnershipStatus.APPROVED)
    assert tasks.partnership_applied_fanout.call(partnership.pk) == 0
    assert not Notification.objects.exists()


def test_an_imported_partnership_is_announced_like_an_approval(scene, django_capture_on_commit_callbacks):
    """The CSV import goes through the partner services, so the notification centre hears of it."""
    approved_admin, imported_admin = citizen_create(), citizen_create()
    approved = partner_create(administrator=approved_admin)
    imported = partner_create(administrator=imported_admin)
    with django_capture_on_commit_callbacks(execute=True):
        partnership = partners.partnership_apply(
            actor=approved_admin, partner=approved, hub=scene.hub, accept_terms=True
        )
        partners.partnership_decide(
            actor=scene.coordinator, partnership=partnership, to_status=PartnershipStatus.APPROVED
        )
    csv_file = SimpleUploadedFile(
        "partners.csv",
        f"name,kind,organisation_number\n{imported.name},business,{imported.organisation_number}\n"
        "Heilt nytt initiativ,citizen_initiative,\n".encode(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = partners_import_csv(actor=scene.coordinator, hub=scene.hub, file=csv_file, dry_run=False)

    assert result.written and (result.linked, result.created) == (1, 1)
    by_service = Notification.objects.get(kind=EventKind.DECISION, recipient=approved_admin)
    by_import = Notification.objects.get(kind=EventKind.DECISION, recipient=imported_admin)
    assert (by_import.actor, by_import.hub, by_import.url) == (
        by_service.actor,
        by_service.hub,
        reverse("partner_manage", args=[imported.slug]),
    )
    assert by_import.data == {**by_service.data, "reason": import_reason(scene.hub)}
    assert by_import.data["status"] == PartnershipStatus.APPROVED
    assert Notification.objects.filter(kind=EventKind.DECISION).count() == 2, "a new organisation has nobody to tell"


# --- comment_reported -----------------------------------------------------------------------------


def test_a_report_waits_for_the_threads_hub_coordinators(scene, django_capture_on_commit_callbacks, settings):
    settings.DISCUSSIONS_REPORTS_TO_HIDE = 1
    comment = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Kjøp billig!")
    Notification.objects.all().delete()

    contribution_add(scene.bob, scene.hub)  # an established reporter: the report weighs enough
    with django_capture_on_commit_callbacks(execute=True):
        report = discussions.comment_report(actor=scene.bob, comment=comment, reason="spam")

    comment.refresh_from_db()
    assert comment.is_hidden, "hidden by the report: the coordinators must still hear of it"
    assert kinds_by_recipient() == {scene.coordinator.pk: [EventKind.WAITING]}
    notification = Notification.objects.get()
    assert (notification.comment, notification.thread, notification.actor) == (comment, scene.thread, scene.bob)
    assert notification.data == {"subject": "report", "report_id": report.pk, "reason": "spam"}


def test_a_project_with_another_partner_is_announced_to_that_partners_followers(
    scene, django_capture_on_commit_callbacks
):
    third = approved_partner_create(scene.hub, name="Tredje AS")
    third_follower = follower_create(third)
    page = _propose(scene, django_capture_on_commit_callbacks, partners=[third])
    _approve(page, scene.coordinator, django_capture_on_commit_callbacks)
    assert kinds_by_recipient(kind=EventKind.NEW_PROJECT) == {third_follower.pk: [EventKind.NEW_PROJECT]}
