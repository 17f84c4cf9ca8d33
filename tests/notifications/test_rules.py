"""The rules: nobody is told about what they cannot see (a draft project, a hidden comment, a private
application), nobody about their own action, and suspended or deleted people get nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from discussions import services as discussions
from discussions.models import CommentingSuspension
from notifications.models import EventKind, Notification
from partners import services as partners
from partners.models import PartnershipStatus
from projects import services as projects
from tests.notifications.factories import citizen_create, follow_create, follower_create, kinds_by_recipient
from tests.partners.factories import coordinator_create, member_add, partner_create
from tests.projects.factories import goal, project_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_swallowed_errors")]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _post(capture, **kwargs):
    with capture(execute=True):
        return discussions.comment_post(**kwargs)


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay")


# --- Content people cannot see ----------------------------------------------------------------------


def test_a_comment_in_an_unpublished_projects_thread_reaches_only_its_people(scene, django_capture_on_commit_callbacks):
    citizen = follower_create(scene.project)
    follow_create(scene.participant_member, scene.thread)
    follow_create(scene.coordinator, scene.project)
    follow_create(scene.other_coordinator, scene.thread)
    scene.project.unpublish()

    # Alice wrote here while it was public; she cannot see it now, so a mention does not reach her.
    comment = _post(
        django_capture_on_commit_callbacks, actor=scene.lead_member, thread=scene.thread, body="Internt, @Alice Berg"
    )

    assert comment.mentions.filter(pk=scene.alice.pk).exists()
    assert kinds_by_recipient(comment=comment) == {
        scene.participant_member.pk: [EventKind.COMMENT],
        scene.coordinator.pk: [EventKind.COMMENT],
    }
    assert citizen.pk not in kinds_by_recipient()


def test_a_new_project_behind_a_password_is_announced_only_to_its_people(scene, django_capture_on_commit_callbacks):
    hub_follower = follower_create(scene.hub)
    follow_create(scene.participant_member, scene.hub)
    page = project_create(scene.index, live=False, lead_partner=scene.lead, partners=[scene.participant])
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig")

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert kinds_by_recipient(kind=EventKind.NEW_PROJECT) == {scene.participant_member.pk: [EventKind.NEW_PROJECT]}
    assert hub_follower.pk not in kinds_by_recipient()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_comment_hidden_before_the_task_ran_is_announced_to_nobody(scene, settings):
    """In production the fan-out waits in the queue for the worker; what was hidden or deleted in
    the meantime is announced to nobody (the task looks at the comment when it runs)."""
    follower = follower_create(scene.thread)
    settings.TASKS = DATABASE_TASKS
    shown = discussions.comment_post(actor=scene.alice, thread=scene.thread, body="Synlig")
    hidden = discussions.comment_post(actor=scene.bob, thread=scene.thread, body="Kjøp billig")
    deleted = discussions.comment_post(actor=scene.bob, thread=scene.thread, body="Oi, feil")
    assert not Notification.objects.exists(), "posting only enqueued the fan-out"
    discussions.comment_hide(actor=scene.coordinator, comment=hidden, reason="Reklame")
    discussions.comment_delete(actor=scene.bob, comment=deleted)

    _run_worker()

    assert kinds_by_recipient(recipient=follower) == {follower.pk: [EventKind.COMMENT]}
    assert Notification.objects.get(recipient=follower).comment == shown
    assert not Notification.objects.filter(comment__in=[hidden, deleted]).exists()


def test_an_application_is_private_to_coordinators_and_the_partners_people(scene, django_capture_on_commit_callbacks):
    administrator = citizen_create()
    partner = partner_create(administrator=administrator)
    partner_follower = follower_create(partner)
    hub_follower = follower_create(scene.hub)

    with django_capture_on_commit_callbacks(execute=True):
        partnership = partners.partnership_apply(actor=administrator, partner=partner, hub=scene.hub, accept_terms=True)
    with django_capture_on_commit_callbacks(execute=True):
        partners.partnership_decide(
            actor=scene.coordinator, partnership=partnership, to_status=PartnershipStatus.REJECTED, reason="Nei"
        )

    assert kinds_by_recipient() == {
        scene.coordinator.pk: [EventKind.WAITING],
        administrator.pk: [EventKind.DECISION],
    }
    assert partner_follower.pk not in kinds_by_recipient() and hub_follower.pk not in kinds_by_recipient()


# --- Own actions ----------------------------------------------------------------------------------


def test_nobody_is_told_of_their_own_comment(scene, django_capture_on_commit_callbacks):
    follow_create(scene.alice, scene.thread)
    comment = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Hei @Bob Dahl")
    assert kinds_by_recipient(comment=comment) == {scene.bob.pk: [EventKind.MENTION]}


def test_a_coordinator_who_proposes_is_not_told_their_proposal_waits(scene, django_capture_on_commit_callbacks):
    from tests.projects.factories import proposal_fields

    member_add(scene.lead, user=scene.coordinator)
    second = coordinator_create(scene.hub)
    with django_capture_on_commit_callbacks(execute=True):
        projects.project_propose(**proposal_fields(scene, actor=scene.coordinator))
    assert kinds_by_recipient(kind=EventKind.WAITING) == {second.pk: [EventKind.WAITING]}


def test_a_coordinator_deciding_on_their_own_partnership_is_not_told(scene, django_capture_on_commit_callbacks):
    partner = partner_create(administrator=scene.coordinator)
    other_admin = citizen_create()
    member_add(partner, user=other_admin, role="administrator")
    with django_capture_on_commit_callbacks(execute=True):
        partnership = partners.partnership_apply(actor=other_admin, partner=partner, hub=scene.hub, accept_terms=True)
        partners.partnership_decide(
            actor=scene.coordinator, partnership=partnership, to_status=PartnershipStatus.APPROVED
        )
    assert kinds_by_recipient(kind=EventKind.DECISION) == {other_admin.pk: [EventKind.DECISION]}


# --- Suspended and deleted people -----------------------------------------------------------------


def test_suspended_people_get_nothing_in_that_hub_only(scene, django_capture_on_commit_callbacks):
    suspended = follower_create(scene.thread)
    suspended_elsewhere = follower_create(scene.thread)
    lifted = follower_create(scene.thread)
    now = timezone.now()
    CommentingSuspension.objects.create(hub=scene.hub, user=suspended, ends_at=now + timedelta(days=3), reason="x")
    CommentingSuspension.objects.create(
        hub=scene.other_hub, user=suspended_elsewhere, ends_at=now + timedelta(days=3), reason="x"
    )
    CommentingSuspension.objects.create(
        hub=scene.hub, user=lifted, ends_at=now + timedelta(days=3), reason="x", lifted_at=now
    )

    comment = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Hei")

    assert set(kinds_by_recipient(comment=comment)) == {suspended_elsewhere.pk, lifted.pk}


def test_deactivated_people_get_nothing(scene, django_capture_on_commit_callbacks):
    gone = follower_create(scene.project)
    gone_goal = follower_create(goal(13))
    still_here = follower_create(scene.project)
    type(gone).objects.filter(pk__in=[gone.pk, gone_goal.pk]).update(is_active=False)

    comment = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Hei")
    page = project_create(scene.index, live=False, lead_partner=scene.lead)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert set(kinds_by_recipient(comment=comment)) == {still_here.pk}
    assert gone.pk not in kinds_by_recipient() and gone_goal.pk not in kinds_by_recipient()
    assert not Notification.objects.filter(kind=EventKind.NEW_PROJECT).exists()


def test_stopped_follows_bring_nothing(scene, django_capture_on_commit_callbacks):
    stopped = citizen_create()
    follow_create(stopped, scene.project, active=False)
    follow_create(stopped, scene.thread, active=False)
    comment = _post(django_capture_on_commit_callbacks, actor=scene.alice, thread=scene.thread, body="Hei")
    assert stopped.pk not in kinds_by_recipient(comment=comment)
