"""The websocket of a thread whose page is restricted: refused to those who may not see the page,
open to those who may (a group's member; a session that passed the password)."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from wagtail.models import PageViewRestriction

from cms.restrictions import PASSED_SESSION_KEY
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create
from tests.discussions.live_client import frames_until_pong, open_socket, refusal, session_cookie, thread_socket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _refused(thread_id, **options):
    async def connect():
        socket = thread_socket(thread_id, after=0, **options)
        connected, _ = await socket.connect()
        assert connected
        return await refusal(socket)

    frame, code = async_to_sync(connect)()
    return frame["code"], code


def _frames(thread_id, **options):
    async def listen():
        socket = await open_socket(thread_id, after=0, **options)
        frames = await frames_until_pong(socket)
        await socket.disconnect()
        return frames

    return async_to_sync(listen)()


def test_a_group_restricted_forum_streams_nothing_to_outsiders():
    scene = thread_scene_create()
    comment_create(scene.topic, author=scene.bob, body="Hemmelig")
    group = Group.objects.create(name="Styret")
    member = commenter_create()
    member.groups.add(group)
    restriction = PageViewRestriction.objects.create(page=scene.forum, restriction_type="groups")
    restriction.groups.add(group)

    assert _refused(scene.topic.pk) == ("forbidden", 4403)
    assert _refused(scene.topic.pk, session=session_cookie(scene.alice)) == ("forbidden", 4403)
    assert [frame["type"] for frame in _frames(scene.topic.pk, session=session_cookie(member))] == ["comment.created"]


def test_a_password_restricted_project_streams_only_to_a_session_that_passed_the_password():
    scene = thread_scene_create()
    comment_create(scene.thread, author=scene.bob, body="Hemmelig")
    restriction = PageViewRestriction.objects.create(page=scene.project, restriction_type="password", password="x")

    assert _refused(scene.thread.pk) == ("forbidden", 4403)
    assert _refused(scene.thread.pk, session=session_cookie(scene.alice)) == ("forbidden", 4403)
    anonymous_passed = SessionStore()
    anonymous_passed[PASSED_SESSION_KEY] = [restriction.pk]
    anonymous_passed.create()
    assert len(_frames(scene.thread.pk, session=anonymous_passed.session_key)) == 1
