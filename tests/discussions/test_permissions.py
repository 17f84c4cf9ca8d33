"""The permission matrix of discussions: every role against every action, one cell per test.

A change to any rule flips a cell here. The same table is checked against the services, so a
predicate and the service that relies on it cannot drift apart. ``edit``, ``delete``, ``report``
and ``hide`` act on one comment written by the "author" role, so the author's row is "their own
comment" and everyone else's row is "someone else's".
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F as Field
from django.utils import timezone

from accounts.roles import SITE_ADMINISTRATORS
from discussions import services
from discussions.models import Comment, CommentingSuspension, Thread
from discussions.permissions import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_moderate_thread,
    can_open_topic,
    can_report_comment,
    can_view_thread,
    is_suspended,
)
from tests.accounts.factories import UserFactory
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create, topic_create
from tests.partners.factories import member_add, partner_create
from tests.projects.factories import project_create

pytestmark = pytest.mark.django_db

ACTIONS = (
    "view_public_thread",
    "view_draft_project_thread",
    "comment",
    "comment_in_draft_project_thread",
    "comment_in_locked_thread",
    "edit",
    "delete",
    "report",
    "hide",
    "lock",
    "suspend",
    "open_topic",
)

T, F = True, False
# role: view public, view draft, comment, comment draft, comment locked, edit, delete, report, hide, lock,
#       suspend, open topic
MATRIX = {
    "anonymous": (T, F, F, F, F, F, F, F, F, F, F, F),
    "unverified_user": (T, F, F, F, F, F, F, T, F, F, F, F),
    "verified_citizen": (T, F, T, F, F, F, F, T, F, F, F, T),
    "author": (T, F, T, F, F, T, T, F, F, F, F, T),
    "suspended_user": (T, F, F, F, F, F, F, T, F, F, F, F),
    "coordinator_of_hub": (T, T, T, T, T, F, F, T, T, T, T, T),
    "coordinator_of_another_hub": (T, F, T, F, F, F, F, T, F, F, F, T),
    "site_administrator": (T, T, T, T, T, F, F, T, T, T, T, T),
    "project_partner_member": (T, T, T, T, F, F, F, T, F, F, F, T),
    "inactive_user": (T, F, F, F, F, F, F, F, F, F, F, F),
}


@dataclass
class World:
    hub: object
    other_hub: object
    forum: object
    thread: Thread  # a published project's thread
    draft_thread: Thread  # a draft project's thread
    locked: Thread  # a locked forum topic
    comment: Comment  # written by the "author" in ``thread``
    someone: object  # a citizen to suspend
    users: dict


@pytest.fixture
def world():
    scene = thread_scene_create()
    partner = partner_create()
    member = member_add(partner).user
    index = scene.project.get_parent().specific
    draft = project_create(index, live=False, lead_partner=partner)
    draft_thread = services.project_thread_ensure(draft)
    locked = topic_create(scene.hub, title="Låst", locked=True)

    author = commenter_create(display_name="Forfatter")
    comment = comment_create(scene.thread, author=author, body="Min mening")
    # Written an hour ago: the author is not held back by the rate limit in the service checks.
    Comment.objects.filter(pk=comment.pk).update(created_at=Field("created_at") - timedelta(hours=1))
    comment.refresh_from_db()

    suspended = commenter_create(display_name="Suspendert")
    CommentingSuspension.objects.create(
        hub=scene.hub, user=suspended, ends_at=timezone.now() + timedelta(days=7), reason="Personangrep"
    )
    site_administrator = UserFactory(verified=True)
    site_administrator.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    users = {
        "anonymous": AnonymousUser(),
        "unverified_user": UserFactory(date_joined=timezone.now() - timedelta(days=30)),
        "verified_citizen": scene.alice,
        "author": author,
        "suspended_user": suspended,
        "coordinator_of_hub": scene.coordinator,
        "coordinator_of_another_hub": scene.other_coordinator,
        "site_administrator": site_administrator,
        "project_partner_member": member,
        "inactive_user": commenter_create(is_active=False),
    }
    return World(
        hub=scene.hub,
        other_hub=scene.other_hub,
        forum=scene.forum,
        thread=scene.thread,
        draft_thread=draft_thread,
        locked=locked,
        comment=comment,
        someone=scene.bob,
        users=users,
    )


def _ask(world: World, user, action: str) -> bool:
    return {
        "view_public_thread": lambda: can_view_thread(user, world.thread),
        "view_draft_project_thread": lambda: can_view_thread(user, world.draft_thread),
        "comment": lambda: can_comment(user, world.thread),
        "comment_in_draft_project_thread": lambda: can_comment(user, world.draft_thread),
        "comment_in_locked_thread": lambda: can_comment(user, world.locked),
        "edit": lambda: can_edit_comment(user, world.comment),
        "delete": lambda: can_delete_comment(user, world.comment),
        "report": lambda: can_report_comment(user, world.comment),
        "hide": lambda: can_moderate_thread(user, world.comment.thread),
        "lock": lambda: can_moderate_thread(user, world.thread),
        "suspend": lambda: can_moderate_thread(user, world.thread),
        "open_topic": lambda: can_open_topic(user, world.hub),
    }[action]()


def test_the_matrix_covers_every_role_and_action():
    assert all(len(row) == len(ACTIONS) for row in MATRIX.values())


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(world, role):
    user = world.users[role]
    assert dict(zip(ACTIONS, (_ask(world, user, action) for action in ACTIONS), strict=True)) == dict(
        zip(ACTIONS, MATRIX[role], strict=True)
    )


# The services refuse exactly where the predicates say no.
def _try_service(world: World, user, action: str) -> None:
    if action == "comment":
        services.comment_post(actor=user, thread=world.thread, body="Hei")
    elif action == "comment_in_draft_project_thread":
        services.comment_post(actor=user, thread=world.draft_thread, body="Hei")
    elif action == "comment_in_locked_thread":
        services.comment_post(actor=user, thread=world.locked, body="Hei")
    elif action == "edit":
        services.comment_edit(actor=user, comment=world.comment, body="Endret")
    elif action == "delete":
        services.comment_delete(actor=user, comment=world.comment)
    elif action == "report":
        services.comment_report(actor=user, comment=world.comment, reason="spam")
    elif action == "hide":
        services.comment_hide(actor=user, comment=world.comment, reason="Usaklig")
    elif action == "lock":
        services.thread_lock(actor=user, thread=world.thread, reason="Pause")
    elif action == "suspend":
        services.user_suspend(
            actor=user, hub=world.hub, user=world.someone, ends_at=timezone.now() + timedelta(days=7), reason="Grunn"
        )
    elif action == "open_topic":
        services.topic_open(actor=user, forum=world.forum, title="Nytt tema", body="Første innlegg")
    else:
        # An action this test cannot try would otherwise count as allowed.
        pytest.fail(f"the matrix test does not know how to try the action {action!r}")


def _service_allows(world: World, user, action: str) -> bool:
    """Whether the service lets ``user`` do ``action``; whatever it wrote is rolled back."""
    try:
        with transaction.atomic():
            _try_service(world, user, action)
            transaction.set_rollback(True)
    except PermissionDenied:
        return False
    finally:
        # Services update the instances they are given; the rollback only restored the rows.
        for instance in (world.comment, world.thread, world.draft_thread, world.locked):
            instance.refresh_from_db()
    return True


SERVICE_ACTIONS = [action for action in ACTIONS if not action.startswith("view_")]


@pytest.mark.parametrize("role", MATRIX)
def test_services_enforce_the_matrix(world, role, django_capture_on_commit_callbacks):
    user = world.users[role]
    with django_capture_on_commit_callbacks(execute=False):
        actual = {action: _service_allows(world, user, action) for action in SERVICE_ACTIONS}
    assert actual == {action: MATRIX[role][ACTIONS.index(action)] for action in SERVICE_ACTIONS}


# --- Cells the matrix cannot show -----------------------------------------------------------------


def test_suspended_authors_delete_but_do_not_edit_their_own_comments(world):
    suspended = world.users["suspended_user"]
    own = comment_create(world.thread, author=suspended, body="Før suspensjonen")
    assert not can_edit_comment(suspended, own)
    assert can_delete_comment(suspended, own)


def test_authors_edit_nothing_in_a_locked_thread_but_may_delete(world):
    author = world.users["author"]
    Thread.objects.filter(pk=world.thread.pk).update(locked=True)
    world.comment.thread.refresh_from_db()
    assert not can_edit_comment(author, world.comment)
    assert can_delete_comment(author, world.comment)


def test_hidden_and_deleted_comments_are_neither_edited_nor_reported(world):
    author, citizen = world.users["author"], world.users["verified_citizen"]
    world.comment.hidden_at = timezone.now()
    assert not can_edit_comment(author, world.comment)
    assert not can_report_comment(citizen, world.comment)
    assert can_delete_comment(author, world.comment)
    world.comment.hidden_at, world.comment.deleted_at = None, timezone.now()
    assert not can_delete_comment(author, world.comment)
    assert not can_report_comment(citizen, world.comment)


def test_a_suspension_binds_in_its_hub_only_and_only_while_it_runs(world):
    suspended = world.users["suspended_user"]
    suspension = CommentingSuspension.objects.get(user=suspended)
    other_topic = topic_create(world.other_hub)
    assert is_suspended(suspended, world.hub.pk)
    assert can_comment(suspended, other_topic)

    CommentingSuspension.objects.filter(pk=suspension.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert not is_suspended(suspended, world.hub.pk)
    CommentingSuspension.objects.filter(pk=suspension.pk).update(
        ends_at=timezone.now() + timedelta(days=1), lifted_at=timezone.now()
    )
    assert not is_suspended(suspended, world.hub.pk)
    assert can_comment(suspended, world.thread)


def test_an_inactive_coordinator_moderates_nothing(world):
    coordinator = world.users["coordinator_of_hub"]
    coordinator.is_active = False
    assert not can_moderate_thread(coordinator, world.thread)
    assert not can_view_thread(coordinator, world.draft_thread)
    assert not can_comment(coordinator, world.locked)
