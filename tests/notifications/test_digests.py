"""Daily and weekly digests: grouped by project and thread, skipped when there is nothing new, a
constant number of queries per batch of people."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discussions.models import Comment, CommentingSuspension
from discussions.permissions import forum_audiences
from notifications import services
from notifications.digests import MAX_ITEMS, send_digest_batch_task, send_digests, send_digests_task
from notifications.models import EmailFrequency, EmailPreference, EventKind, Notification
from tests.accounts.factories import UserFactory
from tests.discussions.factories import comment_create
from tests.notifications.email_backends import PATH as FLAKY_BACKEND
from tests.notifications.email_backends import FlakyEmailBackend
from tests.notifications.mail_helpers import BASE_URL, html_part, notify_one, prefer, users_bulk_create

pytestmark = pytest.mark.django_db

DAILY = EmailFrequency.DAILY


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.SITE_URL = BASE_URL


def _everything_daily(user):
    prefer(user, **dict.fromkeys(EventKind.values, DAILY))


def _comment_notification(scene, recipient, *, thread=None, body="Hei"):
    thread = thread or scene.thread
    comment = comment_create(thread, author=scene.bob, body=body)
    return notify_one(
        scene,
        EventKind.COMMENT,
        recipient,
        thread_id=thread.pk,
        comment_id=comment.pk,
        **({"project_id": thread.project_id} if thread.project_id else {}),
    )


def test_a_digest_groups_by_project_and_thread(scene):
    alice = scene.alice
    alice.preferred_language = "en"
    alice.save()
    _everything_daily(alice)
    _comment_notification(scene, alice, body="Første kommentar")
    notify_one(scene, EventKind.PROJECT_UPDATE, alice, actor=scene.lead_member, project_id=scene.project.pk)
    _comment_notification(scene, alice, thread=scene.topic, body="Om sykler")
    _comment_notification(scene, alice, body="Andre kommentar")
    notify_one(scene, EventKind.WAITING, alice, actor=scene.lead_member, partner_id=scene.lead.pk)
    # Decisions are e-mailed by the app that decides, never again in a digest.
    decision = notify_one(
        scene,
        EventKind.DECISION,
        alice,
        actor=scene.coordinator,
        data={"subject": "partnership", "status": "approved"},
        partner_id=scene.lead.pk,
    )

    run = send_digests(DAILY)

    assert (run.people, run.emails, run.notifications) == (1, 1, 5)
    [message] = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "Your daily digest: 5 new notifications"
    body = message.body
    # Projects first (their own news, then their discussion), then forum topics, then the rest.
    order = [
        "== Grønn havn ==",
        "* New progress update on “Grønn havn”",
        "-- Discussion: Grønn havn --",
        "Første kommentar",
        "Andre kommentar",
        "== Sykkelveier ==",
        "Om sykler",
        "== Other news ==",
        f"* The application from {scene.lead.name} waits for your decision",
    ]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions), body
    html = html_part(message)
    assert re.findall(r"<h2>(.*?)</h2>", html) == ["Grønn havn", "Sykkelveier", "Other news"]
    assert re.findall(r"<h3>(.*?)</h3>", html) == ["Discussion: Grønn havn"]
    assert f'href="{BASE_URL}{scene.project.url}#comment-1"' in html
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{BASE_URL}/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert list(Notification.objects.filter(recipient=alice, emailed_at__isnull=True)) == [decision]
    assert "approved partner" not in body


def test_nothing_new_means_no_digest(scene):
    _everything_daily(scene.alice)
    _comment_notification(scene, scene.alice)
    send_digests(DAILY)
    mail.outbox.clear()

    run = send_digests(DAILY)

    assert (run.people, run.emails) == (0, 0)
    assert mail.outbox == []


def test_what_was_read_in_the_site_is_left_out_and_alone_sends_nothing(scene):
    _everything_daily(scene.alice)
    _everything_daily(scene.bob)
    seen = _comment_notification(scene, scene.alice, body="Sett allerede")
    services.mark_read(user=scene.alice)
    _comment_notification(scene, scene.alice, body="Ny sak")
    notify_one(scene, EventKind.MENTION, scene.bob, actor=scene.alice)
    services.mark_read(user=scene.bob)

    send_digests(DAILY)

    [message] = mail.outbox
    assert message.to == [scene.alice.email]
    assert "Ny sak" in message.body and "Sett allerede" not in message.body
    seen.refresh_from_db()
    assert seen.emailed_at is None


def test_daily_and_weekly_digests_take_their_own_kinds(scene):
    prefer(scene.alice, comment=DAILY)  # project updates stay weekly (the default)
    _comment_notification(scene, scene.alice, body="Daglig")
    notify_one(scene, EventKind.PROJECT_UPDATE, scene.alice, actor=scene.lead_member, project_id=scene.project.pk)
    notify_one(scene, EventKind.REPLY, scene.alice)  # immediately by default: in no digest

    send_digests(DAILY)
    [daily] = mail.outbox
    assert "Daglig" in daily.body and "Grønn havn ==" in daily.body
    assert daily.body.count("\n* ") == 1

    send_digests(EmailFrequency.WEEKLY)
    weekly = mail.outbox[1]
    assert weekly.body.count("\n* ") == 1 and "Daglig" not in weekly.body
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=True).get().kind == EventKind.REPLY


def test_what_the_person_can_no_longer_see_is_left_out(scene):
    _everything_daily(scene.alice)
    hidden = _comment_notification(scene, scene.alice, body="Skjult senere")
    _comment_notification(scene, scene.alice, body="Synlig")
    Comment.objects.filter(pk=hidden.comment_id).update(hidden_at=timezone.now())

    send_digests(DAILY)

    [message] = mail.outbox
    assert "Synlig" in message.body and "Skjult senere" not in message.body
    hidden.refresh_from_db()
    assert hidden.emailed_at is None


def test_suspended_and_inactive_people_get_no_digest(scene):
    _everything_daily(scene.alice)
    _everything_daily(scene.coordinator)
    _comment_notification(scene, scene.alice)
    _comment_notification(scene, scene.coordinator)
    CommentingSuspension.objects.create(
        hub=scene.hub, user=scene.alice, ends_at=timezone.now() + timedelta(days=3), reason="Spam"
    )
    scene.coordinator.is_active = False
    scene.coordinator.save()

    run = send_digests(DAILY)

    assert run.emails == 0 and mail.outbox == []


def test_a_long_digest_lists_the_newest_and_counts_the_rest(scene):
    _everything_daily(scene.alice)
    scene.alice.preferred_language = "en"
    scene.alice.save()
    for number in range(MAX_ITEMS + 3):
        _comment_notification(scene, scene.alice, body=f"Kommentar nummer {number:03}")

    send_digests(DAILY)

    [message] = mail.outbox
    assert message.body.count("\n* ") == MAX_ITEMS
    assert "Kommentar nummer 002" not in message.body and "Kommentar nummer 052" in message.body
    assert "…and 3 earlier notifications on the site." in message.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_failed_digest_is_sent_again_to_those_people_only(scene, settings):
    settings.EMAIL_BACKEND = FLAKY_BACKEND
    _everything_daily(scene.alice)
    _everything_daily(scene.bob)
    _comment_notification(scene, scene.alice)
    notify_one(scene, EventKind.MENTION, scene.bob, actor=scene.alice)
    FlakyEmailBackend.reset(failures=1)

    result = send_digests_task.enqueue(frequency=DAILY).return_value

    # One batch queued; the first person's digest failed in it, and the retry (both run at once by
    # the test settings' backend) sent it.
    assert result == {"people": 2, "batches": 1}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([scene.alice.email, scene.bob.email])
    assert FlakyEmailBackend.attempts == 3
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_command_queues_the_digests_or_sends_them_now(scene, capsys):
    _everything_daily(scene.alice)
    _comment_notification(scene, scene.alice)

    call_command("send_digests", "weekly", "--now")
    assert "0 weekly digests sent to 0 people" in capsys.readouterr().out

    call_command("send_digests", "daily")  # queued; the test settings' backend runs it at once
    assert "Queued the daily digests" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def _people_with_news(scene, count: int) -> list[int]:
    users = users_bulk_create(count, prefix=f"digest{count}-")
    EmailPreference.objects.bulk_create(
        [EmailPreference(user=user, kind=kind, frequency=DAILY) for user in users for kind in EventKind.values]
    )
    ids = [user.pk for user in users]
    comment = comment_create(scene.thread, author=scene.bob)
    about = {"actor_id": scene.bob.pk, "hub_id": scene.hub.pk, "url": scene.project.url}
    services.notify(
        kind=EventKind.COMMENT,
        recipient_ids=ids,
        thread_id=scene.thread.pk,
        project_id=scene.project.pk,
        comment_id=comment.pk,
        **about,
    )
    services.notify(kind=EventKind.NEW_PROJECT, recipient_ids=ids, project_id=scene.project.pk, **about)
    services.notify(kind=EventKind.COMMENT, recipient_ids=ids, thread_id=scene.topic.pk, **about)
    return ids


def _queries_of_one_batch(people: list[int]) -> tuple[int, int]:
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        run = send_digests(DAILY, batch_size=len(people), user_ids=people)
    assert run.batches == 1 and run.emails == len(people) == len(mail.outbox)
    return len(queries), run.notifications


def test_a_batch_costs_a_fixed_number_of_queries_and_one_write_per_digest_sent(scene):
    few = _people_with_news(scene, 10)
    many = _people_with_news(scene, 200)
    # Which forums are private comes from the versioned cache, filled once per content version.
    forum_audiences()

    few_queries, few_notifications = _queries_of_one_batch(few)
    many_queries, many_notifications = _queries_of_one_batch(many)

    assert (few_notifications, many_notifications) == (30, 600)
    # Each digest is marked sent as it goes out, so that a worker killed mid-batch sends none twice.
    # On PostgreSQL two more statements turn synchronous_commit off for the marks and back on.
    fixed = 8 + (2 if connection.vendor == "postgresql" else 0)
    assert few_queries - 10 == many_queries - 200 <= fixed


def test_people_are_taken_in_batches(scene):
    people = _people_with_news(scene, 25)
    seen = []

    run = send_digests(DAILY, batch_size=10, on_batch=lambda people, emails: seen.append((people, emails)))

    assert seen == [(10, 10), (10, 10), (5, 5)]
    assert run.emails == 25
    assert {m.to[0] for m in mail.outbox} == set(
        UserFactory._meta.model.objects.filter(pk__in=people).values_list("email", flat=True)
    )


def test_the_run_is_queued_as_one_task_per_batch_for_every_worker_to_take(scene, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    people = _people_with_news(scene, 25)
    backend = send_digest_batch_task.get_backend()

    planned = send_digests_task.call(frequency=DAILY, batch_size=10)

    batches = [r for r in backend.results if r.task.name == send_digest_batch_task.name]
    assert planned == {"people": 25, "batches": 3}
    assert [r.kwargs["user_ids"] for r in batches] == [people[:10], people[10:20], people[20:]]
    assert not mail.outbox, "the planning task sends nothing itself"

    # A batch sends to its own people only, however many others have news.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = send_digest_batch_task.enqueue(**batches[1].kwargs).return_value
    assert result == {"people": 10, "emails": 10, "failed": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        UserFactory._meta.model.objects.filter(pk__in=people[10:20]).values_list("email", flat=True)
    )
