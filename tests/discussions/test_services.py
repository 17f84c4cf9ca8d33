"""The discussions services: sequence numbers, events after commit, rate limits, reports, moderation,
suspensions and bad input.

Events are read from a real channel-layer subscription (an in-memory layer, whatever the
environment configures), the way the per-process fanout receives them. Time moves by shifting the
stored timestamps of earlier comments and suspensions, never by sleeping.
"""

import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from discussions import live, services
from discussions.models import (
    ChangeType,
    Comment,
    CommentingSuspension,
    CommentReport,
    CommentRevision,
    ModerationAction,
    ModerationActionKind,
    Thread,
    thread_group_name,
)
from discussions.services import CommentRateLimited
from tests.discussions.factories import (
    comment_create,
    commenter_create,
    contribution_add,
    reporter_create,
    thread_scene_create,
    topic_create,
)
from tests.projects.factories import project_create

pytestmark = pytest.mark.django_db

LANGUAGES = ("nb", "nn", "en")


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    """A fresh in-memory channel layer for each test (Channels drops its layers when the setting changes)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def scene():
    return thread_scene_create()


class Listener:
    """A subscription to one thread's group on the channel layer, like a process's fanout."""

    def __init__(self, thread: Thread):
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(thread_group_name(thread.pk), self.channel)

    def receive(self, timeout: float = 5) -> dict:
        async def _receive():
            return await asyncio.wait_for(self.layer.receive(self.channel), timeout)

        return async_to_sync(_receive)()

    def send_marker(self, thread: Thread) -> None:
        """Put a marker in the group: whatever arrives before it was published before it."""
        async_to_sync(self.layer.group_send)(thread_group_name(thread.pk), {"type": "test.marker"})

    def receive_frames(self) -> tuple[dict, dict[str, dict]]:
        message = self.receive()
        return message, {language: json.loads(text) for language, text in message["frames"].items()}


def may_post_again(*users) -> None:
    """Move the users' earlier comments an hour back: the rate limit no longer applies."""
    Comment.objects.filter(author__in=users).update(created_at=F("created_at") - timedelta(hours=1))


# --- Sequence numbers and events ----------------------------------------------------------------


def test_every_change_takes_the_next_seq_and_stores_it(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.comment_post(actor=scene.alice, thread=scene.thread, body="Første")
        reply = services.comment_post(actor=scene.bob, thread=scene.thread, body="Svar", reply_to=first)
        services.comment_edit(actor=scene.alice, comment=first, body="Første, rettet")
        services.comment_hide(actor=scene.coordinator, comment=reply, reason="Usaklig")
        services.comment_unhide(actor=scene.coordinator, comment=reply, reason="Likevel greit")
        services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Pause")
        services.comment_delete(actor=scene.alice, comment=first)
        services.thread_unlock(actor=scene.coordinator, thread=scene.thread)

    first.refresh_from_db()
    reply.refresh_from_db()
    thread = Thread.objects.get(pk=scene.thread.pk)
    assert thread.last_seq == 8
    assert (first.seq, first.last_change) == (7, ChangeType.COMMENT_DELETED)
    assert (reply.seq, reply.last_change) == (5, ChangeType.COMMENT_UNHIDDEN)
    assert (thread.lock_seq, thread.locked) == (8, False)
    assert [seq for seq, _change in live.changes_after(thread.pk, 0)] == [5, 7, 8]
    assert [seq for seq, _change in live.changes_after(thread.pk, 6)] == [7, 8]


def test_each_thread_counts_on_its_own(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(actor=scene.alice, thread=scene.thread, body="I prosjektet")
        in_topic = services.comment_post(actor=scene.bob, thread=scene.topic, body="I forumet")
    assert in_topic.seq == 1
    assert Thread.objects.get(pk=scene.thread.pk).last_seq == 1


def test_the_event_is_published_only_when_the_transaction_commits(scene, django_capture_on_commit_callbacks):
    listener = Listener(scene.thread)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = services.comment_post(actor=scene.alice, thread=scene.thread, body="Hei *alle*")
    # Nothing was sent while the transaction was open: the marker sent now arrives first.
    listener.send_marker(scene.thread)
    assert listener.receive()["type"] == "test.marker"
    for callback in callbacks:  # the commit
        callback()

    message, frames = listener.receive_frames()

    assert message["type"] == live.LAYER_MESSAGE_TYPE
    assert (message["thread"], message["seq"]) == (scene.thread.pk, 1)
    assert set(frames) == set(LANGUAGES)
    for frame in frames.values():
        assert set(frame) == {"type", "seq", "id", "parent", "html"}
        assert (frame["type"], frame["seq"], frame["id"], frame["parent"]) == ("comment.created", 1, comment.pk, None)
        assert f'id="comment-{comment.pk}"' in frame["html"]
        assert "<em>alle</em>" in frame["html"]
    # Rendered once in each language (dates and words in the reader's language).
    comment.refresh_from_db()
    for language in LANGUAGES:
        with translation.override(language):
            assert frames[language]["html"] == live.comment_html(comment)
    assert frames["nb"]["html"] != frames["en"]["html"]


def test_a_rolled_back_write_publishes_nothing(scene, django_capture_on_commit_callbacks):
    listener = Listener(scene.thread)

    def failing_request():
        with transaction.atomic():
            services.comment_post(actor=scene.alice, thread=scene.thread, body="Angret")
            raise RuntimeError("the request failed after the comment was written")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_request()
    assert callbacks == []
    assert not Comment.objects.filter(thread=scene.thread).exists()
    assert Thread.objects.get(pk=scene.thread.pk).last_seq == 0

    with django_capture_on_commit_callbacks(execute=True):
        kept = services.comment_post(actor=scene.bob, thread=scene.thread, body="Beholdt")

    # The first message the group sees is the committed comment: the rolled-back one sent nothing.
    message, frames = listener.receive_frames()
    assert message["seq"] == 1
    assert frames["en"]["id"] == kept.pk


def test_every_event_type_has_its_shape(scene, django_capture_on_commit_callbacks):
    listener = Listener(scene.thread)

    def committed(change):
        # One request, one transaction: its event goes out when it commits.
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    parent = committed(lambda: services.comment_post(actor=scene.alice, thread=scene.thread, body="Forelder"))
    reply = committed(
        lambda: services.comment_post(actor=scene.bob, thread=scene.thread, body="Svar til forelder", reply_to=parent)
    )
    committed(lambda: services.comment_edit(actor=scene.bob, comment=reply, body="Svar, rettet"))
    committed(lambda: services.comment_hide(actor=scene.coordinator, comment=reply, reason="Usaklig"))
    committed(lambda: services.comment_unhide(actor=scene.coordinator, comment=reply, reason="Greit nok"))
    committed(lambda: services.comment_delete(actor=scene.alice, comment=parent))
    committed(lambda: services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Pause"))
    committed(lambda: services.thread_unlock(actor=scene.coordinator, thread=scene.thread))

    events = [listener.receive_frames()[1] for _ in range(8)]

    expected = [
        ("comment.created", 1, parent.pk, None),
        ("comment.created", 2, reply.pk, parent.pk),
        ("comment.edited", 3, reply.pk, parent.pk),
        ("comment.hidden", 4, reply.pk, parent.pk),
        ("comment.unhidden", 5, reply.pk, parent.pk),
        ("comment.deleted", 6, parent.pk, None),
    ]
    for frames, (kind, seq, comment_id, parent_id) in zip(events, expected, strict=False):
        for frame in frames.values():
            assert (frame["type"], frame["seq"], frame["id"], frame["parent"]) == (kind, seq, comment_id, parent_id)
            assert f'id="comment-{comment_id}"' in frame["html"]
    edited, hidden, unhidden, deleted = events[2]["en"], events[3]["en"], events[4]["en"], events[5]["en"]
    assert "Svar, rettet" in edited["html"] and "edited" in edited["html"]
    assert "hidden by a moderator" in hidden["html"] and "Svar, rettet" not in hidden["html"]
    assert "Svar, rettet" in unhidden["html"]
    assert "Comment deleted." in deleted["html"] and "Forelder" not in deleted["html"]
    locked, unlocked = events[6], events[7]
    for frame in locked.values():
        assert set(frame) == {"type", "seq", "id", "html"}
        assert (frame["type"], frame["seq"], frame["id"]) == ("thread.locked", 7, scene.thread.pk)
        assert 'data-locked="true"' in frame["html"]
    for frame in unlocked.values():
        assert (frame["type"], frame["seq"], frame["id"]) == ("thread.unlocked", 8, scene.thread.pk)
        assert 'data-locked="false"' in frame["html"]
    assert "locked" in locked["en"]["html"]


# --- Rate limits --------------------------------------------------------------------------------


def test_five_seconds_between_comments(scene):
    first = services.comment_post(actor=scene.alice, thread=scene.thread, body="En")

    with translation.override("en"), pytest.raises(CommentRateLimited) as limited:
        services.comment_post(actor=scene.alice, thread=scene.topic, body="To")
    assert 1 <= limited.value.retry_after <= 5
    assert f"Wait {limited.value.retry_after} second" in limited.value.message
    assert "your text is kept" in limited.value.message
    assert Comment.objects.filter(author=scene.alice).count() == 1
    assert Thread.objects.get(pk=scene.topic.pk).last_seq == 0

    Comment.objects.filter(pk=first.pk).update(created_at=F("created_at") - timedelta(seconds=4))
    with pytest.raises(CommentRateLimited) as still:
        services.comment_post(actor=scene.alice, thread=scene.topic, body="To")
    assert still.value.retry_after == 1

    Comment.objects.filter(pk=first.pk).update(created_at=F("created_at") - timedelta(seconds=1))
    assert services.comment_post(actor=scene.alice, thread=scene.topic, body="To").seq == 1


def test_accounts_younger_than_a_day_wait_thirty_seconds(scene):
    newcomer = commenter_create(new=True)
    first = services.comment_post(actor=newcomer, thread=scene.thread, body="Hei")

    Comment.objects.filter(pk=first.pk).update(created_at=F("created_at") - timedelta(seconds=6))
    with pytest.raises(CommentRateLimited) as limited:
        services.comment_post(actor=newcomer, thread=scene.thread, body="Igjen")
    assert 20 <= limited.value.retry_after <= 24

    Comment.objects.filter(pk=first.pk).update(created_at=F("created_at") - timedelta(seconds=25))
    services.comment_post(actor=newcomer, thread=scene.thread, body="Igjen")

    # A day later the account is established: five seconds is enough.
    type(newcomer).objects.filter(pk=newcomer.pk).update(date_joined=F("date_joined") - timedelta(hours=25))
    newcomer.refresh_from_db()
    Comment.objects.filter(author=newcomer).update(created_at=F("created_at") - timedelta(seconds=6))
    services.comment_post(actor=newcomer, thread=scene.thread, body="Tredje")


def test_young_accounts_post_at_most_two_links(scene):
    newcomer = commenter_create(new=True)
    three = "Se https://a.example, https://b.example og [denne](https://c.example)."

    with pytest.raises(ValidationError) as refused:
        services.comment_post(actor=newcomer, thread=scene.thread, body=three)
    assert refused.value.error_dict["body"][0].code == "too_many_links"
    assert not Comment.objects.exists()

    services.comment_post(actor=newcomer, thread=scene.thread, body="Se https://a.example og https://b.example.")
    # Established accounts are not limited.
    services.comment_post(actor=scene.alice, thread=scene.thread, body=three)


def test_a_comment_has_a_maximum_length(scene, settings):
    settings.DISCUSSIONS_COMMENT_MAX_LENGTH = 40

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.comment_post(actor=scene.alice, thread=scene.thread, body="x" * 41)
    error = refused.value.error_dict["body"][0]
    assert error.code == "max_length"
    assert "under 40 characters (it has 41)" in error.messages[0]

    assert services.comment_post(actor=scene.alice, thread=scene.thread, body="x" * 40).body == "x" * 40


# --- Reports ------------------------------------------------------------------------------------


def test_three_different_people_reporting_hides_the_comment_until_a_coordinator_decides(
    scene, django_capture_on_commit_callbacks
):
    comment = comment_create(scene.thread, author=scene.alice, body="Tvilsomt")
    listener = Listener(scene.thread)
    reporters = [contribution_add(scene.bob, scene.hub), reporter_create(scene.hub), reporter_create(scene.hub)]

    for reporter in reporters[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_report(actor=reporter, comment=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.is_visible

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_report(actor=reporters[2], comment=comment, reason="abuse", note="Trakassering")

    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_automatically
    assert (comment.seq, comment.last_change) == (2, ChangeType.COMMENT_HIDDEN)
    # The first two reports published nothing: the first message is the hiding.
    message, frames = listener.receive_frames()
    assert (frames["en"]["type"], frames["en"]["id"], message["seq"]) == ("comment.hidden", comment.pk, 2)
    action = ModerationAction.objects.get()
    assert action.kind == ModerationActionKind.AUTO_HIDE
    assert action.actor is None
    assert (action.hub_id, action.thread_id, action.comment_id, action.user_id) == (
        scene.hub.pk,
        scene.thread.pk,
        comment.pk,
        scene.alice.pk,
    )
    assert "3" in action.reason
    # Hidden comments cannot be reported further; the open reports wait for the coordinator.
    assert CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).count() == 3


def test_the_report_threshold_is_configurable(scene, settings):
    settings.DISCUSSIONS_REPORTS_TO_HIDE = 2
    comment = comment_create(scene.thread, author=scene.alice)
    services.comment_report(actor=contribution_add(scene.bob, scene.hub), comment=comment, reason="spam")
    services.comment_report(actor=reporter_create(scene.hub), comment=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.hidden_automatically


def test_the_same_person_cannot_report_twice(scene):
    comment = comment_create(scene.thread, author=scene.alice)
    services.comment_report(actor=scene.bob, comment=comment, reason="spam")

    with pytest.raises(ValidationError):
        services.comment_report(actor=scene.bob, comment=comment, reason="abuse")
    assert CommentReport.objects.filter(comment=comment).count() == 1

    # Not even after the reports were dismissed: it takes other people to hide it.
    services.reports_dismiss(actor=scene.coordinator, comment=comment, reason="Ingenting galt")
    with pytest.raises(ValidationError):
        services.comment_report(actor=scene.bob, comment=comment, reason="abuse")


def test_a_report_needs_a_known_reason_and_someone_elses_visible_comment(scene):
    comment = comment_create(scene.thread, author=scene.alice)
    with pytest.raises(ValidationError) as refused:
        services.comment_report(actor=scene.bob, comment=comment, reason="boring")
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.comment_report(actor=scene.bob, comment=comment, reason="other", note="n" * 1001)
    assert "note" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        services.comment_report(actor=scene.alice, comment=comment, reason="spam")
    assert not CommentReport.objects.exists()


# --- Moderation ---------------------------------------------------------------------------------


def _moderate(scene, kind: str):
    """Take moderation action ``kind`` as the hub's coordinator; returns what it concerns."""
    comment = comment_create(scene.thread, author=scene.alice, body="Noe")
    coordinator = scene.coordinator
    if kind == ModerationActionKind.HIDE:
        services.comment_hide(actor=coordinator, comment=comment, reason="Grunn")
    elif kind == ModerationActionKind.UNHIDE:
        Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now())
        comment.refresh_from_db()
        services.comment_unhide(actor=coordinator, comment=comment, reason="Grunn")
    elif kind == ModerationActionKind.DISMISS_REPORTS:
        services.comment_report(actor=scene.bob, comment=comment, reason="spam")
        services.reports_dismiss(actor=coordinator, comment=comment, reason="Grunn")
    elif kind == ModerationActionKind.LOCK:
        services.thread_lock(actor=coordinator, thread=scene.thread, reason="Grunn")
    elif kind == ModerationActionKind.UNLOCK:
        Thread.objects.filter(pk=scene.thread.pk).update(locked=True)
        scene.thread.refresh_from_db()
        services.thread_unlock(actor=coordinator, thread=scene.thread, reason="Grunn")
    elif kind == ModerationActionKind.PIN:
        services.thread_pin(actor=coordinator, thread=scene.topic, pinned=True)
    elif kind == ModerationActionKind.UNPIN:
        services.thread_pin(actor=coordinator, thread=scene.topic, pinned=False)
    elif kind == ModerationActionKind.SUSPEND:
        services.user_suspend(
            actor=coordinator,
            hub=scene.hub,
            user=scene.alice,
            ends_at=timezone.now() + timedelta(days=7),
            reason="Grunn",
        )
    elif kind == ModerationActionKind.LIFT_SUSPENSION:
        suspension = CommentingSuspension.objects.create(
            hub=scene.hub, user=scene.alice, ends_at=timezone.now() + timedelta(days=1), reason="Før", created_by=None
        )
        services.suspension_lift(actor=coordinator, suspension=suspension, reason="Grunn")
    return comment


LOGGED_KINDS = [kind for kind in ModerationActionKind.values if kind != ModerationActionKind.AUTO_HIDE]
WITH_REASON = set(LOGGED_KINDS) - {ModerationActionKind.PIN, ModerationActionKind.UNPIN}


@pytest.mark.parametrize("kind", LOGGED_KINDS)
def test_every_moderation_action_is_logged_with_who_when_and_why(scene, kind):
    before = timezone.now()
    _moderate(scene, kind)
    after = timezone.now()

    action = ModerationAction.objects.get(kind=kind)
    assert action.actor == scene.coordinator
    assert action.hub_id == scene.hub.pk
    assert before <= action.created_at <= after
    assert action.reason == ("Grunn" if kind in WITH_REASON else "")


@pytest.mark.parametrize(
    "act",
    [
        lambda scene, c: services.comment_hide(actor=scene.other_coordinator, comment=c, reason="x"),
        lambda scene, c: services.comment_unhide(actor=scene.other_coordinator, comment=c, reason="x"),
        lambda scene, c: services.reports_dismiss(actor=scene.other_coordinator, comment=c, reason="x"),
        lambda scene, c: services.thread_lock(actor=scene.other_coordinator, thread=scene.thread, reason="x"),
        lambda scene, c: services.thread_pin(actor=scene.other_coordinator, thread=scene.topic, pinned=True),
        lambda scene, c: services.user_suspend(
            actor=scene.other_coordinator,
            hub=scene.hub,
            user=scene.alice,
            ends_at=timezone.now() + timedelta(days=1),
            reason="x",
        ),
        lambda scene, c: services.comment_hide(actor=scene.alice, comment=c, reason="x"),
    ],
    ids=["hide", "unhide", "dismiss", "lock", "pin", "suspend", "hide-as-citizen"],
)
def test_only_the_hubs_coordinators_moderate(scene, act):
    comment = comment_create(scene.thread, author=scene.bob)
    with pytest.raises(PermissionDenied):
        act(scene, comment)
    assert not ModerationAction.objects.exists()
    assert not CommentingSuspension.objects.exists()


def test_hiding_needs_a_reason_and_resolves_the_reports(scene, django_capture_on_commit_callbacks):
    comment = comment_create(scene.thread, author=scene.alice, body="Frekt")
    services.comment_report(actor=scene.bob, comment=comment, reason="abuse")

    with pytest.raises(ValidationError) as refused:
        services.comment_hide(actor=scene.coordinator, comment=comment, reason="  ")
    assert "reason" in refused.value.error_dict
    comment.refresh_from_db()
    assert comment.is_visible and not ModerationAction.objects.exists()

    listener = Listener(scene.thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(actor=scene.coordinator, comment=comment, reason="Personangrep")
    comment.refresh_from_db()
    assert comment.is_hidden and not comment.hidden_automatically
    assert not comment.reports.filter(resolved_at__isnull=True).exists()
    assert listener.receive_frames()[1]["en"]["type"] == "comment.hidden"
    with pytest.raises(ValidationError):
        services.comment_hide(actor=scene.coordinator, comment=comment, reason="Igjen")


def test_keeping_a_comment_hidden_by_reports_changes_nothing_for_readers(scene, settings):
    settings.DISCUSSIONS_REPORTS_TO_HIDE = 1
    comment = comment_create(scene.thread, author=scene.alice)
    services.comment_report(actor=contribution_add(scene.bob, scene.hub), comment=comment, reason="spam")
    comment.refresh_from_db()
    seq = comment.seq

    services.comment_hide(actor=scene.coordinator, comment=comment, reason="Reklame")

    comment.refresh_from_db()
    assert comment.is_hidden and not comment.hidden_automatically
    assert comment.seq == seq
    assert not comment.reports.filter(resolved_at__isnull=True).exists()


def test_showing_a_hidden_comment_again(scene, django_capture_on_commit_callbacks):
    comment = comment_create(scene.thread, author=scene.alice, body="Greit")
    services.comment_hide(actor=scene.coordinator, comment=comment, reason="Usikker")
    listener = Listener(scene.thread)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_unhide(actor=scene.coordinator, comment=comment, reason="Sjekket")

    comment.refresh_from_db()
    assert comment.is_visible and comment.last_change == ChangeType.COMMENT_UNHIDDEN
    assert "Greit" in listener.receive_frames()[1]["en"]["html"]
    with pytest.raises(ValidationError):
        services.comment_unhide(actor=scene.coordinator, comment=comment, reason="Igjen")


def test_dismissing_reports_keeps_the_comment_and_shows_one_hidden_by_reports_again(scene, settings):
    settings.DISCUSSIONS_REPORTS_TO_HIDE = 2
    kept = comment_create(scene.thread, author=scene.alice, body="Uskyldig")
    services.comment_report(actor=scene.bob, comment=kept, reason="off_topic")

    assert services.reports_dismiss(actor=scene.coordinator, comment=kept, reason="Innenfor temaet") == 1
    kept.refresh_from_db()
    assert kept.is_visible
    assert not kept.reports.filter(resolved_at__isnull=True).exists()
    dismissal = ModerationAction.objects.get(kind=ModerationActionKind.DISMISS_REPORTS)
    assert (dismissal.comment_id, dismissal.reason) == (kept.pk, "Innenfor temaet")

    hidden = comment_create(scene.thread, author=scene.alice, body="Også uskyldig")
    services.comment_report(actor=contribution_add(scene.bob, scene.hub), comment=hidden, reason="spam")
    services.comment_report(actor=reporter_create(scene.hub), comment=hidden, reason="spam")
    hidden.refresh_from_db()
    assert hidden.hidden_automatically

    assert services.reports_dismiss(actor=scene.coordinator, comment=hidden, reason="") == 2
    hidden.refresh_from_db()
    assert hidden.is_visible and hidden.last_change == ChangeType.COMMENT_UNHIDDEN
    assert ModerationAction.objects.filter(kind=ModerationActionKind.UNHIDE, comment=hidden).exists()


def test_dismissing_when_nothing_is_reported_is_refused(scene):
    comment = comment_create(scene.thread, author=scene.alice)
    with pytest.raises(ValidationError):
        services.reports_dismiss(actor=scene.coordinator, comment=comment, reason="")
    assert not ModerationAction.objects.exists()


def test_a_locked_thread_takes_no_comments_but_from_its_coordinators(scene):
    services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Diskusjonen sporet av")
    thread = Thread.objects.get(pk=scene.thread.pk)

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.comment_post(actor=scene.alice, thread=thread, body="Hallo?")
    assert "locked" in str(refused.value)
    services.comment_post(actor=scene.coordinator, thread=thread, body="Vi tar en pause.")
    with pytest.raises(ValidationError):
        services.thread_lock(actor=scene.coordinator, thread=thread, reason="Igjen")
    with pytest.raises(ValidationError) as refused:
        services.thread_lock(actor=scene.coordinator, thread=scene.topic, reason="")
    assert "reason" in refused.value.error_dict

    services.thread_unlock(actor=scene.coordinator, thread=thread)
    thread.refresh_from_db()
    services.comment_post(actor=scene.alice, thread=thread, body="Takk!")


def test_pinning_puts_a_topic_first(scene):
    older = topic_create(scene.hub, title="Eldre")
    Thread.objects.filter(pk=older.pk).update(last_activity_at=timezone.now() - timedelta(days=3))

    services.thread_pin(actor=scene.coordinator, thread=older, pinned=True)

    assert list(Thread.objects.filter(hub=scene.hub, project=None))[0] == older


# --- Suspensions --------------------------------------------------------------------------------


def _suspend(scene, days: int = 7) -> CommentingSuspension:
    return services.user_suspend(
        actor=scene.coordinator,
        hub=scene.hub,
        user=scene.alice,
        ends_at=timezone.now() + timedelta(days=days),
        reason="Gjentatte personangrep",
    )


def test_a_suspension_stops_commenting_in_that_hub_only(scene):
    other_topic = topic_create(scene.other_hub, title="I Molde")
    own = comment_create(scene.thread, author=scene.alice, body="Fra før")
    may_post_again(scene.alice)

    _suspend(scene)

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.comment_post(actor=scene.alice, thread=scene.thread, body="Nei?")
    assert "suspended" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.comment_post(actor=scene.alice, thread=scene.topic, body="Her da?")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=scene.alice, comment=own, body="Endret")
    with pytest.raises(PermissionDenied):
        services.topic_open(actor=scene.alice, forum=scene.forum, title="Nytt", body="Tekst")
    # Their own comments stay theirs to delete, and the other hub is open to them.
    services.comment_delete(actor=scene.alice, comment=own)
    services.comment_post(actor=scene.alice, thread=other_topic, body="Hei Molde")


def test_a_suspension_ends_at_its_end(scene):
    suspension = _suspend(scene, days=7)
    with pytest.raises(PermissionDenied):
        services.comment_post(actor=scene.alice, thread=scene.thread, body="Nå?")

    # A week later: the suspension ended a second ago.
    CommentingSuspension.objects.filter(pk=suspension.pk).update(
        starts_at=F("starts_at") - timedelta(days=7), ends_at=timezone.now() - timedelta(seconds=1)
    )
    services.comment_post(actor=scene.alice, thread=scene.thread, body="Nå!")


def test_a_lifted_suspension_no_longer_applies(scene):
    suspension = _suspend(scene)

    services.suspension_lift(actor=scene.coordinator, suspension=suspension, reason="Beklaget seg")

    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    services.comment_post(actor=scene.alice, thread=scene.thread, body="Takk")
    lift = ModerationAction.objects.get(kind=ModerationActionKind.LIFT_SUSPENSION)
    assert (lift.user_id, lift.reason, lift.actor_id) == (scene.alice.pk, "Beklaget seg", scene.coordinator.pk)
    with pytest.raises(ValidationError):
        services.suspension_lift(actor=scene.coordinator, suspension=suspension)
    with pytest.raises(PermissionDenied):
        services.suspension_lift(actor=scene.other_coordinator, suspension=_suspend(scene))


@pytest.mark.parametrize(
    ("who", "ends_in", "reason"),
    [
        ("alice", timedelta(seconds=-1), "Grunn"),
        ("alice", timedelta(days=400), "Grunn"),
        ("alice", timedelta(days=7), ""),
        ("coordinator", timedelta(days=7), "Grunn"),
        ("other_coordinator_of_this_hub", timedelta(days=7), "Grunn"),
    ],
    ids=["ended", "over-a-year", "no-reason", "oneself", "a-coordinator"],
)
def test_a_suspension_must_make_sense(scene, who, ends_in, reason):
    from tests.partners.factories import coordinator_create

    users = {
        "alice": scene.alice,
        "coordinator": scene.coordinator,
        "other_coordinator_of_this_hub": coordinator_create(scene.hub),
    }
    with pytest.raises(ValidationError):
        services.user_suspend(
            actor=scene.coordinator, hub=scene.hub, user=users[who], ends_at=timezone.now() + ends_in, reason=reason
        )
    assert not CommentingSuspension.objects.exists()
    assert not ModerationAction.objects.exists()


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n\t  ", None])
def test_an_empty_comment_is_refused(scene, body):
    with pytest.raises(ValidationError) as refused:
        services.comment_post(actor=scene.alice, thread=scene.thread, body=body)
    assert refused.value.error_dict["body"][0].code == "required"
    assert not Comment.objects.exists()
    assert Thread.objects.get(pk=scene.thread.pk).last_seq == 0


def test_a_script_is_shown_as_text(scene):
    comment = services.comment_post(
        actor=scene.alice,
        thread=scene.thread,
        body='<script>alert("x")</script> <img src=x onerror=alert(1)> [klikk](javascript:alert(1))',
    )
    assert "<script" not in comment.html and "<img" not in comment.html
    assert "&lt;script&gt;" in comment.html
    assert 'href="javascript' not in comment.html
    assert comment.body.startswith("<script>")


def test_a_reply_stays_in_its_thread_and_one_level_deep(scene):
    elsewhere = comment_create(scene.topic, author=scene.bob)
    with pytest.raises(ValidationError) as refused:
        services.comment_post(actor=scene.alice, thread=scene.thread, body="Svar", reply_to=elsewhere)
    assert "reply_to" in refused.value.error_dict

    top = comment_create(scene.thread, author=scene.bob, body="Topp")
    reply = comment_create(scene.thread, author=scene.bob, body="Svar", reply_to=top)
    answer = services.comment_post(actor=scene.alice, thread=scene.thread, body="Svar på svar", reply_to=reply)
    assert answer.reply_to_id == top.pk


def test_a_deleted_comment_takes_no_replies(scene):
    gone = comment_create(scene.thread, author=scene.bob, deleted_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        services.comment_post(actor=scene.alice, thread=scene.thread, body="Hallo", reply_to=gone)
    assert "reply_to" in refused.value.error_dict


def test_a_mention_names_a_participant(scene):
    comment_create(scene.thread, author=scene.alice, body="Jeg er med")
    reply = services.comment_post(actor=scene.bob, thread=scene.thread, body="Enig med @alice berg!")
    assert list(reply.mentions.all()) == [scene.alice]
    assert f'<span class="mention" data-user="{scene.alice.pk}">@alice berg</span>' in reply.html


def test_editing_keeps_the_earlier_versions(scene, django_capture_on_commit_callbacks):
    comment = services.comment_post(actor=scene.alice, thread=scene.thread, body="Versjon 1")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(actor=scene.alice, comment=comment, body="Versjon 2")
        services.comment_edit(actor=scene.alice, comment=comment, body="Versjon 3")

    comment.refresh_from_db()
    assert comment.body == "Versjon 3" and "Versjon 3" in comment.html
    assert comment.edited_at is not None and comment.last_change == ChangeType.COMMENT_EDITED
    assert list(CommentRevision.objects.filter(comment=comment).values_list("body", flat=True)) == [
        "Versjon 2",
        "Versjon 1",
    ]
    seq = comment.seq
    services.comment_edit(actor=scene.alice, comment=comment, body="Versjon 3")
    comment.refresh_from_db()
    assert comment.seq == seq and CommentRevision.objects.filter(comment=comment).count() == 2
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=scene.bob, comment=comment, body="Kapret")


def test_deleting_leaves_a_placeholder(scene):
    comment = services.comment_post(actor=scene.alice, thread=scene.thread, body="Angrer")
    reply = comment_create(scene.thread, author=scene.bob, body="Svar", reply_to=comment)

    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=scene.bob, comment=comment)
    services.comment_delete(actor=scene.alice, comment=comment)

    comment.refresh_from_db()
    assert comment.is_deleted and comment.last_change == ChangeType.COMMENT_DELETED
    with translation.override("en"):
        html = live.comment_html(comment)
    assert "Comment deleted." in html and "Angrer" not in html
    reply.refresh_from_db()
    assert reply.reply_to_id == comment.pk
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=scene.alice, comment=comment)


# --- Topics and project threads -------------------------------------------------------------------


def test_opening_a_topic_makes_the_thread_and_its_first_comment(scene):
    thread, comment = services.topic_open(actor=scene.alice, forum=scene.forum, title=" Bysykler ", body="Hva med?")
    assert (thread.hub_id, thread.title, thread.author_id, thread.project_id) == (
        scene.hub.pk,
        "Bysykler",
        scene.alice.pk,
        None,
    )
    assert (comment.thread_id, comment.seq) == (thread.pk, 1)


@pytest.mark.parametrize(("title", "body", "field"), [("", "Tekst", "title"), ("t" * 201, "Tekst", "title")])
def test_a_topic_needs_a_title(scene, title, body, field):
    with pytest.raises(ValidationError) as refused:
        services.topic_open(actor=scene.alice, forum=scene.forum, title=title, body=body)
    assert field in refused.value.error_dict
    assert not Thread.objects.filter(author=scene.alice).exists()


def test_a_topic_with_a_bad_first_comment_is_not_opened(scene):
    with pytest.raises(ValidationError):
        services.topic_open(actor=scene.alice, forum=scene.forum, title="Tittel", body="  ")
    assert not Thread.objects.filter(author=scene.alice).exists()


def test_every_published_project_has_one_thread(scene):
    index = scene.project.get_parent().specific
    draft = project_create(index, live=False)
    assert not Thread.objects.filter(project=draft).exists()

    thread = services.project_thread_ensure(draft)
    assert services.project_thread_ensure(draft) == thread
    assert (thread.hub_id, thread.title) == (scene.hub.pk, draft.title)
    published = project_create(index)
    assert Thread.objects.filter(project=published).count() == 1
