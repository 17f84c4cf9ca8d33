"""Auto-hiding by reports resists sock puppets (README, "Moderation"): reports weigh 0 (accounts
younger than a day or without a verified address), 0.5 (no accepted contribution) or 1; comments by
coordinators and partners' people are never hidden by reports, only queued; and many reports on
one person within the window are flagged to the coordinators."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussions import events, services
from discussions.permissions import report_weight
from tests.accounts.factories import UserFactory
from tests.discussions.factories import (
    comment_create,
    commenter_create,
    contribution_add,
    reporter_create,
    thread_scene_create,
)
from tests.partners.factories import member_add, partner_create
from tests.projects.admin_support import in_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return thread_scene_create()


def _report_all(comment, reporters):
    for reporter in reporters:
        services.comment_report(actor=reporter, comment=comment, reason="abuse")
    comment.refresh_from_db()
    return comment


def test_a_report_weighs_by_the_reporters_standing(scene):
    hub = scene.hub
    assert report_weight(commenter_create(new=True), hub) == 0  # younger than a day
    assert report_weight(UserFactory(date_joined=timezone.now() - timedelta(days=30)), hub) == 0  # unverified
    assert report_weight(commenter_create(), hub) == 0.5  # no accepted contribution
    assert report_weight(reporter_create(hub), hub) == 1  # a comment older than a day
    partner_person = commenter_create()
    member_add(partner_create(), user=partner_person)
    assert report_weight(partner_person, hub) == 1
    assert report_weight(scene.coordinator, hub) == 1
    fresh_comment = commenter_create()
    comment_create(scene.thread, author=fresh_comment)  # written just now: not yet accepted
    assert report_weight(fresh_comment, hub) == 0.5


def test_three_brand_new_accounts_hide_nothing(scene):
    comment = comment_create(scene.thread, author=scene.alice, body="Upopulær mening")
    comment = _report_all(comment, [commenter_create(new=True) for _ in range(3)])
    assert comment.is_visible
    assert comment.reports.filter(resolved_at__isnull=True).count() == 3  # the queue still has them


def test_established_accounts_without_contributions_count_half(scene):
    comment = comment_create(scene.thread, author=scene.alice)
    comment = _report_all(comment, [commenter_create() for _ in range(5)])
    assert comment.is_visible  # 2.5 < 3
    comment = _report_all(comment, [commenter_create()])
    assert comment.is_hidden and comment.hidden_automatically  # 3.0


def test_three_established_contributors_hide_a_comment(scene):
    comment = comment_create(scene.thread, author=scene.alice)
    comment = _report_all(comment, [reporter_create(scene.hub) for _ in range(3)])
    assert comment.is_hidden and comment.hidden_automatically


@pytest.mark.parametrize("author", ["coordinator", "partner_person"])
def test_coordinators_and_partners_comments_go_to_the_queue_instead_of_hiding(scene, author):
    if author == "coordinator":
        person = scene.coordinator
    else:
        person = commenter_create()
        member_add(partner_create(), user=person)
    comment = comment_create(scene.thread, author=person, body="Offisielt svar")
    comment = _report_all(comment, [reporter_create(scene.hub) for _ in range(5)])
    assert comment.is_visible
    client = Client()
    client.force_login(in_english(scene.coordinator))
    queue = client.get(reverse("discussions_admin_queue")).content.decode()
    assert "Offisielt svar" in queue


def test_a_burst_of_reports_on_one_person_is_flagged_once(scene, settings, django_capture_on_commit_callbacks):
    settings.DISCUSSIONS_REPORT_BURST = 4
    target = commenter_create(display_name="Utsatt Person")
    heard = []

    def listener(sender, **kwargs):
        heard.append((kwargs["hub"].pk, kwargs["user"].pk, kwargs["count"]))

    events.reports_burst.connect(listener)
    try:
        comments = [comment_create(scene.thread, author=target, body=f"Innlegg {n}") for n in range(3)]
        reporters = [commenter_create(new=True) for _ in range(2)]
        with django_capture_on_commit_callbacks(execute=True):
            for comment in comments:
                for reporter in reporters:
                    services.comment_report(actor=reporter, comment=comment, reason="abuse")
    finally:
        events.reports_burst.disconnect(listener)
    assert heard == [(scene.hub.pk, target.pk, 4)]

    client = Client()
    client.force_login(in_english(scene.coordinator))
    queue = client.get(reverse("discussions_admin_queue")).content.decode()
    assert "Many reports on one person" in queue and "Utsatt Person" in queue
    other = Client()
    other.force_login(in_english(scene.other_coordinator))
    assert "Utsatt Person" not in other.get(reverse("discussions_admin_queue")).content.decode()


def test_old_reports_make_no_burst(scene, settings):
    settings.DISCUSSIONS_REPORT_BURST = 2
    target = commenter_create(display_name="Gammel Sak")
    comment = comment_create(scene.thread, author=target)
    for reporter in (commenter_create(), contribution_add(commenter_create(), scene.hub)):
        services.comment_report(actor=reporter, comment=comment, reason="spam")
    comment.reports.update(created_at=timezone.now() - timedelta(hours=2))
    client = Client()
    client.force_login(in_english(scene.coordinator))
    assert "Many reports on one person" not in client.get(reverse("discussions_admin_queue")).content.decode()
