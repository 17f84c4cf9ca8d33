"""Browser journey for a project's discussion (issue 5), with axe on every page passed.

Two commenters have the same published project open in their own browsers. A comment sent by one
appears in the other's page without a reload and is announced in its polite live region; a reply
comes back the same way while the first has half a sentence in the comment box, which keeps its
text and its focus. A coordinator hides the first comment from the thread (the comment's Hide
control, a reason on the moderation form): both pages show the placeholder at once, and the
reply's quote of it is blanked.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from wagtail.models import Page, Site

from cms.management.commands.seed_demo import HOME_SLUG
from cms.models import HomePage
from discussions.models import Comment
from discussions.services import project_thread_ensure
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.discussions.factories import commenter_create
from tests.e2e.harness import AXE_SOURCE, assert_accessible
from tests.partners.factories import coordinator_create, hub_create, partner_index_create
from tests.projects.factories import project_create, project_index_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def nb(message: str, **params) -> str:
    """A ``{% translate %}`` message as the browser (locale nb-NO, a Bokmål hub) shows it, its
    parameters filled in as static/js/discussion.js fills them. (The tag doubles a msgid's percent
    signs before looking it up, then halves them again.)"""
    with translation.override("nb"):
        text = gettext(message.replace("%", "%%")).replace("%%", "%") if params else gettext(message)
    for key, value in params.items():
        text = text.replace(f"%({key})s", str(value))
    return text


def _home() -> HomePage:
    """The default Site's root, with the slug every browser test uses (see test_partner_journeys._home)."""
    home = HomePage(title="Dugnad", slug=HOME_SLUG)
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def hub(live_asgi_server):
    hub = hub_create(home=_home(), title="Ålesund framtidslab")
    partner_index_create(hub)
    return hub


@pytest.fixture
def project(hub):
    return project_create(project_index_create(hub), title="Grønn havn")


@pytest.fixture
def new_page(browser, live_asgi_server):
    """Opens a page in a browser profile of its own (another person), failing the test on console errors."""
    contexts, errors = [], []

    def open_page():
        context = browser.new_context(base_url=live_asgi_server.url, locale="nb-NO")
        context.add_init_script(path=str(AXE_SOURCE))
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"The browser reported errors: {errors}"


def log_in(page, user, next_path: str) -> None:
    page.goto(f"/accounts/login/?next={next_path}")
    assert_accessible(page)
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def open_live(page, user, project) -> None:
    """Log ``user`` in, land on the project page, and wait until its discussion socket is up."""
    log_in(page, user, project.url)
    expect(page.locator("section#discussion")).to_have_attribute("data-connection", "live")
    assert_accessible(page)


def only_comment_id(**filters) -> int:
    return Comment.objects.get(**filters).pk


def test_two_commenters_talk_live_and_a_coordinator_hides_a_comment(page, new_page, hub, project):
    thread = project_thread_ensure(project)
    alice = commenter_create(display_name="Alice Berg")
    bob = commenter_create(display_name="Bob Dahl")
    coordinator = coordinator_create(hub, display_name="Kari Koordinator")

    a, b = page, new_page()
    open_live(a, alice, project)
    open_live(b, bob, project)
    for each in (a, b):
        expect(each.locator("article.comment")).to_have_count(0)

    # Alice sends a comment: it shows in her page, and in Bob's without a reload, announced there.
    b.evaluate("() => { window.__notReloaded = true; }")  # gone if the page reloads
    a.fill("textarea#id_body", "Kan vi bruke *landstrøm* i havna?")
    a.locator("#comment-form button[type=submit]").click()
    expect(a.locator("#discussion-live")).to_have_text(nb("Your comment has been posted."))
    expect(a.locator("textarea#id_body")).to_have_value("")
    first_id = only_comment_id(thread=thread, author=alice)
    first_in_b = b.locator(f"article.comment#comment-{first_id}")
    expect(first_in_b.locator(".comment__body em")).to_have_text("landstrøm")
    expect(first_in_b.locator(".comment__author")).to_have_text("Alice Berg")
    expect(b.locator("#discussion-live")).to_have_text(nb("New comment from %(name)s", name="Alice Berg"))
    assert b.evaluate("() => window.__notReloaded") is True
    # Bob may reply to it and report it (the controls the script reveals from data attributes), but
    # not edit or hide it.
    expect(first_in_b.locator("[data-control=reply]")).to_be_visible()
    expect(first_in_b.locator("[data-control=report]")).to_be_visible()
    expect(first_in_b.locator("[data-control=edit]")).to_be_hidden()
    expect(first_in_b.locator("[data-control=hide]")).to_be_hidden()
    assert_accessible(b)

    # Alice starts a second comment and leaves it half typed, the cursor in the box.
    a.locator("textarea#id_body").click()
    a.keyboard.type("Jeg tenker at vi kunne")
    expect(a.locator("textarea#id_body")).to_be_focused()

    # Bob replies to her comment; the reply arrives in Alice's page under her comment.
    first_in_b.locator("a[data-action=reply]").click()
    expect(b.locator("#comment-form-replying")).to_be_visible()
    expect(b.locator("textarea#id_body")).to_be_focused()
    b.keyboard.type("Ja, det er allerede kabel til kaia.")
    b.locator("#comment-form button[type=submit]").click()
    expect(b.locator("textarea#id_body")).to_have_value("")
    reply_id = only_comment_id(thread=thread, author=bob)
    assert Comment.objects.get(pk=reply_id).reply_to_id == first_id
    reply_in_a = a.locator(f"[data-thread-of='{first_id}'] .comment-replies article.comment#comment-{reply_id}")
    expect(reply_in_a.locator(".comment__body")).to_have_text("Ja, det er allerede kabel til kaia.")
    expect(reply_in_a.locator(".comment__quote-text")).to_contain_text("landstrøm")
    expect(a.locator("#discussion-live")).to_have_text(nb("New comment from %(name)s", name="Bob Dahl"))
    # Nothing that arrived touched Alice's box: her words and her cursor are where she left them.
    expect(a.locator("textarea#id_body")).to_have_value("Jeg tenker at vi kunne")
    expect(a.locator("textarea#id_body")).to_be_focused()
    a.keyboard.type(" legge den om.")
    expect(a.locator("textarea#id_body")).to_have_value("Jeg tenker at vi kunne legge den om.")
    assert_accessible(a)

    # A coordinator opens the thread, follows the Hide control of Alice's comment, and gives a reason.
    c = new_page()
    open_live(c, coordinator, project)
    first_in_c = c.locator(f"article.comment#comment-{first_id}")
    expect(first_in_c.locator(".comment__body")).to_contain_text("landstrøm")
    first_in_c.locator("[data-control=hide] a").click()
    c.wait_for_url(re.compile(rf"/comments/{first_id}/hide/$"))
    expect(c.locator("#moderation-form")).to_be_visible()
    assert_accessible(c)
    c.fill("#moderation-form textarea[name=reason]", "Test av moderering.")
    c.locator("#moderation-form button[type=submit]").click()
    c.wait_for_url(re.compile(re.escape(project.url) + r"(#comment-\d+)?$"))
    expect(c.locator(f"article.comment#comment-{first_id} .comment__placeholder")).to_have_text(
        nb("This comment was hidden by a moderator.")
    )
    assert Comment.objects.get(pk=first_id).hidden_at is not None
    assert_accessible(c)

    # Both commenters see the placeholder at once, and the reply's quote of it is blanked.
    for each in (a, b):
        hidden = each.locator(f"article.comment#comment-{first_id}")
        expect(hidden).to_have_attribute("data-state", "hidden")
        expect(hidden.locator(".comment__placeholder")).to_have_text(nb("This comment was hidden by a moderator."))
        expect(hidden.locator(".comment__body")).to_have_count(0)
        expect(each.get_by_text("landstrøm")).to_have_count(0)
        quote = each.locator(f"article.comment#comment-{reply_id} blockquote.comment__quote")
        expect(quote).to_have_text(nb("In reply to a comment that is no longer shown."))
        assert_accessible(each)
    assert b.evaluate("() => window.__notReloaded") is True
    expect(a.locator("textarea#id_body")).to_have_value("Jeg tenker at vi kunne legge den om.")
    expect(a.locator("textarea#id_body")).to_be_focused()

    # Alice mentions Bob: "@bo" lists the people in the thread under her box (by name only), the
    # first highlighted and announced; Enter puts the whole name in, and the comment mentions him.
    box = a.locator("textarea#id_body")
    a.keyboard.type(" Hva mener @bo")
    suggestions = a.get_by_role("listbox", name=nb("People in this discussion"))
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("option")).to_have_count(1)
    option = suggestions.get_by_role("option", name="Bob Dahl")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(a.locator("#comment-form [data-mention-status]")).to_have_text(
        nb("1 person found. Use the up and down arrows, and Enter to choose.")
    )
    expect(box).to_be_focused()
    assert_accessible(a)
    a.keyboard.press("Enter")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value("Jeg tenker at vi kunne legge den om. Hva mener @Bob Dahl ")
    a.keyboard.type("om det?")
    a.locator("#comment-form button[type=submit]").click()
    expect(box).to_have_value("")
    mentioning = Comment.objects.filter(thread=thread, author=alice).exclude(pk=first_id).get()
    assert list(mentioning.mentions.all()) == [bob]
    expect(b.locator(f"article.comment#comment-{mentioning.pk} .mention")).to_have_text("@Bob Dahl")
