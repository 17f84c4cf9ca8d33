"""Cost: a comment in a thread with many followers is one bulk write in the worker, with as many
queries for 1,000 followers as for 10, and the request that posted it does not do the fan-out.
And the recipient filters agree with the permission predicates they stand in for."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from accounts.roles import SITE_ADMINISTRATORS
from discussions import services as discussions
from notifications import selectors
from notifications.models import EventKind, Notification
from projects.permissions import can_view_project
from tests.accounts.factories import UserFactory
from tests.discussions.factories import topic_create
from tests.notifications.factories import citizen_create, followers_bulk_create
from tests.partners.factories import member_add
from tests.projects.factories import project_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_swallowed_errors")]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NOTIFICATION_INSERT = f'INSERT INTO "{Notification._meta.db_table}"'


def _fan_out_comment(scene, capture, followers: int):
    """A new topic with ``followers`` followers, and a comment in it; returns (comment, queries)."""
    thread = topic_create(scene.hub, title=f"Tema med {followers} følgere")
    followers_bulk_create(thread, followers)
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        comment = discussions.comment_post(actor=scene.alice, thread=thread, body="Hei alle sammen")
    return comment, queries


def test_a_comment_to_many_followers_is_one_bulk_write_with_a_constant_query_count(
    scene, django_capture_on_commit_callbacks
):
    _fan_out_comment(scene, django_capture_on_commit_callbacks, 1)  # fills Wagtail's site cache
    counts = {}
    for followers in (10, 1000):
        comment, queries = _fan_out_comment(scene, django_capture_on_commit_callbacks, followers)
        assert Notification.objects.filter(comment=comment, kind=EventKind.COMMENT).count() == followers
        inserts = [query for query in queries.captured_queries if query["sql"].startswith(NOTIFICATION_INSERT)]
        assert len(inserts) == 1, f"{followers} followers: {len(inserts)} inserts"
        counts[followers] = len(queries)
    assert counts[10] == counts[1000], counts


def test_every_follower_gets_the_next_number_of_their_own_inbox(scene, django_capture_on_commit_callbacks):
    comment, _queries = _fan_out_comment(scene, django_capture_on_commit_callbacks, 50)
    again = discussions.comment_post  # a second comment in the same thread
    with django_capture_on_commit_callbacks(execute=True):
        second = again(actor=scene.bob, thread=comment.thread, body="Og en til")
    first_seqs = dict(Notification.objects.filter(comment=comment).values_list("recipient_id", "seq"))
    second_seqs = dict(Notification.objects.filter(comment=second).values_list("recipient_id", "seq"))
    assert len(first_seqs) == 50
    assert set(second_seqs) == set(first_seqs) | {scene.alice.pk}, "alice follows since she commented"
    assert all(second_seqs[user_id] == seq + 1 for user_id, seq in first_seqs.items())
    assert second_seqs[scene.alice.pk] == 1


def test_posting_over_http_only_enqueues_the_fan_out(scene, client, settings, django_capture_on_commit_callbacks):
    """The response does not wait for the followers: with the production queue, posting writes no
    notification and costs the same number of queries with 10 or 1,000 followers."""
    settings.TASKS = DATABASE_TASKS
    client.force_login(scene.alice)
    counts = {}
    for followers in (1, 10, 1000):  # the first fills caches
        thread = topic_create(scene.hub, title=f"HTTP {followers}")
        followers_bulk_create(thread, followers)
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("discussions:comment_create", args=[thread.pk]),
                {"body": "Hei"},
                HTTP_ACCEPT="application/json",
            )
        assert response.status_code == 201, response.content
        counts[followers] = len(queries)
    assert counts[10] == counts[1000], counts
    assert not Notification.objects.exists()
    queued = DBTaskResult.objects.filter(task_path="notifications.tasks.comment_posted_fanout")
    assert queued.count() == 3


# --- The filters agree with the permission predicates ---------------------------------------------


@pytest.fixture
def people(scene):
    site_admin = UserFactory(verified=True)
    site_admin.groups.add(Group.objects.get(name=SITE_ADMINISTRATORS))
    return [
        scene.proposer,
        scene.lead_member,
        scene.participant_member,
        scene.coordinator,
        scene.other_coordinator,
        UserFactory(verified=True, superuser=True),
        site_admin,
        citizen_create(),
        member_add(scene.lead, is_active=False).user,
    ]


def _pages(scene):
    public = scene.project
    draft = project_create(scene.index, live=False, lead_partner=scene.lead, proposed_by=scene.proposer)
    unpublished = project_create(scene.index, lead_partner=scene.participant)
    unpublished.unpublish()
    restricted = project_create(scene.index, partners=[scene.participant])
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    return {"public": public, "draft": draft, "unpublished": unpublished, "restricted": restricted}


def test_project_viewers_are_who_can_view_the_project(scene, people):
    ids = [person.pk for person in people]
    for name, page in _pages(scene).items():
        page = type(page).objects.get(pk=page.pk)
        expected = {person.pk for person in people if person.is_active and can_view_project(person, page)}
        assert set(selectors.visible_user_ids(ids, selectors.project_viewers_q(page))) == expected, name
        if name == "draft":
            superuser, site_admin = people[5], people[6]
            assert expected == {
                scene.proposer.pk,
                scene.lead_member.pk,
                scene.coordinator.pk,
                superuser.pk,
                site_admin.pk,
            }


def test_hub_coordinators_are_the_hubs_group_only(scene, people):
    assert selectors.hub_coordinator_ids(scene.hub) == [scene.coordinator.pk]
    assert selectors.hub_coordinator_ids(scene.other_hub) == [scene.other_coordinator.pk]
