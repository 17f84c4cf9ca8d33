"""Browser journey for following and notifications (issue 6), with axe on every page passed.

A citizen follows a published project from its page. In another browser a member of the project's
lead partner posts a progress update and then a comment in the project's discussion (both through
the real pages, so the server's own after-commit fan-out rings the citizen's socket whether or not
Redis joins the processes): the citizen's bell counts up to 2 without a reload, each arrival
announced in its live region, and the notification centre lists both. With both kinds in the
weekly digest, the weekly digest run puts one e-mail in the server's outbox that lists the update
and the comment; its unsubscribe link, opened in a fresh browser that is not logged in, asks for
confirmation and then stops every kind of notification e-mail.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from wagtail.models import Page, Site

from cms.management.commands.seed_demo import HOME_SLUG
from cms.models import HomePage
from discussions.models import Comment
from discussions.services import project_thread_ensure
from notifications.models import EmailFrequency, EmailPreference, EventKind, Follow, Notification
from projects.models import ProgressUpdate
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.discussions.factories import commenter_create
from tests.e2e.harness import AXE_SOURCE, assert_accessible, message_text
from tests.partners.factories import hub_create, member_add, partner_index_create
from tests.projects.factories import approved_partner_create, project_create, project_index_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/notifications/unsubscribe/[^/\s]+/")


def nb(message: str, **params) -> str:
    """A msgid as the browser (locale nb-NO, a Bokmål hub) reads it, with Python-style parameters."""
    with translation.override("nb"):
        return gettext(message) % params if params else gettext(message)


def nb_label(label) -> str:
    """A lazily translated label (a model choice's) as the Bokmål page shows it."""
    with translation.override("nb"):
        return str(label)


def nb_js(message: str, **params) -> str:
    """A ``{% translate %}`` message that static/js/notifications.js fills in, as it shows it.

    (The tag doubles a msgid's percent signs before looking it up, then halves them again.)
    """
    with translation.override("nb"):
        text = gettext(message.replace("%", "%%")).replace("%%", "%")
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
def new_page(browser, live_asgi_server):
    """Opens a page in a browser profile of its own (another person, or nobody logged in), failing
    the test on console errors."""
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


def test_a_citizen_follows_a_project_hears_live_gets_the_digest_and_unsubscribes_logged_out(
    page, new_page, live_asgi_server, settings
):
    hub = hub_create(home=_home(), title="Ålesund framtidslab")
    partner_index_create(hub)
    lead = approved_partner_create(hub, name="Havkraft AS")
    project = project_create(project_index_create(hub), title="Grønn havn", lead_partner=lead)
    thread = project_thread_ensure(project)
    partner_person = member_add(lead, user=commenter_create(display_name="Per Partner")).user
    citizen = commenter_create(display_name="Siri Borger")
    bell = page.locator("#notification-bell")
    badge = page.locator("#notification-bell-badge")
    announcer = page.locator("#notification-live")

    # The citizen logs in on the project's page and follows it; the button says so afterwards.
    log_in(page, citizen, project.url)
    follow = page.locator(".follow[data-follow-kind=project]")
    expect(follow.locator(".follow__status")).to_have_count(0)
    follow.get_by_role("button", name=nb("Follow the project")).click()
    page.wait_for_url(re.compile(re.escape(project.url) + "$"))
    expect(follow.locator(".follow__status")).to_have_text("✓ " + nb("You follow this project"))
    expect(follow.get_by_role("button", name=nb("Stop following the project"))).to_be_visible()
    expect(follow.get_by_role("button", name=nb("Follow the project"))).to_have_count(0)
    assert Follow.objects.filter(user=citizen, project=project, active=True).exists()
    # Nothing unread yet: no badge, and the bell's socket is up.
    expect(bell).to_have_attribute("data-connection", "live")
    expect(bell).to_have_attribute("data-unread", "0")
    expect(badge).to_be_hidden()
    expect(bell).to_have_accessible_name(nb("Notifications"))
    assert_accessible(page)
    page.evaluate("() => { window.__notReloaded = true; }")  # gone if the page reloads

    # A member of the lead partner posts a progress update from the project's page...
    partner = new_page()
    log_in(partner, partner_person, project.url)
    partner.get_by_role("link", name=nb("Post a progress update")).click()
    partner.wait_for_url(f"{live_asgi_server.url}/projects/{project.pk}/updates/new/")
    partner.fill("#id_text", "Landstrømanlegget er bestilt.")
    partner.locator(".project-form button[type=submit][data-variant=primary]").click()
    partner.wait_for_url(re.compile(re.escape(project.url) + r"#updates-heading$"))
    assert ProgressUpdate.objects.filter(project=project, author=partner_person).count() == 1

    # ...and the citizen's bell counts it at once, and says what it was.
    update_text = nb("New progress update on “%(project)s”", project="Grønn havn")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("1")
    expect(bell).to_have_accessible_name(nb_js("Notifications, 1 unread"))
    expect(announcer).to_have_text(nb_js("New notification: %(text)s", text=update_text))

    # Then a comment in the project's discussion.
    expect(partner.locator("section#discussion")).to_have_attribute("data-connection", "live")
    partner.fill("textarea#id_body", "Vi håper å koble til de første båtene i mai.")
    partner.locator("#comment-form button[type=submit]").click()
    expect(partner.locator("#discussion-live")).to_have_text(nb("Your comment has been posted."))
    comment = Comment.objects.get(thread=thread, author=partner_person)

    comment_text = nb("%(actor)s commented in “%(thread)s”", actor="Per Partner", thread=thread.title)
    expect(badge).to_have_text("2")
    expect(bell).to_have_attribute("data-unread", "2")
    expect(bell).to_have_accessible_name(nb_js("Notifications, %(number)s unread", number=2))
    expect(announcer).to_have_text(nb_js("New notification: %(text)s", text=comment_text))
    assert page.evaluate("() => window.__notReloaded") is True
    # The partner hears nothing of their own doing; the citizen has exactly the two.
    assert not Notification.objects.filter(recipient=partner_person).exists()
    told = set(Notification.objects.filter(recipient=citizen).values_list("kind", "comment_id"))
    assert told == {(EventKind.PROJECT_UPDATE, None), (EventKind.COMMENT, comment.pk)}
    assert_accessible(page)

    # The bell leads to the notification centre, which lists both, newest first, unread.
    bell.click()
    page.wait_for_url(f"{live_asgi_server.url}/notifications/")
    items = page.locator("#notification-list > li.notification")
    expect(items).to_have_count(2)
    expect(items.nth(0).locator(".notification__text")).to_have_text(comment_text)
    expect(items.nth(0).locator(".notification__excerpt")).to_contain_text("koble til de første båtene")
    expect(items.nth(1).locator(".notification__text")).to_have_text(update_text)
    for item in items.all():
        expect(item).to_have_attribute("data-unread", "true")
    expect(badge).to_have_text("2")
    assert_accessible(page)

    # The citizen wants both kinds in the weekly digest (the defaults, chosen explicitly here).
    # The choices are one compact table (kind × how often), not a column of four radios per kind: at
    # 1280 px a kind takes one row of at most about 110 px (14 kinds since events, consultations, ideas
    # and challenges), and at 320 px nothing scrolls sideways.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/notifications/settings/")
    choices = page.locator("table:has(tbody tr)")
    kinds = choices.locator("tbody tr").count()
    assert choices.bounding_box()["height"] <= 110 * (kinds + 1), "a row per kind, plus the heading row"
    # Each radio is named by its row and its column, so a screen reader says both.
    for kind in (EventKind.COMMENT, EventKind.PROJECT_UPDATE):
        name = f"{nb_label(kind.label)} {nb_label(EmailFrequency.WEEKLY.label)}"
        page.get_by_role("radio", name=name, exact=True).check()
    expect(page.get_by_role("radio", checked=True)).to_have_count(len(page.locator("tbody tr").all()))
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    expect(page.locator("label[for=id_comment_2]")).to_be_visible()  # each radio's own label, under its kind
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name=nb("Save e-mail choices")).click()
    expect(page.get_by_text(nb("Your e-mail choices have been saved."))).to_be_visible()
    chosen = dict(EmailPreference.objects.filter(user=citizen).values_list("kind", "frequency"))
    assert chosen[EventKind.COMMENT] == chosen[EventKind.PROJECT_UPDATE] == EmailFrequency.WEEKLY
    assert_accessible(page)
    # Choosing notifications' e-mail sent nothing yet (both wait for the digest).
    assert [m for m in live_asgi_server.messages() if m["To"] == citizen.email] == []

    # The weekly digest run, as cron starts it, writes to the server's outbox with its addresses.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(live_asgi_server.outbox)
    settings.SITE_URL = live_asgi_server.url
    out = StringIO()
    call_command("send_digests", "weekly", "--now", stdout=out)
    assert out.getvalue().startswith("1 weekly digests sent to 1 people (2 notifications"), out.getvalue()
    digests = [m for m in live_asgi_server.messages() if m["To"] == citizen.email]
    assert len(digests) == 1
    digest = digests[0]
    text = message_text(digest)
    assert update_text in text
    assert comment_text in text
    assert "koble til de første båtene" in text
    assert "Grønn havn" in text
    assert text.index(update_text) < text.index(comment_text)  # the project's news before its discussion
    links = UNSUBSCRIBE_LINK.findall(text)
    assert links, text
    unsubscribe_link = links[-1]
    assert unsubscribe_link.startswith(live_asgi_server.url)
    assert f"<{unsubscribe_link}>" in digest["List-Unsubscribe"]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A second run has nothing new to tell.
    call_command("send_digests", "weekly", "--now", stdout=StringIO())
    assert len([m for m in live_asgi_server.messages() if m["To"] == citizen.email]) == 1

    # The link, in a fresh browser nobody is logged into: it asks first, then unsubscribes.
    stranger = new_page()
    stranger.goto(unsubscribe_link)
    expect(stranger.locator("#notification-bell")).to_have_count(0)
    expect(stranger.get_by_role("heading", level=1)).to_have_text(nb("Unsubscribe"))
    expect(stranger.get_by_text(nb("Stop all e-mail about notifications?"))).to_be_visible()
    assert_accessible(stranger)
    # Looking at the page changed nothing.
    assert EmailPreference.objects.get(user=citizen, kind=EventKind.COMMENT).frequency == EmailFrequency.WEEKLY
    stranger.get_by_role("button", name=nb("Unsubscribe")).click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text(nb("You are unsubscribed"))
    done = nb("We will not e-mail you about notifications any more.")
    expect(stranger.get_by_role("status").filter(has_text=done)).to_be_visible()
    assert_accessible(stranger)
    chosen = dict(EmailPreference.objects.filter(user=citizen).values_list("kind", "frequency"))
    assert chosen == dict.fromkeys(EventKind.values, EmailFrequency.NEVER)

    # The citizen's settings page says so too.
    page.goto("/notifications/settings/")
    for kind in (EventKind.COMMENT, EventKind.PROJECT_UPDATE):
        expect(page.locator(f"input[name={kind.value}][value={EmailFrequency.NEVER.value}]")).to_be_checked()
    assert_accessible(page)
