"""The public discussion views: posting with and without JavaScript, the errors that keep the text,
rate limits, who may do what, CSRF, and changing, reporting and moderating comments from the thread."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from discussions import services
from discussions.models import Comment, CommentReport, ModerationAction, ModerationActionKind, Thread
from tests.accounts.factories import UserFactory
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create
from tests.projects.factories import project_create, project_index_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    return thread_scene_create()


def _post_url(thread) -> str:
    return reverse("discussions:comment_create", args=[thread.pk])


def _json_post(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json")


def _block(html: str) -> str:
    start = html.index('<section class="discussion"')
    return html[start : html.index("</section>", start)]


# --- Reading ----------------------------------------------------------------------------------------


def test_anonymous_visitors_read_the_thread_and_get_a_login_link_without_a_csrf_token(client, scene):
    comment_create(scene.thread, author=scene.alice, body="Hei alle", html="<p>Hei alle</p>")
    response = client.get(scene.project.url)
    html = response.content.decode()
    block = _block(html)
    assert "Hei alle" in block
    assert "Log in to comment" in block and "/accounts/login/?next=" in block
    assert 'id="comment-form"' not in block
    assert "csrfmiddlewaretoken" not in html
    assert 'data-user-id=""' in block
    # Nothing per visitor: the anonymous page cache stores it.
    assert client.get(scene.project.url)["X-Dugnad-Cache"] == "hit"


def test_the_block_carries_what_the_live_client_needs(client, scene):
    comment_create(scene.thread, author=scene.alice)
    comment_create(scene.thread, author=scene.bob)
    scene.thread.refresh_from_db()
    block = _block(client.get(scene.project.url).content.decode())
    assert f'data-thread-id="{scene.thread.pk}"' in block
    assert f'data-last-seq="{scene.thread.last_seq}"' in block and scene.thread.last_seq == 2
    assert f'data-ws-path="/ws/threads/{scene.thread.pk}/"' in block
    assert 'id="discussion-live" role="status" aria-live="polite"' in block
    assert '<script src="/static/js/discussion.js" defer></script>' in block


def test_comments_are_oldest_first_with_replies_nested_under_their_comment(client, scene):
    first = comment_create(scene.thread, author=scene.alice, body="Første", html="<p>Første</p>")
    second = comment_create(scene.thread, author=scene.bob, body="Andre", html="<p>Andre</p>")
    reply = comment_create(scene.thread, author=scene.bob, body="Svar", html="<p>Svar</p>", reply_to=first)
    block = _block(client.get(scene.project.url).content.decode())
    assert block.index("comment-" + str(first.pk)) < block.index("Svar") < block.index("Andre")
    replies = re.search(rf'<ol class="comment-replies" data-replies-of="{first.pk}">(.*?)</ol>', block, re.S)
    assert replies and f'id="comment-{reply.pk}"' in replies.group(1)
    assert f'id="comment-{second.pk}"' not in replies.group(1)
    assert f'<blockquote class="comment__quote" data-quote-of="{first.pk}"' in block


def test_a_thread_of_a_draft_project_is_not_shown_or_writable(client, scene):
    draft = project_create(scene.project.get_parent().specific, live=False)
    thread = Thread.objects.create(hub=scene.hub, project=draft, title="Utkast")
    client.force_login(scene.alice)
    assert client.post(_post_url(thread), {"body": "Hei"}).status_code == 404
    assert client.get(reverse("discussions:thread", args=[thread.pk])).status_code == 404


def test_thread_urls_redirect_to_the_page_that_shows_the_thread(client, scene):
    response = client.get(reverse("discussions:thread", args=[scene.thread.pk]))
    assert response.status_code == 302 and response["Location"] == f"{scene.project.url}#discussion"
    response = client.get(reverse("discussions:thread", args=[scene.topic.pk]))
    assert response["Location"] == f"{scene.forum.url}{scene.topic.pk}/"
    comment = comment_create(scene.topic, author=scene.alice)
    response = client.get(reverse("discussions:comment", args=[comment.pk]))
    assert response["Location"] == f"{scene.forum.url}{scene.topic.pk}/#comment-{comment.pk}"


# --- Posting ---------------------------------------------------------------------------------------


def test_posting_without_javascript_redirects_to_the_comment_with_a_message(client, scene):
    client.force_login(scene.alice)
    response = client.post(_post_url(scene.thread), {"body": "Hei *alle*"})
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{scene.project.url}#comment-{comment.pk}"
    assert comment.author == scene.alice and comment.html == "<p>Hei <em>alle</em></p>"
    page = client.get(response["Location"]).content.decode()
    assert "Your comment has been posted." in page


def test_posting_with_json_answers_201_with_the_comment(client, scene):
    client.force_login(scene.alice)
    parent = comment_create(scene.thread, author=scene.bob)
    response = _json_post(client, _post_url(scene.thread), {"body": "Enig!", "reply_to": parent.pk})
    assert response.status_code == 201
    comment = Comment.objects.get(author=scene.alice)
    body = response.json()
    assert body["id"] == comment.pk and body["seq"] == comment.seq == 2 and body["parent"] == parent.pk
    assert f'<article class="comment comment--reply" id="comment-{comment.pk}"' in body["html"]


def test_json_errors_are_400_with_the_field(client, scene):
    client.force_login(scene.alice)
    response = _json_post(client, _post_url(scene.thread), {"body": "   "})
    assert response.status_code == 400
    assert response.json() == {"errors": {"body": ["Write something before you send."]}}
    assert not Comment.objects.exists()


def test_an_error_without_javascript_shows_the_form_again_with_the_text_and_the_error(client, scene, settings):
    settings.DISCUSSIONS_COMMENT_MAX_LENGTH = 20
    client.force_login(scene.alice)
    text = "Dette er en altfor lang kommentar om havna"
    response = client.post(_post_url(scene.thread), {"body": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert f">\n{text}</textarea>" in html
    assert 'aria-describedby="id_body_helptext id_body_error"' in html
    assert re.search(r'id="id_body_error">.*Keep your comment under 20 characters', html, re.S)
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_of_another_thread_is_refused(client, scene):
    other = comment_create(scene.topic, author=scene.bob)
    client.force_login(scene.alice)
    response = _json_post(client, _post_url(scene.thread), {"body": "Hei", "reply_to": other.pk})
    assert response.status_code == 400 and "reply_to" in response.json()["errors"]


def test_commenting_too_fast_is_429_with_retry_after(client, scene):
    client.force_login(scene.alice)
    assert _json_post(client, _post_url(scene.thread), {"body": "Første"}).status_code == 201
    response = _json_post(client, _post_url(scene.thread), {"body": "Andre"})
    assert response.status_code == 429
    body = response.json()
    assert 1 <= body["retry_after"] <= 5 and response["Retry-After"] == str(body["retry_after"])
    assert "You are commenting too fast" in body["error"]
    # Without JavaScript: the same status, the text kept in the box and the message beside it.
    response = client.post(_post_url(scene.thread), {"body": "Andre igjen"})
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"]
    assert ">\nAndre igjen</textarea>" in html and "You are commenting too fast" in html
    assert Comment.objects.count() == 1


def test_new_accounts_wait_longer(client, scene):
    newcomer = commenter_create(new=True)
    client.force_login(newcomer)
    assert _json_post(client, _post_url(scene.thread), {"body": "Første"}).status_code == 201
    Comment.objects.filter(author=newcomer).update(created_at=timezone.now() - timedelta(seconds=10))
    response = _json_post(client, _post_url(scene.thread), {"body": "Andre"})
    assert response.status_code == 429 and 15 <= response.json()["retry_after"] <= 20


def test_anonymous_visitors_cannot_post(client, scene):
    response = _json_post(client, _post_url(scene.thread), {"body": "Hei"})
    assert response.status_code == 403 and response.json()["error"] == "Log in to comment."
    response = client.post(_post_url(scene.thread), {"body": "Min tekst"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Min tekst</textarea>" in html and "csrfmiddlewaretoken" not in html
    assert not Comment.objects.exists()


def test_unverified_people_cannot_post_and_are_told_why(client, scene):
    unverified = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    client.force_login(unverified)
    response = _json_post(client, _post_url(scene.thread), {"body": "Hei"})
    assert response.status_code == 403 and "Confirm your e-mail address" in response.json()["error"]
    block = _block(client.get(scene.project.url).content.decode())
    assert 'id="comment-form"' not in block
    assert "Confirm your e-mail address to take part in the discussion." in block


def test_suspended_people_cannot_post_and_are_told_until_when_and_why(client, scene):
    suspension = services.user_suspend(
        actor=scene.coordinator,
        hub=scene.hub,
        user=scene.alice,
        ends_at=timezone.now() + timedelta(days=3),
        reason="Personangrep mot Bob",
    )
    until = "until " + date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")
    client.force_login(scene.alice)
    response = _json_post(client, _post_url(scene.thread), {"body": "Hei"})
    error = response.json()
    assert response.status_code == 403
    assert until in error["error"] and "Reason: Personangrep mot Bob" in error["error"]
    assert error["suspension"]["until"] == suspension.ends_at.isoformat()
    assert error["suspension"]["reason"] == "Personangrep mot Bob"
    response = client.post(_post_url(scene.thread), {"body": "Teksten min"})
    html = response.content.decode()
    assert response.status_code == 403 and "Teksten min</textarea>" in html
    assert until in html and "Personangrep mot Bob" in html
    block = _block(client.get(scene.project.url).content.decode())
    assert 'id="comment-form"' not in block and "suspended you from commenting" in block
    assert until in block and "Reason: Personangrep mot Bob" in block
    # In another hub nothing changes.
    assert (
        _json_post(
            client, _post_url(Thread.objects.create(hub=scene.other_hub, title="Der")), {"body": "Hei"}
        ).status_code
        == 201
    )


def test_nobody_but_coordinators_posts_in_a_locked_thread(client, scene):
    services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Ferdig")
    client.force_login(scene.alice)
    response = _json_post(client, _post_url(scene.thread), {"body": "Hei"})
    assert response.status_code == 403 and "locked" in response.json()["error"]
    block = _block(client.get(scene.project.url).content.decode())
    assert "This thread is locked" in block
    # The form is there but hidden, so that the browser can bring it back if the thread is unlocked live.
    assert '<div class="discussion__form" id="discussion-form" data-when-can-comment hidden>' in block
    assert 'data-can-comment-open="true" data-can-comment-locked="false"' in block
    client.force_login(scene.coordinator)
    assert 'id="discussion-form" data-when-can-comment>' in _block(client.get(scene.project.url).content.decode())
    assert _json_post(client, _post_url(scene.thread), {"body": "Koordinator her"}).status_code == 201


def test_csrf_is_enforced(scene):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    client.force_login(scene.alice)
    assert client.post(_post_url(scene.thread), {"body": "Uten token"}).status_code == 403
    assert not Comment.objects.exists()
    page = client.get(scene.project.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(_post_url(scene.thread), {"body": "Med token", "csrfmiddlewaretoken": token})
    assert response.status_code == 303 and Comment.objects.get().body == "Med token"
    # The JavaScript way: the header.
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    response = client.post(
        _post_url(scene.thread), {"body": "Med header"}, HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_the_reply_page_works_without_javascript(client, scene):
    parent = comment_create(scene.thread, author=scene.bob, body="Hva med sykler?", html="<p>Hva med sykler?</p>")
    url = f"{_post_url(scene.thread)}?reply_to={parent.pk}"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(scene.alice)
    html = client.get(url).content.decode()
    assert "Hva med sykler?" in html and "Replying to Bob Dahl" in html
    assert f'name="reply_to" value="{parent.pk}"' in html


# --- Per-viewer controls ------------------------------------------------------------------------------


def _controls(block: str, comment_id: int) -> set[str]:
    article = re.search(rf'<article [^>]*id="comment-{comment_id}".*?</article>', block, re.S).group(0)
    return set(re.findall(r'<li data-control="(\w+)">', article))


def test_the_server_renders_each_viewer_their_own_controls(client, scene):
    mine = comment_create(scene.thread, author=scene.alice)
    theirs = comment_create(scene.thread, author=scene.bob)
    block = _block(client.get(scene.project.url).content.decode())
    assert _controls(block, mine.pk) == set() and _controls(block, theirs.pk) == set()
    client.force_login(scene.alice)
    block = _block(client.get(scene.project.url).content.decode())
    assert _controls(block, mine.pk) == {"reply", "edit", "delete"}
    assert _controls(block, theirs.pk) == {"reply", "report"}
    assert f'data-user-id="{scene.alice.pk}"' in block and 'data-can-moderate="false"' in block
    assert 'data-control="lock"' not in block
    client.force_login(scene.coordinator)
    block = _block(client.get(scene.project.url).content.decode())
    assert {"hide", "report"} <= _controls(block, theirs.pk)
    assert 'data-can-moderate="true"' in block and 'data-control="lock"' in block


# --- Changing, deleting, reporting -----------------------------------------------------------------


def test_the_author_edits_their_comment(client, scene):
    comment = comment_create(scene.thread, author=scene.alice, body="Gammel tekst", html="<p>Gammel tekst</p>")
    url = reverse("discussions:comment_edit", args=[comment.pk])
    client.force_login(scene.alice)
    assert "Gammel tekst</textarea>" in client.get(url).content.decode()
    response = client.post(url, {"body": "Ny tekst"})
    assert response.status_code == 303 and response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "Ny tekst" and comment.edited_at is not None
    assert "edited" in _block(client.get(scene.project.url).content.decode())
    client.force_login(scene.bob)
    assert client.post(url, {"body": "Kapret"}).status_code == 403


def test_the_author_deletes_their_comment_after_confirming(client, scene):
    comment = comment_create(scene.thread, author=scene.alice, body="Borte snart", html="<p>Borte snart</p>")
    url = reverse("discussions:comment_delete", args=[comment.pk])
    client.force_login(scene.bob)
    assert client.post(url).status_code == 403
    client.force_login(scene.alice)
    assert "Delete the comment" in client.get(url).content.decode()
    assert client.post(url).status_code == 303
    block = _block(client.get(scene.project.url).content.decode())
    assert "Comment deleted." in block and "Borte snart" not in block


def test_reporting_a_comment(client, scene):
    comment = comment_create(scene.thread, author=scene.bob)
    url = reverse("discussions:comment_report", args=[comment.pk])
    client.force_login(scene.alice)
    response = client.post(url, {})
    assert response.status_code == 200 and "Choose a reason." in response.content.decode()
    response = client.post(url, {"reason": "spam", "note": "Reklame"})
    assert response.status_code == 303
    report = CommentReport.objects.get()
    assert (report.reporter, report.reason, report.note) == (scene.alice, "spam", "Reklame")
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 200 and "already reported" in response.content.decode()
    assert CommentReport.objects.count() == 1
    client.force_login(scene.bob)
    assert client.get(url).status_code == 403


def test_coordinators_hide_and_show_comments_with_a_reason(client, scene):
    comment = comment_create(scene.thread, author=scene.alice, body="Stygg", html="<p>Stygg</p>")
    hide = reverse("discussions:comment_hide", args=[comment.pk])
    for outsider in (scene.bob, scene.other_coordinator):
        client.force_login(outsider)
        assert client.post(hide, {"reason": "Nei"}).status_code == 403
    client.force_login(scene.coordinator)
    response = client.post(hide, {"reason": ""})
    assert response.status_code == 200 and "Say why, for the moderation log." in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert client.post(hide, {"reason": "Personangrep"}).status_code == 303
    comment.refresh_from_db()
    assert comment.is_hidden
    action = ModerationAction.objects.get(kind=ModerationActionKind.HIDE)
    assert (action.actor, action.reason) == (scene.coordinator, "Personangrep")
    client.logout()
    client.cookies["django_language"] = "en"  # logging out forgets every cookie
    block = _block(client.get(scene.project.url).content.decode())
    assert "This comment was hidden by a moderator." in block and "Stygg" not in block
    client.force_login(scene.coordinator)
    # The confirmation shows the coordinator the text they are about to restore, not the placeholder.
    confirm = client.get(reverse("discussions:comment_unhide", args=[comment.pk])).content.decode()
    assert "The text that will be shown again" in confirm and "<p>Stygg</p>" in confirm
    assert "This comment was hidden by a moderator." not in confirm
    assert client.post(reverse("discussions:comment_unhide", args=[comment.pk]), {"reason": "Ok"}).status_code == 303
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_coordinators_lock_and_unlock_the_thread(client, scene):
    lock = reverse("discussions:thread_lock", args=[scene.thread.pk])
    client.force_login(scene.alice)
    assert client.post(lock, {"reason": "Nei"}).status_code == 403
    client.force_login(scene.coordinator)
    assert "Reason" in client.get(lock).content.decode()
    response = client.post(lock, {"reason": "Ferdig diskutert"})
    assert response.status_code == 303 and response["Location"] == f"{scene.project.url}#discussion"
    scene.thread.refresh_from_db()
    assert scene.thread.locked
    assert client.post(reverse("discussions:thread_unlock", args=[scene.thread.pk]), {"reason": ""}).status_code == 303
    scene.thread.refresh_from_db()
    assert not scene.thread.locked


def test_pages_follow_the_hubs_language_unless_the_visitor_chose(scene):
    scene.hub.default_language = "nn"
    scene.hub.save(update_fields=["default_language"])
    comment = comment_create(scene.thread, author=scene.alice)
    client = Client()
    client.force_login(scene.bob)
    html = client.get(reverse("discussions:comment_report", args=[comment.pk])).content.decode()
    assert '<html lang="nn"' in html
    client.cookies["django_language"] = "en"
    assert '<html lang="en"' in client.get(reverse("discussions:comment_report", args=[comment.pk])).content.decode()


def test_a_project_without_a_thread_shows_no_block(client, scene):
    index = project_index_create(scene.other_hub)
    project = project_create(index)
    Thread.objects.filter(project=project).delete()
    assert 'id="discussion"' not in client.get(project.url).content.decode()


def test_the_mention_autocomplete_lists_the_threads_people_by_name_only(client, scene):
    url = reverse("discussions:thread_participants", args=[scene.thread.pk])
    carl = commenter_create(display_name="Carl Bergersen")
    comment_create(scene.thread, author=scene.bob, body="Hei", html="<p>Hei</p>")
    comment_create(scene.thread, author=carl, body="Hei", html="<p>Hei</p>")
    comment_create(scene.topic, author=commenter_create(display_name="Berit Annen"), body="Hei", html="<p>Hei</p>")

    # Anonymous visitors get nothing; neither does someone who may not comment (unverified).
    assert client.get(url, {"q": "b"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url, {"q": "b"}).status_code == 403

    client.force_login(scene.alice)
    response = client.get(url, {"q": "ber"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    # A word of the name may match; only this thread's people; names only, never addresses.
    assert response.json() == {"participants": [{"name": "Carl Bergersen"}]}
    everyone = client.get(url).json()["participants"]
    assert everyone == [{"name": "Bob Dahl"}, {"name": "Carl Bergersen"}]
    assert "@" not in client.get(url).content.decode()
    # The person asking is not suggested to themselves.
    client.force_login(scene.bob)
    assert client.get(url, {"q": "b"}).json() == {"participants": [{"name": "Carl Bergersen"}]}


def test_the_comment_form_carries_the_autocomplete_and_a_typed_mention_resolves_without_javascript(client, scene):
    comment_create(scene.thread, author=scene.bob, body="Hei", html="<p>Hei</p>")
    client.force_login(scene.alice)
    block = _block(client.get(scene.project.url).content.decode())
    url = reverse("discussions:thread_participants", args=[scene.thread.pk])
    assert f'data-mentions-url="{url}"' in block and 'role="listbox"' in block and "js/mentions.js" in block

    assert client.post(_post_url(scene.thread), {"body": 'Takk, @"Bob Dahl"!'}).status_code == 303
    comment = Comment.objects.filter(thread=scene.thread, author=scene.alice).get()
    assert list(comment.mentions.all()) == [scene.bob]
    assert f'<span class="mention" data-user="{scene.bob.pk}">@Bob Dahl</span>!' in comment.html
