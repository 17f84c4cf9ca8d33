"""Threads are exactly as private as the page they belong to (a project's page, a hub's forum):
view restrictions (groups, password, login) and unpublished pages, on every path — the predicate,
the thread's JSON and form views, following, the fan-out of notifications, the notification centre,
e-mails and the following page. The websocket is in ``test_restricted_sockets.py``.

``passed`` is a citizen whose session passed the page's password (as Wagtail records it).
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.restrictions import PASSED_SESSION_KEY
from discussions.models import Comment
from discussions.permissions import can_comment, can_view_thread
from notifications import centre, emails, tasks
from notifications.following import followed_groups
from notifications.models import EventKind, Notification
from notifications.services import notify
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create, topic_create
from tests.notifications.factories import follow_create

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "citizen", "group_member", "passed", "coordinator")
T, F = True, False
# Who sees a thread whose page has the restriction (the coordinator is not in the group and did not
# enter the password: Wagtail would not show them the page either).
VISIBLE = {
    "groups": dict(zip(ROLES, (F, F, T, F, F), strict=True)),
    "password": dict(zip(ROLES, (F, F, F, T, F), strict=True)),
    "login": dict(zip(ROLES, (F, T, T, T, T), strict=True)),
    "unpublished": dict(zip(ROLES, (F, F, F, F, F), strict=True)),
}


class Session(dict):
    """What the predicates read of a session."""


@pytest.fixture
def scene():
    scene = thread_scene_create()
    scene.topic_comment = comment_create(scene.topic, author=scene.bob, body="Hemmelig tema")
    scene.group = Group.objects.create(name="Styret")
    scene.member = commenter_create(display_name="Medlem")
    scene.member.groups.add(scene.group)
    return scene


def _restrict(page, kind: str, group=None):
    """Restrict ``page`` (or unpublish it); the ids of password restrictions made."""
    if kind == "unpublished":
        page.unpublish()
        return []
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type={"groups": "groups", "password": "password", "login": "login"}[kind],
        password="hemmelig" if kind == "password" else "",
    )
    if kind == "groups":
        restriction.groups.add(group)
    return [restriction.pk] if kind == "password" else []


def _users(scene, passed_ids):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": (AnonymousUser(), None),
        "citizen": (scene.alice, Session()),
        "group_member": (scene.member, Session()),
        "passed": (scene.alice, Session({PASSED_SESSION_KEY: passed_ids})),
        "coordinator": (scene.coordinator, Session()),
    }


def _target(scene, where: str):
    return (scene.forum, scene.topic) if where == "forum" else (scene.project, scene.thread)


@pytest.mark.parametrize("where", ["forum", "project"])
@pytest.mark.parametrize("kind", list(VISIBLE))
def test_a_thread_is_as_visible_as_its_page(scene, where, kind):
    page, thread = _target(scene, where)
    passed = _restrict(page, kind, scene.group)
    thread.refresh_from_db()
    seen = {role: can_view_thread(user, thread, session) for role, (user, session) in _users(scene, passed).items()}
    expected = dict(VISIBLE[kind])
    if where == "project" and kind == "unpublished":
        expected["coordinator"] = True  # a draft project's thread is for its people, the hub's coordinators among them
    assert seen == expected
    # Nobody comments where they cannot read.
    for role, (user, session) in _users(scene, passed).items():
        if not expected[role]:
            assert not can_comment(user, thread, session), role


def test_a_restricted_hub_hides_its_forum_topics(scene):
    _restrict(scene.hub, "groups", scene.group)
    assert not can_view_thread(scene.alice, scene.topic, Session())
    assert can_view_thread(scene.member, scene.topic, Session())


@pytest.mark.parametrize("kind", ["groups", "password", "login"])
def test_the_comment_views_refuse_a_restricted_forums_topic(scene, kind):
    passed = _restrict(scene.forum, kind, scene.group)
    url = reverse("discussions:comment_create", args=[scene.topic.pk])
    outsider = Client()
    if kind != "login":
        outsider.force_login(scene.alice)
    # The comment views answer 404 for a thread the person may not read, logged in or not.
    assert outsider.get(url, HTTP_ACCEPT="application/json").status_code == 404
    response = outsider.post(url, {"body": "Inn bakveien"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert scene.topic.title.encode() not in response.content
    assert not Comment.objects.filter(body="Inn bakveien").exists()

    insider = Client()
    insider.force_login(scene.member if kind == "groups" else scene.alice)
    if passed:
        session = insider.session
        session[PASSED_SESSION_KEY] = passed
        session.save()
    assert insider.get(url).status_code == 200
    response = insider.post(url, {"body": "Med lov"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    assert Comment.objects.filter(body="Med lov", thread=scene.topic).exists()


def test_a_restricted_topic_cannot_be_followed_nor_its_title_seen_on_the_following_page(scene):
    follow_create(scene.alice, scene.topic)  # followed while the forum was open
    _restrict(scene.forum, "groups", scene.group)
    client = Client()
    client.force_login(scene.alice)
    response = client.post(reverse("notifications:follow", args=["thread", scene.topic.pk]))
    assert response.status_code == 404
    page = client.get(reverse("notifications:following"))
    assert page.status_code == 200
    assert scene.topic.title not in page.content.decode()
    assert followed_groups(scene.alice) == []
    follow_create(scene.member, scene.topic)
    assert [item.title for group in followed_groups(scene.member) for item in group.items] == [scene.topic.title]


@pytest.mark.parametrize("kind", ["groups", "password", "unpublished"])
def test_fanout_tells_only_people_who_may_see_the_topic(scene, kind, django_capture_on_commit_callbacks):
    _restrict(scene.forum, kind, scene.group)
    for person in (scene.alice, scene.member):
        follow_create(person, scene.topic)
    comment = comment_create(scene.topic, author=scene.coordinator, body="Nytt")
    tasks.comment_posted_fanout.call(comment.pk)
    told = set(Notification.objects.filter(comment=comment).values_list("recipient_id", flat=True))
    assert told == ({scene.member.pk} if kind == "groups" else set())


def test_the_centre_and_emails_leave_out_topics_of_a_forum_that_became_private(scene):
    for person in (scene.alice, scene.member):
        notify(
            kind=EventKind.COMMENT,
            recipient_ids=[person.pk],
            actor_id=scene.bob.pk,
            hub_id=scene.hub.pk,
            url="/",
            thread_id=scene.topic.pk,
            comment_id=scene.topic_comment.pk,
        )
    _restrict(scene.forum, "groups", scene.group)
    assert not centre.visible_notifications(scene.alice).exists()
    assert not centre.visible_notifications(scene.alice.pk).exists()
    assert centre.visible_notifications(scene.member).count() == 1
    loaded = emails.load(Notification.objects.filter(thread=scene.topic))
    assert {n.recipient_id for n in emails.deliverable(loaded)} == {scene.member.pk}
    client = Client()
    client.force_login(scene.alice)
    assert scene.topic.title not in client.get(reverse("notifications:centre")).content.decode()


def test_a_public_forum_stays_open_to_everyone(scene):
    other = topic_create(scene.hub, title="Åpent")
    assert can_view_thread(None, other)
    assert can_view_thread(scene.alice, other, Session())


def test_an_unpublished_hub_hides_its_forum_topics_even_while_the_forum_is_live(scene):
    scene.hub.unpublish()
    scene.forum.refresh_from_db()
    assert scene.forum.live
    assert not can_view_thread(scene.alice, scene.topic, Session())
    assert not can_view_thread(None, scene.topic)
