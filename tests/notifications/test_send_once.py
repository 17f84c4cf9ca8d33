"""Each e-mail is sent once: claims, marks as each message goes out, and the worker's recovery of
tasks a dead worker left running (notifications.emails, notifications/management/commands/db_worker.py).

A worker really killed mid-batch against a real SMTP server is tests/e2e/test_faults_worker.py; here
the database is put in the state such a kill leaves, and the next worker must finish the job.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import emails
from notifications.digests import send_digests
from notifications.models import EmailFrequency, EventKind, Notification
from tests.notifications.mail_helpers import notify_one, prefer

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _three_replies(scene) -> list[Notification]:
    people = (scene.alice, scene.coordinator, scene.lead_member)
    return [notify_one(scene, EventKind.REPLY, person) for person in people]


def _left_by_a_killed_worker(task_id: str, notifications: list[Notification], *, sent: int, age: timedelta) -> None:
    """What a worker killed while sending leaves: the task running since ``age`` ago, every
    notification claimed by the task, the first ``sent`` of them marked e-mailed."""
    started = timezone.now() - age
    DBTaskResult.objects.filter(pk=task_id).update(status="RUNNING", started_at=started, worker_ids=["dead"])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        email_claim=task_id, email_claimed_at=started
    )
    emails.mark_emailed([n.pk for n in notifications[:sent]])


# The worker takes tasks in a transaction of its own (BEGIN EXCLUSIVE on SQLite): real commits here.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_a_dead_worker_left_running_is_run_again_and_sends_only_what_was_not_sent(scene, settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_ABANDONED_AFTER_SECONDS = 60
    replies = _three_replies(scene)  # each commits and queues its e-mail: three tasks
    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(tasks) == 3
    DBTaskResult.objects.exclude(pk=tasks[0].pk).delete()
    # One task for the three, as a batch of replies to one comment would be.
    DBTaskResult.objects.filter(pk=tasks[0].pk).update(
        args_kwargs={"args": [], "kwargs": {"notification_ids": [n.pk for n in replies]}}
    )
    task_id = str(tasks[0].pk)

    _left_by_a_killed_worker(task_id, replies, sent=1, age=timedelta(seconds=30))
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert mail.outbox == [], "thirty seconds: its worker may still be sending"
    assert DBTaskResult.objects.get(pk=task_id).status == "RUNNING"

    DBTaskResult.objects.filter(pk=task_id).update(started_at=timezone.now() - timedelta(seconds=61))
    call_command("db_worker", "--batch", "--no-startup-delay")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([scene.coordinator.email, scene.lead_member.email])
    assert DBTaskResult.objects.get(pk=task_id).status == "SUCCESSFUL"
    assert not Notification.objects.filter(pk__in=[n.pk for n in replies], emailed_at__isnull=True).exists()
    assert not Notification.objects.exclude(email_claim="").exists(), "every claim freed"
    # The same Message-ID a repeat of the same task would carry.
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == {
        emails.message_id(task_id, [n.pk]) for n in replies[1:]
    }


def test_what_another_run_has_claimed_is_not_sent_until_its_claim_is_abandoned(scene, settings):
    settings.TASKS_ABANDONED_AFTER_SECONDS = 60
    reply = notify_one(scene, EventKind.REPLY, scene.alice)
    mail.outbox.clear()
    Notification.objects.filter(pk=reply.pk).update(email_claim="another-run", email_claimed_at=timezone.now())

    assert emails.send_immediate_emails.enqueue(notification_ids=[reply.pk]).return_value == {"sent": 0, "failed": 0}
    assert mail.outbox == []

    Notification.objects.filter(pk=reply.pk).update(email_claimed_at=timezone.now() - timedelta(seconds=61))
    assert emails.send_immediate_emails.enqueue(notification_ids=[reply.pk]).return_value == {"sent": 1, "failed": 0}
    [message] = mail.outbox
    assert message.to == [scene.alice.email]


def test_a_digest_run_again_after_a_kill_sends_only_the_digests_not_yet_marked(scene):
    for person in (scene.alice, scene.lead_member):
        prefer(person, **{EventKind.REPLY: EmailFrequency.DAILY})
    replies = [notify_one(scene, EventKind.REPLY, person) for person in (scene.alice, scene.lead_member)]
    Notification.objects.filter(pk__in=[n.pk for n in replies]).update(
        email_claim="digest-run", email_claimed_at=timezone.now()
    )
    emails.mark_emailed([replies[0].pk])

    run = send_digests(EmailFrequency.DAILY, token="digest-run")

    assert run.emails == 1
    [message] = mail.outbox
    assert message.to == [scene.lead_member.email]
    assert message.extra_headers["Message-ID"] == emails.message_id("digest-run", [replies[1].pk])


def test_a_failed_send_frees_its_claim_for_the_retry(scene, settings):
    from tests.notifications.email_backends import PATH, FlakyEmailBackend

    settings.EMAIL_BACKEND = PATH
    FlakyEmailBackend.reset(failures=1000)
    settings.TASKS_ABANDONED_AFTER_SECONDS = 3600
    reply = notify_one(scene, EventKind.REPLY, scene.alice)  # every attempt fails (the test backend retries at once)

    reply.refresh_from_db()
    assert reply.emailed_at is None
    assert reply.email_claim == "", "a later run may take it at once"
