"""Moderation in the Wagtail admin: the queue, threads, suspensions, the log, the menu and the dashboard.

Coordinators of one hub never see or act on another hub's items; site administrators see all;
every action is a POST with CSRF that goes through the services.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import SITE_ADMINISTRATORS
from discussions import services
from discussions.models import (
    Comment,
    CommentingSuspension,
    CommentReport,
    ModerationAction,
    ModerationActionKind,
    Thread,
)
from tests.accounts.factories import UserFactory
from tests.discussions.factories import (
    comment_create,
    commenter_create,
    reporter_create,
    thread_scene_create,
    topic_create,
)
from tests.projects.admin_support import in_english

pytestmark = pytest.mark.django_db

QUEUE = reverse("discussions_admin_queue")
THREADS = reverse("discussion_thread_admin:index")
SUSPENSIONS = reverse("commenting_suspension_admin:index")
SUSPEND = reverse("commenting_suspension_admin:add")
LOG = reverse("moderation_log_admin:index")


@pytest.fixture
def scene():
    scene = thread_scene_create()
    in_english(scene.coordinator)
    in_english(scene.other_coordinator)
    return scene


@pytest.fixture
def site_administrator():
    user = in_english(UserFactory(verified=True))
    user.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    return user


def report(comment, *, reason="abuse", note="", reporter=None):
    reporter = reporter or reporter_create(comment.thread.hub)
    return services.comment_report(actor=reporter, comment=comment, reason=reason, note=note)


def reported(thread, body, *, author, reports=1, **report_fields) -> Comment:
    comment = comment_create(thread, author=author, body=body)
    for _ in range(reports):
        report(comment, **report_fields)
    comment.refresh_from_db()
    return comment


def thread_url(thread) -> str:
    return reverse("discussion_thread_admin:inspect", args=[thread.pk])


def suspension_url(suspension) -> str:
    return reverse("commenting_suspension_admin:inspect", args=[suspension.pk])


def decide(client, comment, action, reason="", *, path=QUEUE):
    return client.post(path, {"comment": comment.pk, "action": action, "reason": reason})


# --- The queue: who sees what ---------------------------------------------------------------------


def test_the_queue_shows_each_reported_comment_with_what_a_coordinator_needs(client, scene):
    comment = comment_create(scene.thread, author=scene.alice, body="Første utgave")
    services.comment_edit(actor=scene.alice, comment=comment, body="Dere er <b>idioter</b>")
    report(comment, reason="abuse", note="Personangrep mot naboen", reporter=scene.bob)
    report(comment, reason="spam", note="")
    client.force_login(scene.coordinator)

    response = client.get(QUEUE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dere er &lt;b&gt;idioter&lt;/b&gt;" in page  # the text as written, never as markup
    assert "Alice Berg" in page
    assert "Grønn havn" in page
    assert f'href="{scene.project.url}#discussion"' in page
    assert "2 open reports" in page
    assert "Harassment, hate or threats</strong>: “Personangrep mot naboen”" in page
    assert "Spam or advertising" in page and "Bob Dahl" in page
    assert "1 earlier version" in page and "Første utgave" in page
    assert 'value="hide"' in page and 'value="dismiss"' in page
    assert f"{SUSPEND}?hub={scene.hub.pk}&amp;user={scene.alice.pk}" in page
    assert "1 comment is waiting." in page


def test_a_forum_topic_links_to_its_page_in_the_forum(client, scene):
    reported(scene.topic, "I forumet", author=scene.alice)
    client.force_login(scene.coordinator)

    page = client.get(QUEUE).content.decode()

    assert f'href="{scene.forum.url}{scene.topic.pk}/"' in page


def test_comments_hidden_by_reports_wait_in_the_queue_with_their_own_decisions(client, scene, settings):
    settings.DISCUSSIONS_REPORTS_TO_HIDE = 2
    hidden = reported(scene.thread, "Skjult av rapporter", author=scene.alice, reports=2)
    assert hidden.hidden_automatically
    client.force_login(scene.coordinator)

    page = client.get(QUEUE).content.decode()

    assert "Hidden by reports, waiting for your decision" in page
    assert ">Keep hidden<" in page and ">Show again<" in page
    assert ">Dismiss reports<" not in page


def test_a_coordinator_sees_only_their_own_hubs_comments(client, scene):
    reported(scene.thread, "Her hjemme", author=scene.alice)
    elsewhere = reported(topic_create(scene.other_hub, title="Molde-tema"), "I Molde", author=scene.bob)
    client.force_login(scene.coordinator)

    page = client.get(QUEUE).content.decode()

    assert "Her hjemme" in page
    assert "I Molde" not in page and "Molde-tema" not in page
    # Nor may they act on it: the comment is not theirs to find.
    response = decide(client, elsewhere, "hide", "Ikke din hub")
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.is_visible
    assert not ModerationAction.objects.filter(comment=elsewhere).exists()


def test_a_site_administrator_sees_every_hub_and_filters_by_hub(client, scene, site_administrator):
    reported(scene.thread, "Her hjemme", author=scene.alice)
    reported(topic_create(scene.other_hub, title="Molde-tema"), "I Molde", author=scene.bob)
    client.force_login(site_administrator)

    everything = client.get(QUEUE).content.decode()
    molde = client.get(QUEUE, {"hub": scene.other_hub.pk}).content.decode()

    assert "Her hjemme" in everything and "I Molde" in everything
    assert "I Molde" in molde and "Her hjemme" not in molde


def test_the_hub_filter_offers_only_the_coordinators_hubs(client, scene):
    reported(scene.thread, "Her hjemme", author=scene.alice)
    client.force_login(scene.coordinator)

    response = client.get(QUEUE, {"hub": scene.other_hub.pk})

    hubs = list(response.context["filter_form"].fields["hub"].queryset)
    assert hubs == [scene.hub]
    # An outside hub is not a valid choice: the queue falls back to the coordinator's own hubs.
    assert "Her hjemme" in response.content.decode()


def test_people_who_coordinate_nothing_are_kept_out(client, scene):
    comment = reported(scene.thread, "Rapportert", author=scene.alice)
    editor = in_english(UserFactory(verified=True))
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    # Each page refuses in its own way: the custom views raise PermissionDenied, Wagtail's index views
    # send the person back to the dashboard, and the inspect view finds no thread among theirs.
    expected = {
        QUEUE: 403,
        THREADS: 302,
        thread_url(scene.thread): 404,
        SUSPENSIONS: 302,
        SUSPEND: 403,
        LOG: 302,
    }
    for url, status in expected.items():
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url
        assert "Rapportert" not in response.content.decode()
    assert decide(client, comment, "hide", "Nei").status_code == 403
    comment.refresh_from_db()
    assert comment.is_visible


def test_the_queue_costs_the_same_queries_for_more_comments(client, scene, django_assert_max_num_queries):
    client.force_login(scene.coordinator)
    for number in range(2):
        reported(scene.thread, f"Kommentar {number}", author=scene.alice, reports=2)
    client.get(QUEUE)  # warm Wagtail's per-process caches
    with django_assert_max_num_queries(60) as few:
        assert client.get(QUEUE).status_code == 200
    few_count = len(few.captured_queries)  # now: the connection keeps only the latest queries
    for number in range(2, 8):
        thread = scene.topic if number % 2 else scene.thread
        comment = reported(thread, f"Kommentar {number}", author=commenter_create(), reports=2)
        services.comment_edit(actor=comment.author, comment=comment, body=f"Rettet {number}")
    client.get(QUEUE)  # the writes emptied the site-root cache; warm it again

    with django_assert_max_num_queries(few_count):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert "8 comments are waiting." in response.content.decode()


# --- The queue: decisions -------------------------------------------------------------------------


def test_hiding_from_the_queue_goes_through_the_service_and_is_logged(client, scene):
    comment = reported(scene.thread, "Stygt", author=scene.alice, reports=2)
    client.force_login(scene.coordinator)

    response = decide(client, comment, "hide", "Personangrep")

    assert response.status_code == 302 and response.url == QUEUE
    comment.refresh_from_db()
    assert comment.is_hidden and not comment.hidden_automatically
    assert not CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).exists()
    action = ModerationAction.objects.get(kind=ModerationActionKind.HIDE)
    assert (action.actor, action.comment, action.reason, action.hub_id) == (
        scene.coordinator,
        comment,
        "Personangrep",
        scene.hub.pk,
    )
    followed = client.get(response.url).content.decode()
    assert "The comment is hidden." in followed
    assert "Stygt" not in followed  # decided: it left the queue


def test_hiding_without_a_reason_is_refused_and_the_row_says_why(client, scene):
    comment = reported(scene.thread, "Stygt", author=scene.alice)
    client.force_login(scene.coordinator)

    response = decide(client, comment, "hide", "   ")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why, for the moderation log." in page
    assert "Stygt" in page
    comment.refresh_from_db()
    assert comment.is_visible
    assert not ModerationAction.objects.exists()


def test_dismissing_reports_keeps_the_comment_visible(client, scene):
    comment = reported(scene.thread, "Helt grei", author=scene.alice, reports=2)
    client.force_login(scene.coordinator)

    response = decide(client, comment, "dismiss", "Innenfor reglene")

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_visible
    assert not comment.reports.filter(resolved_at__isnull=True).exists()
    dismissal = ModerationAction.objects.get()
    assert (dismissal.kind, dismissal.reason, dismissal.actor) == (
        ModerationActionKind.DISMISS_REPORTS,
        "Innenfor reglene",
        scene.coordinator,
    )


def test_a_comment_hidden_by_reports_is_kept_hidden_or_shown_again(client, scene, settings):
    settings.DISCUSSIONS_REPORTS_TO_HIDE = 2
    keep = reported(scene.thread, "Spam spam", author=scene.alice, reports=2)
    show = reported(scene.thread, "Uskyldig", author=scene.bob, reports=2)
    client.force_login(scene.coordinator)

    assert decide(client, keep, "hide", "Reklame").status_code == 302
    assert decide(client, show, "unhide", "Feilrapportert").status_code == 302

    keep.refresh_from_db()
    show.refresh_from_db()
    assert keep.is_hidden and not keep.hidden_automatically
    assert show.is_visible
    assert "Nothing is waiting" in client.get(QUEUE).content.decode()
    kinds = set(ModerationAction.objects.filter(actor=scene.coordinator).values_list("kind", flat=True))
    assert kinds == {ModerationActionKind.HIDE, ModerationActionKind.UNHIDE}


def test_a_decision_already_taken_elsewhere_is_reported_not_repeated(client, scene):
    comment = reported(scene.thread, "Grei nok", author=scene.alice)
    services.reports_dismiss(actor=scene.coordinator, comment=comment, reason="Først")
    client.force_login(scene.coordinator)

    response = decide(client, comment, "dismiss", "Igjen")

    assert response.status_code == 400
    assert "This comment has no open reports." in response.content.decode()
    assert ModerationAction.objects.count() == 1


def test_decisions_need_the_csrf_token(scene):
    comment = reported(scene.thread, "Stygt", author=scene.alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.coordinator)

    response = decide(client, comment, "hide", "Personangrep")

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.is_visible


# --- Threads: lock and unlock ---------------------------------------------------------------------


def test_a_coordinator_locks_and_unlocks_a_thread_with_a_reason(client, scene):
    client.force_login(scene.coordinator)
    url = thread_url(scene.thread)

    refused = client.post(url, {"action": "lock", "reason": ""})
    assert refused.status_code == 400
    assert "Say why, for the moderation log." in refused.content.decode()

    locked = client.post(url, {"action": "lock", "reason": "Diskusjonen sporet av"})
    assert locked.status_code == 302
    assert Thread.objects.get(pk=scene.thread.pk).locked
    page = client.get(url).content.decode()
    assert "Diskusjonen sporet av" in page and 'value="unlock"' in page

    assert client.post(url, {"action": "unlock", "reason": ""}).status_code == 302
    assert not Thread.objects.get(pk=scene.thread.pk).locked
    logged = list(ModerationAction.objects.order_by("pk").values_list("kind", "actor", "reason"))
    assert logged == [
        (ModerationActionKind.LOCK, scene.coordinator.pk, "Diskusjonen sporet av"),
        (ModerationActionKind.UNLOCK, scene.coordinator.pk, ""),
    ]


def test_a_forum_topic_is_pinned(client, scene):
    client.force_login(scene.coordinator)

    assert client.post(thread_url(scene.topic), {"action": "pin", "reason": ""}).status_code == 302

    assert Thread.objects.get(pk=scene.topic.pk).pinned


def test_the_thread_list_is_scoped_and_filtered(client, scene, site_administrator):
    topic_create(scene.other_hub, title="Molde-tema")
    Thread.objects.filter(pk=scene.topic.pk).update(locked=True)
    client.force_login(scene.coordinator)

    listing = client.get(THREADS).content.decode()
    locked_only = client.get(THREADS, {"locked": "true"}).content.decode()

    assert "Grønn havn" in listing and "Sykkelveier" in listing and "Molde-tema" not in listing
    assert "Sykkelveier" in locked_only and "Grønn havn" not in locked_only
    client.force_login(site_administrator)
    assert "Molde-tema" in client.get(THREADS).content.decode()


def test_another_hubs_coordinator_neither_opens_nor_locks_the_thread(client, scene):
    client.force_login(scene.other_coordinator)

    assert client.get(thread_url(scene.thread)).status_code == 404
    assert client.post(thread_url(scene.thread), {"action": "lock", "reason": "Nei"}).status_code == 404
    assert not Thread.objects.get(pk=scene.thread.pk).locked


# --- Suspensions ----------------------------------------------------------------------------------


def test_a_coordinator_suspends_a_commenter_for_seven_days(client, scene):
    comment_create(scene.thread, author=scene.alice)
    client.force_login(scene.coordinator)

    form = client.get(SUSPEND, {"hub": scene.hub.pk, "user": scene.alice.pk})
    assert form.status_code == 200
    assert form.context["form"].initial == {"hub": str(scene.hub.pk), "user": str(scene.alice.pk)}
    before = timezone.now()
    response = client.post(
        SUSPEND, {"hub": scene.hub.pk, "user": scene.alice.pk, "period": "7", "reason": "Gjentatte personangrep"}
    )

    suspension = CommentingSuspension.objects.get()
    assert response.status_code == 302 and response.url == suspension_url(suspension)
    assert (suspension.hub_id, suspension.user, suspension.created_by) == (scene.hub.pk, scene.alice, scene.coordinator)
    assert before + timedelta(days=7) <= suspension.ends_at <= timezone.now() + timedelta(days=7)
    action = ModerationAction.objects.get()
    assert (action.kind, action.user, action.reason) == (
        ModerationActionKind.SUSPEND,
        scene.alice,
        "Gjentatte personangrep",
    )


def test_a_suspension_until_a_date_ends_when_that_day_is_over(client, scene):
    comment_create(scene.thread, author=scene.alice)
    client.force_login(scene.coordinator)
    last_day = timezone.localdate() + timedelta(days=10)

    client.post(
        SUSPEND,
        {"hub": scene.hub.pk, "user": scene.alice.pk, "period": "until", "until": last_day.isoformat(), "reason": "X"},
    )

    ends_at = timezone.localtime(CommentingSuspension.objects.get().ends_at)
    assert ends_at.date() == last_day + timedelta(days=1)
    assert (ends_at.hour, ends_at.minute) == (0, 0)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period": "until", "until": ""}, "until"),
        ({"period": "until", "until": "2001-01-01"}, "until"),
        ({"period": "30", "reason": ""}, "reason"),
        ({"period": "until", "until": "2099-01-01"}, "ends_at"),
    ],
    ids=["no-date", "past-date", "no-reason", "over-a-year"],
)
def test_a_suspension_form_with_errors_suspends_nobody(client, scene, fields, field):
    comment_create(scene.thread, author=scene.alice)
    client.force_login(scene.coordinator)
    data = {"hub": scene.hub.pk, "user": scene.alice.pk, "reason": "Grunn", **fields}

    response = client.post(SUSPEND, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors, errors
    if field != "ends_at":
        assert field in errors
    assert not CommentingSuspension.objects.exists()


def test_a_coordinator_suspends_only_in_their_hub_and_only_people_who_wrote_there(client, scene):
    stranger = commenter_create(display_name="Fremmed")
    molde_only = commenter_create(display_name="Bare Molde")
    comment_create(topic_create(scene.other_hub), author=molde_only)
    comment_create(scene.thread, author=scene.alice)
    client.force_login(scene.coordinator)

    for data in (
        {"hub": scene.other_hub.pk, "user": scene.alice.pk},
        {"hub": scene.hub.pk, "user": stranger.pk},
        {"hub": scene.hub.pk, "user": molde_only.pk},
    ):
        response = client.post(SUSPEND, {**data, "period": "7", "reason": "Grunn"})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not CommentingSuspension.objects.exists()


def test_suspensions_are_listed_and_lifted(client, scene):
    suspension = services.user_suspend(
        actor=scene.coordinator,
        hub=scene.hub,
        user=scene.alice,
        ends_at=timezone.now() + timedelta(days=30),
        reason="Trakassering",
    )
    ended = CommentingSuspension.objects.create(
        hub=scene.hub, user=scene.bob, ends_at=timezone.now() + timedelta(days=1), reason="Gammel", created_by=None
    )
    CommentingSuspension.objects.filter(pk=ended.pk).update(
        starts_at=F("starts_at") - timedelta(days=3), ends_at=timezone.now() - timedelta(days=2)
    )
    client.force_login(scene.coordinator)

    listing = client.get(SUSPENSIONS).content.decode()
    in_force = client.get(SUSPENSIONS, {"state": "active"}).content.decode()
    assert "Alice Berg" in listing and "Bob Dahl" in listing and "Trakassering" in listing
    assert "Alice Berg" in in_force and "Bob Dahl" not in in_force

    detail = client.get(suspension_url(suspension)).content.decode()
    assert "Lift the suspension" in detail
    assert "Lift the suspension" not in client.get(suspension_url(ended)).content.decode()

    response = client.post(suspension_url(suspension), {"reason": "Har beklaget"})
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    lift = ModerationAction.objects.get(kind=ModerationActionKind.LIFT_SUSPENSION)
    assert (lift.actor, lift.user, lift.reason) == (scene.coordinator, scene.alice, "Har beklaget")


def test_another_hubs_suspensions_are_private(client, scene):
    suspension = services.user_suspend(
        actor=scene.coordinator,
        hub=scene.hub,
        user=scene.alice,
        ends_at=timezone.now() + timedelta(days=7),
        reason="Trakassering",
    )
    client.force_login(scene.other_coordinator)

    assert "Alice Berg" not in client.get(SUSPENSIONS).content.decode()
    assert client.get(suspension_url(suspension)).status_code == 404
    assert client.post(suspension_url(suspension), {"reason": "Nei"}).status_code == 404
    suspension.refresh_from_db()
    assert suspension.lifted_at is None


# --- The log --------------------------------------------------------------------------------------


def test_the_moderation_log_says_who_when_what_and_why_per_hub(client, scene, site_administrator, settings):
    settings.DISCUSSIONS_REPORTS_TO_HIDE = 1
    services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Sporet av")
    reported(scene.topic, "Reklame", author=scene.alice)  # hidden by the site after one report
    molde = topic_create(scene.other_hub, title="Molde-tema")
    services.thread_lock(actor=scene.other_coordinator, thread=molde, reason="Molde-grunn")
    client.force_login(scene.coordinator)

    own = client.get(LOG).content.decode()

    assert "Locked a thread" in own and "Sporet av" in own
    assert scene.coordinator.display_name in own
    assert "Comment hidden after reports" in own and "The site (after reports)" in own
    assert "Molde-grunn" not in own

    client.force_login(site_administrator)
    everything = client.get(LOG).content.decode()
    molde_only = client.get(LOG, {"hub": scene.other_hub.pk}).content.decode()
    hides_only = client.get(LOG, {"kind": ModerationActionKind.AUTO_HIDE}).content.decode()
    assert "Sporet av" in everything and "Molde-grunn" in everything
    assert "Molde-grunn" in molde_only and "Sporet av" not in molde_only
    assert "Reklame" in hides_only and "Sporet av" not in hides_only


# --- Menu and dashboard ---------------------------------------------------------------------------


def test_the_menu_and_the_dashboard_count_what_waits_in_ones_hubs(client, scene):
    reported(scene.thread, "En", author=scene.alice)
    reported(scene.topic, "To", author=scene.bob)
    reported(topic_create(scene.other_hub), "I Molde", author=scene.bob)
    client.force_login(scene.coordinator)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Discussions (2)" in page
    assert "2 reported comments are waiting for a decision" in page
    assert QUEUE in page
    assert "I Molde" not in page


def test_an_empty_queue_says_so(client, scene):
    client.force_login(scene.coordinator)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "No reported comments are waiting in your hubs." in page
    assert "Discussions (" not in page


def test_no_discussions_menu_or_panel_for_someone_who_coordinates_nothing(client, scene):
    reported(scene.thread, "En", author=scene.alice)
    editor = in_english(UserFactory(verified=True))
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "reported comments" not in page
    assert QUEUE not in page and THREADS not in page
