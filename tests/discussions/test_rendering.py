"""What a comment looks like: the Markdown subset, sanitising, mentions, the comment's html (on the
page and in live events), placeholders, quotes of the parent, the thread-state notice, and the
block's accessibility structure."""

import re

import pytest
from django.utils import timezone, translation

from discussions import live, services
from discussions.selectors import comment_excerpt
from tests.discussions.factories import thread_scene_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    return thread_scene_create()


def _posted(scene, body, *, actor=None, reply_to=None):
    comment = services.comment_post(actor=actor or scene.alice, thread=scene.thread, body=body, reply_to=reply_to)
    # Established accounts wait 5 s between comments: these tests post several at once.
    type(comment).objects.filter(pk=comment.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    return comment


def _article(html: str, comment_id: int) -> str:
    return re.search(rf'<article [^>]*id="comment-{comment_id}".*?</article>', html, re.S).group(0)


def _page(client, scene) -> str:
    return client.get(scene.project.url).content.decode()


def test_the_markdown_subset(client, scene):
    comment = _posted(
        scene,
        "*Viktig* og **sterkt**\n\n- en\n- to\n\n1. først\n\n> sitat\n\n[lenke](https://example.org) og https://dugnad.no",
    )
    article = _article(_page(client, scene), comment.pk)
    assert "<em>Viktig</em>" in article and "<strong>sterkt</strong>" in article
    assert "<ul>\n<li>en</li>\n<li>to</li>\n</ul>" in article and "<ol>" in article
    assert "<blockquote>\n<p>sitat</p>\n</blockquote>" in article
    assert re.search(r'<a href="https://example.org" rel="[^"]*nofollow[^"]*ugc[^"]*">lenke</a>', article)
    assert 'href="https://dugnad.no"' in article


def test_scripts_javascript_links_and_raw_html_never_become_markup(client, scene):
    comment = _posted(
        scene,
        '<script>alert("x")</script> <b>fet</b> [klikk](javascript:alert(1)) <img src=x onerror=alert(1)>',
    )
    article = _article(_page(client, scene), comment.pk)
    body = re.search(r'<div class="comment__body">(.*?)</div>', article, re.S).group(1)
    assert "<script" not in body and "<b>" not in body and "<img" not in body
    assert "javascript:" not in body.replace("[klikk](javascript:alert(1))", "")
    assert 'href="javascript' not in body
    # Raw HTML is shown as the text it is.
    assert "&lt;script&gt;" in body and "&lt;b&gt;fet&lt;/b&gt;" in body


def test_mentions_of_participants_are_highlighted(client, scene):
    _posted(scene, "Hei", actor=scene.bob)
    comment = _posted(scene, "Takk @bob dahl og @Ukjent Person")
    article = _article(_page(client, scene), comment.pk)
    assert f'<span class="mention" data-user="{scene.bob.pk}">@bob dahl</span>' in article
    assert "@Ukjent Person" in article and article.count('class="mention"') == 1
    assert list(comment.mentions.all()) == [scene.bob]


def test_live_html_has_no_per_viewer_controls_and_carries_the_data_the_client_reads(scene):
    parent = _posted(scene, "Første", actor=scene.bob)
    reply = _posted(scene, "Svar", reply_to=parent)
    html = live.comment_html(reply)
    assert html.strip().startswith(f'<article class="comment comment--reply" id="comment-{reply.pk}"')
    assert f'data-author="{scene.alice.pk}"' in html and 'data-author-name="Alice Berg"' in html
    assert f'data-parent="{parent.pk}"' in html and 'data-state="visible"' in html
    assert f'data-seq="{reply.seq}"' in html
    # Every control is there for the browser to reveal, and none is shown.
    controls = re.findall(r'<li data-control="(\w+)"( hidden)?>', html)
    assert {name for name, _ in controls} == {"reply", "edit", "delete", "report", "hide", "unhide"}
    assert all(hidden for _, hidden in controls)
    assert '<ul class="comment__actions" aria-label="Actions" hidden>' in html
    assert "csrfmiddlewaretoken" not in html


def test_deleted_and_hidden_comments_are_placeholders(scene):
    comment = _posted(scene, "Hemmelig innhold")
    comment = services.comment_hide(actor=scene.coordinator, comment=comment, reason="Nei")
    html = live.comment_html(comment)
    assert "This comment was hidden by a moderator." in html and "Hemmelig" not in html
    assert 'data-state="hidden"' in html
    other = _posted(scene, "Angret")
    services.comment_delete(actor=scene.alice, comment=other)
    html = live.comment_html(other)
    assert "Comment deleted." in html and "Angret" not in html and 'data-state="deleted"' in html


def test_edited_comments_are_marked(scene):
    comment = _posted(scene, "Først")
    assert "comment__edited" not in live.comment_html(comment)
    services.comment_edit(actor=scene.alice, comment=comment, body="Rettet")
    html = live.comment_html(comment)
    assert '<span class="comment__edited">edited</span>' in html and "Rettet" in html


def test_a_reply_quotes_its_parent_until_the_parent_is_hidden(scene):
    parent = _posted(scene, "**Sykkelveier** langs havna " + "og mer " * 40, actor=scene.bob)
    reply = _posted(scene, "Enig", reply_to=parent)
    html = live.comment_html(reply)
    quote = re.search(rf'<blockquote class="comment__quote" data-quote-of="{parent.pk}".*?</blockquote>', html, re.S)
    assert quote and "Bob Dahl" in quote.group(0) and "Sykkelveier langs havna" in quote.group(0)
    assert "<strong>" not in quote.group(0)
    excerpt = comment_excerpt(parent)
    assert len(excerpt) == 140 and excerpt.endswith("…")
    services.comment_hide(actor=scene.coordinator, comment=parent, reason="Nei")
    reply.refresh_from_db()
    html = live.comment_html(type(reply).objects.select_related("reply_to__author").get(pk=reply.pk))
    quote = re.search(rf'<blockquote class="comment__quote" data-quote-of="{parent.pk}".*?</blockquote>', html, re.S)
    assert "In reply to a comment that is no longer shown." in quote.group(0)
    assert "Sykkelveier" not in html


def test_the_thread_state_notice(scene):
    assert live.thread_state_html(scene.thread).strip() == '<div class="thread-state" data-locked="false"></div>'
    thread = services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Ferdig")
    html = live.thread_state_html(thread)
    assert 'data-locked="true"' in html and "This thread is locked" in html


def test_the_block_is_structured_for_assistive_technology(client, scene):
    parent = _posted(scene, "Første", actor=scene.bob)
    _posted(scene, "Svar", reply_to=parent)
    client.force_login(scene.alice)
    html = client.get(scene.project.url).content.decode()
    block = html[html.index('<section class="discussion"') :]
    block = block[: block.index("</section>")]
    assert 'aria-labelledby="discussion-heading"' in block
    headings = [int(level) for level in re.findall(r"<h([1-6])", html[: html.index("</main>")])]
    # Headings never skip a level on the way down (h2 Discussion, h3 comment, h4 reply).
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False))
    assert re.search(r'<h2 [^>]*id="discussion-heading">Discussion</h2>', block)
    assert re.search(r"<h3 [^>]*>Bob Dahl</h3>", block) and re.search(r"<h4 [^>]*>Alice Berg</h4>", block)
    assert '<label class="ds-label" for="id_body">Your comment</label>' in block
    assert re.search(r'<textarea name="body"[^>]*aria-describedby="id_body_helptext"[^>]*id="id_body"', block)
    assert 'style="' not in block and "<script>" not in block


def test_a_mention_by_name_works_without_javascript_bare_or_quoted():
    from discussions.rendering import Mentionable, render_comment

    kari = Mentionable(user_id=1, name="Kari Nordmann")
    kari_long = Mentionable(user_id=2, name="Kari Nordmann Berg")
    ola = Mentionable(user_id=3, name="Ola")
    people = [kari, kari_long, ola]

    # Bare: the longest participant name that follows the @.
    bare = render_comment("Takk @Kari Nordmann Berg og @ola!", mentionable=people)
    assert bare.mentioned_user_ids == {2, 3}
    assert '<span class="mention" data-user="2">@Kari Nordmann Berg</span>' in bare.html
    # Quoted: exactly the name in the quotes, even when a longer name starts with it or letters follow.
    quoted = render_comment(
        'Spør @"Kari Nordmann" Berg-gruppa, og @“ola”s venner, og @«kari  nordmann».', mentionable=people
    )
    assert quoted.mentioned_user_ids == {1, 3}
    assert '<span class="mention" data-user="1">@Kari Nordmann</span> Berg-gruppa' in quoted.html
    assert '<span class="mention" data-user="3">@ola</span>s venner' in quoted.html
    assert '<span class="mention" data-user="1">@kari  nordmann</span>' in quoted.html
    # A quoted name of nobody in the thread, or an unclosed quote, mentions nobody.
    nobody = render_comment('@"Per Person" og @"Kari Nordmann', mentionable=people)
    assert nobody.mentioned_user_ids == frozenset() and 'class="mention"' not in nobody.html
