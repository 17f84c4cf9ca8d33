"""Automatic follows: proposing, commenting and being a project's partner follow it; stopping to
follow is remembered, so an automatic follow never comes back behind the person's back."""

import pytest

from discussions import services as discussions
from discussions.models import Thread
from notifications import services
from notifications.models import EventKind, Follow, Notification
from projects import services as projects
from tests.ideas.factories import idea_create
from tests.notifications.factories import citizen_create, follow_create, kinds_by_recipient
from tests.partners.factories import member_add
from tests.projects.factories import proposal_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_swallowed_errors")]


def _follow(user, **target) -> Follow | None:
    return Follow.objects.filter(user=user, **target).first()


def _approve(page, coordinator, capture):
    task_state = page.current_workflow_state.current_task_state
    with capture(execute=True):
        task_state.task.specific.on_action(task_state.specific, coordinator, "approve", comment="")
    page.refresh_from_db()


def test_commenting_follows_the_thread_and_brings_later_comments(scene, django_capture_on_commit_callbacks):
    carol = citizen_create()
    assert _follow(carol, thread=scene.thread) is None
    with django_capture_on_commit_callbacks(execute=True):
        discussions.comment_post(actor=carol, thread=scene.thread, body="Første gang her.")
    follow = _follow(carol, thread=scene.thread)
    assert follow.active and follow.automatic

    with django_capture_on_commit_callbacks(execute=True):
        later = discussions.comment_post(actor=scene.alice, thread=scene.thread, body="Velkommen!")
    assert kinds_by_recipient(comment=later) == {carol.pk: [EventKind.COMMENT]}


def test_posting_an_idea_follows_its_thread_and_brings_its_comments(scene, django_capture_on_commit_callbacks):
    author = citizen_create()
    with django_capture_on_commit_callbacks(execute=True):
        idea = idea_create(scene.hub, author)
    follow = _follow(author, thread=idea.thread)
    assert follow.active and follow.automatic

    with django_capture_on_commit_callbacks(execute=True):
        comment = discussions.comment_post(actor=scene.alice, thread=idea.thread, body="God idé!")
    assert kinds_by_recipient(comment=comment) == {author.pk: [EventKind.COMMENT]}


def test_an_unfollowed_thread_is_not_followed_again_by_commenting(scene, django_capture_on_commit_callbacks):
    carol = citizen_create()
    with django_capture_on_commit_callbacks(execute=True):
        discussions.comment_post(actor=carol, thread=scene.thread, body="Hei.")
    services.unfollow(user=carol, target=scene.thread)

    with django_capture_on_commit_callbacks(execute=True):
        discussions.comment_post(actor=carol, thread=scene.thread, body="Hei igjen.")
        later = discussions.comment_post(actor=scene.alice, thread=scene.thread, body="Hallo.")

    assert not _follow(carol, thread=scene.thread).active
    assert carol.pk not in kinds_by_recipient(comment=later)


def test_an_unfollowed_thread_is_not_brought_back_by_following_its_project(scene, django_capture_on_commit_callbacks):
    carol = citizen_create()
    follow_create(carol, scene.thread, active=False)
    services.follow(user=carol, target=scene.project)

    with django_capture_on_commit_callbacks(execute=True):
        comment = discussions.comment_post(actor=scene.alice, thread=scene.thread, body="Nytt.")

    assert carol.pk not in kinds_by_recipient(comment=comment)
    services.follow(user=carol, target=scene.thread)  # following it again by hand works
    with django_capture_on_commit_callbacks(execute=True):
        comment = discussions.comment_post(actor=scene.alice, thread=scene.thread, body="Nyere.")
    assert kinds_by_recipient(comment=comment) == {carol.pk: [EventKind.COMMENT]}


def test_proposing_follows_the_project_and_publication_its_partners_and_thread(
    scene, django_capture_on_commit_callbacks
):
    another_lead_member = member_add(scene.lead).user
    inactive_member = member_add(scene.participant, is_active=False).user
    with django_capture_on_commit_callbacks(execute=True):
        page = projects.project_propose(**proposal_fields(scene))

    follow = _follow(scene.proposer, project=page)
    assert follow.active and follow.automatic
    assert _follow(scene.lead_member, project=page) is None, "partners follow once it is published"
    # A partner's member who stopped following the draft stays that way after publication.
    services.unfollow(user=another_lead_member, target=page)

    _approve(page, scene.coordinator, django_capture_on_commit_callbacks)

    thread = Thread.objects.get(project=page)
    assert _follow(scene.proposer, thread=thread).automatic
    for member in (scene.lead_member, scene.participant_member, scene.lead_admin):
        follow = _follow(member, project=page)
        assert follow.active and follow.automatic, member
    assert not _follow(another_lead_member, project=page).active
    assert _follow(inactive_member, project=page) is None


def test_a_later_publication_does_not_bring_back_a_partners_follow(scene, django_capture_on_commit_callbacks):
    page = scene.project
    services.unfollow(user=scene.lead_member, target=page)
    page.title = "Grønn havn 2"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=scene.coordinator).publish(user=scene.coordinator)
    assert not _follow(scene.lead_member, project=page).active


def test_a_followed_project_started_by_hand_is_not_marked_automatic(scene, django_capture_on_commit_callbacks):
    """Someone who followed before commenting keeps their own follow (not turned into an automatic one)."""
    carol = citizen_create()
    services.follow(user=carol, target=scene.thread)
    with django_capture_on_commit_callbacks(execute=True):
        discussions.comment_post(actor=carol, thread=scene.thread, body="Jeg fulgte allerede.")
    follow = _follow(carol, thread=scene.thread)
    assert follow.active and not follow.automatic
    assert not Notification.objects.filter(recipient=carol).exists()
