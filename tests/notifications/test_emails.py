"""E-mail preferences, the preferences page, and immediate e-mails (sent by a task, retried on failure)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from cms.models import HubPage
from discussions.models import Comment, CommentingSuspension, CommentReport
from notifications import emails, services
from notifications.emails import (
    EMAILED_BY_SOURCE,
    MAX_ATTEMPTS,
    email_frequencies,
    email_preferences_save,
    send_immediate_emails,
)
from notifications.models import EmailFrequency, EmailPreference, EventKind, Notification
from tests.accounts.factories import UserFactory
from tests.notifications.email_backends import PATH as FLAKY_BACKEND
from tests.notifications.email_backends import FlakyEmailBackend
from tests.notifications.mail_helpers import BASE_URL, html_part, notify_one, prefer
from tests.projects.factories import project_create

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.SITE_URL = BASE_URL


# --- Preferences ----------------------------------------------------------------------------------


def test_replies_mentions_decisions_and_waiting_items_come_at_once_by_default_the_rest_weekly():
    user = UserFactory()

    frequencies = email_frequencies(user)

    assert list(frequencies) == list(EventKind.values)
    immediate = {kind for kind, frequency in frequencies.items() if frequency == EmailFrequency.IMMEDIATELY}
    assert immediate == {
        EventKind.REPLY,
        EventKind.MENTION,
        EventKind.DECISION,
        EventKind.WAITING,
        EventKind.EVENT_REMINDER,
        EventKind.EVENT_REGISTRATION,
        EventKind.CHALLENGE,  # equal treatment: suppliers hear of answers and results at once
    }
    assert {frequencies[k] for k in set(EventKind.values) - immediate} == {EmailFrequency.WEEKLY}


def test_saving_preferences_stores_every_kind():
    user = UserFactory()

    email_preferences_save(user=user, frequencies={EventKind.COMMENT: EmailFrequency.DAILY})

    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency"))
    assert stored[EventKind.COMMENT] == EmailFrequency.DAILY
    assert stored[EventKind.REPLY] == EmailFrequency.IMMEDIATELY
    assert set(stored) == set(EventKind.values)


def test_saving_an_unknown_frequency_changes_nothing():
    user = UserFactory()
    prefer(user, comment=EmailFrequency.DAILY)

    with pytest.raises(Exception, match="Unknown"), translation.override("en"):
        email_preferences_save(
            user=user, frequencies={EventKind.REPLY: EmailFrequency.NEVER, EventKind.MENTION: "hourly"}
        )

    assert dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency")) == {
        EventKind.COMMENT: EmailFrequency.DAILY
    }


def test_the_preferences_page_needs_a_login(client):
    response = client.get(reverse("notifications:email_settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_preferences_page_is_one_table_a_row_and_a_radio_group_per_kind_with_the_current_choice(client):
    user = UserFactory()
    prefer(user, comment=EmailFrequency.DAILY)
    client.force_login(user)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("notifications:email_settings")).content.decode()

    chosen_here = [kind for kind in EventKind if kind not in EMAILED_BY_SOURCE]
    assert html.count('<table class="email-choices">') == 1
    assert html.count('<th scope="row">') == len(chosen_here)
    for value, label in EmailFrequency.choices:
        assert f'<th scope="col" id="frequency-{value}">{label}</th>' in html
    for kind in chosen_here:
        assert f'<span id="kind-{kind.value}">{kind.label}</span>' in html
    assert f"kind-{EventKind.DECISION.value}" not in html
    checked = dict(re.findall(r'<input type="radio"[^>]* name="(\w+)" value="(\w+)"[^>]*checked', html))
    assert checked == {kind.value: email_frequencies(user)[kind] for kind in chosen_here}
    assert checked[EventKind.COMMENT] == EmailFrequency.DAILY
    # Each radio is named by its row and its column; both ids exist, and every radio has a label too.
    radios = re.findall(
        r'<input type="radio"[^>]* name="(\w+)" value="(\w+)" id="([^"]+)" aria-labelledby="([^"]+)"', html
    )
    assert len(radios) == len(chosen_here) * len(EmailFrequency.choices)
    for name, value, input_id, labelled_by in radios:
        assert labelled_by == f"kind-{name} frequency-{value}"
        assert f'for="{input_id}"' in html


def test_the_preferences_page_saves_every_choice(client):
    user = UserFactory()
    client.force_login(user)
    choices = {kind: EmailFrequency.NEVER for kind in EventKind.values if kind not in EMAILED_BY_SOURCE}
    choices[EventKind.MENTION] = EmailFrequency.DAILY

    response = client.post(reverse("notifications:email_settings"), choices)

    assert response.status_code == 302
    assert email_frequencies(user) == choices | {EventKind.DECISION: EmailFrequency.IMMEDIATELY}


def test_the_preferences_page_refuses_an_invalid_choice_and_saves_nothing(client):
    user = UserFactory()
    client.force_login(user)
    choices = dict.fromkeys(EventKind.values, EmailFrequency.NEVER) | {EventKind.MENTION: "hourly"}

    response = client.post(reverse("notifications:email_settings"), choices)

    assert response.status_code == 200
    assert 'class="ds-error-summary"' in response.content.decode()
    assert not EmailPreference.objects.filter(user=user).exists()


def test_the_profile_page_links_to_the_preferences_page(client):
    client.force_login(UserFactory())

    html = client.get(reverse("profile")).content.decode()

    assert f'href="{reverse("notifications:email_settings")}"' in html


# --- Immediate e-mails -----------------------------------------------------------------------------


def test_a_reply_is_emailed_at_once_with_text_html_and_unsubscribe_headers(scene, django_capture_on_commit_callbacks):
    prefer(scene.alice)
    scene.alice.preferred_language = "en"
    scene.alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_one(scene, EventKind.REPLY, scene.alice)

    [message] = mail.outbox
    assert message.to == [scene.alice.email]
    assert message.subject == "Bob Dahl replied to your comment in “Grønn havn”"
    assert "Enig." in message.body  # the reply itself
    assert f"{BASE_URL}{scene.project.url}#comment-1" in message.body
    html = html_part(message)
    assert '<html lang="en">' in html
    assert f'href="{BASE_URL}{scene.project.url}#comment-1"' in html
    unsubscribe = re.fullmatch(
        r"<(https://dugnad\.example/notifications/unsubscribe/[^/]+/)>", message.extra_headers["List-Unsubscribe"]
    )
    assert unsubscribe, message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.group(1) in message.body and unsubscribe.group(1) in html
    assert f"{BASE_URL}{reverse('notifications:email_settings')}" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_kinds_wanted_in_a_digest_or_never_are_not_emailed_at_once(scene, django_capture_on_commit_callbacks):
    prefer(scene.alice, reply=EmailFrequency.NEVER)
    prefer(scene.bob, mention=EmailFrequency.DAILY)
    citizen = UserFactory()
    prefer(citizen, comment=EmailFrequency.IMMEDIATELY)

    with django_capture_on_commit_callbacks(execute=True):
        notify_one(scene, EventKind.REPLY, scene.alice)
        notify_one(scene, EventKind.MENTION, scene.bob, actor=scene.alice)
        notify_one(scene, EventKind.COMMENT, scene.coordinator)  # weekly by default
        notify_one(scene, EventKind.COMMENT, citizen)

    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert Notification.objects.filter(emailed_at__isnull=False).get().recipient == citizen


def _hide_comment(scene):
    Comment.objects.filter(author=scene.bob).update(hidden_at=timezone.now())


def _delete_comment(scene):
    Comment.objects.filter(author=scene.bob).update(deleted_at=timezone.now())


def _unpublish_project(scene):
    scene.project.unpublish()


def _restrict_project(scene):
    PageViewRestriction.objects.create(page=scene.project, restriction_type=PageViewRestriction.LOGIN)


def _restrict_hub(scene):
    PageViewRestriction.objects.create(page=scene.hub, restriction_type=PageViewRestriction.PASSWORD, password="x")


def _read_in_the_site(scene):
    services.mark_read(user=scene.alice)


def _deactivate(scene):
    scene.alice.is_active = False
    scene.alice.save()


def _suspend(scene):
    CommentingSuspension.objects.create(
        hub=scene.hub, user=scene.alice, ends_at=timezone.now() + timedelta(days=7), reason="Spam"
    )


@pytest.mark.parametrize(
    "meanwhile",
    [
        _hide_comment,
        _delete_comment,
        _unpublish_project,
        _restrict_project,
        _restrict_hub,
        _read_in_the_site,
        _deactivate,
        _suspend,
    ],
)
def test_nothing_is_emailed_about_what_changed_before_the_task_ran(
    scene, django_capture_on_commit_callbacks, meanwhile
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = notify_one(scene, EventKind.REPLY, scene.alice)
    meanwhile(scene)

    for callback in callbacks:
        callback()

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_the_same_notification_is_emailed_once(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_one(scene, EventKind.REPLY, scene.alice)

    send_immediate_emails.enqueue(notification_ids=[notification.pk])

    assert len(mail.outbox) == 1


def test_a_report_of_a_hidden_comment_still_reaches_the_coordinators(scene, django_capture_on_commit_callbacks):
    prefer(scene.coordinator, waiting=EmailFrequency.IMMEDIATELY)
    # The report is still open when the e-mail goes out (one that was dealt with no longer waits).
    CommentReport.objects.create(comment=Comment.objects.get(author=scene.bob), reporter=scene.alice, reason="spam")
    with django_capture_on_commit_callbacks() as callbacks:
        notify_one(scene, EventKind.WAITING, scene.coordinator, actor=scene.alice, data={"subject": "report"})
    _hide_comment(scene)

    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == [scene.coordinator.email]
    assert "Enig." not in message.body  # a hidden comment's text is not mailed around


def test_a_decision_is_not_emailed_twice(scene, django_capture_on_commit_callbacks):
    """projects.emails and partners.emails already tell people of decisions, with the reasons."""
    draft = project_create(scene.index, title="Ny benk", live=False, proposed_by=scene.proposer)

    with django_capture_on_commit_callbacks(execute=True):
        decision = notify_one(
            scene,
            EventKind.DECISION,
            scene.proposer,
            actor=scene.coordinator,
            data={"subject": "proposal", "decision": "changes_requested", "comment": "Legg til et budsjett."},
            project_id=draft.pk,
        )

    assert mail.outbox == []
    decision.refresh_from_db()
    assert decision.emailed_at is None and decision.read_at is None


def test_a_new_comment_in_a_draft_projects_thread_is_not_emailed(scene, django_capture_on_commit_callbacks):
    prefer(scene.alice, comment=EmailFrequency.IMMEDIATELY)
    draft = project_create(scene.index, title="Hemmelig", live=False)

    with django_capture_on_commit_callbacks(execute=True):
        notify_one(scene, EventKind.COMMENT, scene.alice, project_id=draft.pk)

    assert mail.outbox == []


def test_each_person_reads_it_in_their_own_language(scene, django_capture_on_commit_callbacks):
    HubPage.objects.filter(pk=scene.hub.pk).update(default_language="nn")
    scene.alice.preferred_language = "en"
    scene.alice.save()
    prefer(scene.alice, project_status=EmailFrequency.IMMEDIATELY)
    prefer(scene.bob, project_status=EmailFrequency.IMMEDIATELY)
    status = {"status": "active", "previous_status": "planned"}

    with django_capture_on_commit_callbacks(execute=True):
        for person in (scene.alice, scene.bob):
            notify_one(
                scene,
                EventKind.PROJECT_STATUS,
                person,
                actor=scene.coordinator,
                data=status,
                project_id=scene.project.pk,
            )

    by_recipient = {m.to[0]: m for m in mail.outbox}
    english, nynorsk = by_recipient[scene.alice.email], by_recipient[scene.bob.email]
    assert "Active" in english.subject and '<html lang="en">' in html_part(english)
    # Bob has no preferred language: the hub's (Nynorsk) applies.
    assert "I gang" in nynorsk.subject and '<html lang="nn">' in html_part(nynorsk)


def test_emails_are_sent_only_after_the_commit(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify_one(scene, EventKind.REPLY, scene.alice)
        assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1


# --- Retries ---------------------------------------------------------------------------------------


# The worker takes tasks in a transaction of its own (BEGIN EXCLUSIVE on SQLite): real commits here.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_send_is_tried_again_later_by_the_worker(scene, settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = FLAKY_BACKEND
    FlakyEmailBackend.reset(failures=1)
    notification = notify_one(scene, EventKind.REPLY, scene.alice)  # commits; e-mails are queued on commit
    assert mail.outbox == [], "the request that caused it only queues the e-mail"
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay")

    assert FlakyEmailBackend.attempts == 1 and mail.outbox == []
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "SUCCESSFUL"  # the failure did not escape the task
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"] == {"attempt": 2, "notification_ids": [notification.pk]}
    assert retry.run_after > timezone.now() + timedelta(seconds=50)

    call_command("db_worker", "--batch", "--no-startup-delay")
    assert mail.outbox == [], "not before its time"

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute passes
    call_command("db_worker", "--batch", "--no-startup-delay")

    [message] = mail.outbox
    assert message.to == [scene.alice.email]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_a_mail_server_that_never_answers_is_given_up_on_without_an_error_in_the_request(
    scene, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = FLAKY_BACKEND
    FlakyEmailBackend.reset(failures=1000)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_one(scene, EventKind.REPLY, scene.alice)

    assert FlakyEmailBackend.attempts == MAX_ATTEMPTS
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert [r.name for r in caplog.records if r.levelname == "ERROR"] == ["notifications.emails"]
    caplog.clear()  # the give-up is expected here


def test_a_failure_for_one_recipient_does_not_hold_back_the_others(scene, settings):
    settings.EMAIL_BACKEND = FLAKY_BACKEND
    first = notify_one(scene, EventKind.REPLY, scene.alice)
    second = notify_one(scene, EventKind.MENTION, scene.coordinator)
    FlakyEmailBackend.reset(failures=1)

    result = emails.send_immediate_emails.enqueue(notification_ids=[first.pk, second.pk]).return_value

    # The first send failed and was retried at once (the test settings' backend cannot wait).
    assert result == {"sent": 1, "failed": 1}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([scene.alice.email, scene.coordinator.email])
    assert Notification.objects.filter(pk__in=[first.pk, second.pk], emailed_at__isnull=True).count() == 0
