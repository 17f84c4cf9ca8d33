"""Every page on a phone, for every kind of visitor: no sideways scrolling, axe clean, a compact header.

One demo site (``seed_demo``, plus a citizen with a comment of their own) is visited by four
people: an anonymous visitor, a citizen (a registered user who acts for no organisation), a
partner organisation's administrator and the hub's coordinator, each in one browser profile for
all their pages. Each page is loaded once per person and checked at 320, 375 and 1280 px by
resizing the window, with axe at the width it was loaded at (320 or 1280 px, alternately). The
language rotates per page and per person (``django_language`` cookie), so the pages everyone sees
are seen in Bokmål, Nynorsk and English at every width, without loading each page three times.

The header's menu on a phone is tested on its own: small while closed, opened and closed by
keyboard, with JavaScript and without."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from cms.management.commands.seed_demo import COORDINATOR_EMAIL, HUB_SLUG
from cms.models import HubPage, NewsIndexPage, NewsPage, StandardPage
from discussions.models import ForumIndexPage, Thread
from partners.demo import CONTACT_EMAIL
from partners.models import PartnerIndexPage, Partnership, PartnershipStatus
from projects.models import ProjectIndexPage, ProjectPage
from projects.permissions import can_post_progress_update
from tests.discussions.factories import comment_create, commenter_create
from tests.e2e.harness import AXE_SOURCE, assert_accessible
from tests.e2e.test_discussion_journeys import _home
from tests.partners.factories import hub_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ("nb", "nn", "en")
NARROW, PHONE, WIDE = 320, 375, 1280
HEIGHTS = {NARROW: 568, PHONE: 667, WIDE: 800}
# With its menu closed the header may take at most this share of a phone's screen.
HEADER_SHARE = 0.25
# An address with nothing to break it at, in the citizen's comment: it must wrap, not widen the page.
LONG_ADDRESS = "https://fjordvik.example/prosjekter/hele-fisken/dokumenter/sluttrapport-for-fiskeavfallsprosjektet-2026"


def _session_cookie(user, url: str) -> dict:
    """A logged-in session for ``user``, as a cookie for the browser (no login page to go through)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


@pytest.fixture
def demo(live_asgi_server):
    """The demo site, with the people who visit it and the pages each of them can see."""
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    users = get_user_model().objects
    coordinator = users.get(email=COORDINATOR_EMAIL)
    partner_admin = users.get(email=CONTACT_EMAIL)
    partner_admin.emailaddress_set.update_or_create(email=CONTACT_EMAIL, defaults={"verified": True, "primary": True})
    citizen = commenter_create(display_name="Nora Nabo")

    hub = HubPage.objects.get(slug=HUB_SLUG)
    directory = PartnerIndexPage.objects.child_of(hub).get()
    partnership = Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).first()
    projects = ProjectIndexPage.objects.child_of(hub).get()
    thread = Thread.objects.filter(hub=hub, project__isnull=False).annotate(n=Count("comments")).order_by("-n").first()
    others_comment = thread.comments.exclude(author=citizen).first()
    own_comment = comment_create(thread, author=citizen, body=f"Se sluttrapporten: {LONG_ADDRESS}")
    proposal = ProjectPage.objects.descendant_of(hub).filter(live=False, proposed_by=partner_admin).first()
    reported_on = next(p for p in ProjectPage.objects.live() if can_post_progress_update(partner_admin, p))
    forum = ForumIndexPage.objects.child_of(hub).get()
    topic = Thread.objects.filter(hub=hub, project=None).first()
    own_partner = partner_admin.partner_memberships.first().partner

    everyone = [
        "/",
        hub.url,
        directory.url,
        f"{directory.url}{partnership.partner.slug}/",
        f"{directory.url}apply/",
        projects.url,
        thread.project.url,
        forum.url,
        f"{forum.url}{topic.pk}/",
        NewsIndexPage.objects.child_of(hub).get().url,
        NewsPage.objects.descendant_of(hub).live().first().url,
        StandardPage.objects.descendant_of(hub).live().first().url,
        reverse("goal_list"),
        reverse("goal_detail", args=[11]),
    ]
    logged_in = [
        f"{forum.url}new/",
        reverse("discussions:comment_create", args=[thread.pk]) + f"?reply_to={others_comment.pk}",
        reverse("discussions:comment_report", args=[others_comment.pk]),
        reverse("profile"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("notifications:centre"),
        reverse("notifications:following"),
        reverse("notifications:email_settings"),
        reverse("partner_mine"),
    ]
    proposal_page = f"{projects.url}proposals/{proposal.pk}/"
    # Only people who act for an organisation may propose a project (others get a 403).
    propose = f"{projects.url}propose/"
    return {
        "anonymous": (
            None,
            everyone
            + [propose, reverse("account_login"), reverse("account_signup")]
            + [reverse("account_reset_password")],
        ),
        "citizen": (
            citizen,
            everyone
            + logged_in
            + [
                reverse("discussions:comment_edit", args=[own_comment.pk]),
                reverse("discussions:comment_delete", args=[own_comment.pk]),
            ],
        ),
        "partner": (
            partner_admin,
            everyone
            + logged_in
            + [
                propose,
                proposal_page,
                f"{projects.url}proposals/{proposal.pk}/edit/",
                reverse("partner_manage", args=[own_partner.slug]),
                reverse("project_update_new", args=[reported_on.pk]),
            ],
        ),
        "coordinator": (
            coordinator,
            everyone
            + logged_in
            + [
                proposal_page,
                reverse("discussions:comment_hide", args=[others_comment.pk]),
                reverse("discussions:thread_lock", args=[thread.pk]),
            ],
        ),
    }


def _width_problems(page, width: int) -> list[str]:
    """Resize the window to ``width``; what is wrong there: anything sticking out sideways, and on
    a phone a header (menu closed) taller than ``HEADER_SHARE`` of the screen."""
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    found = page.evaluate(
        """() => ({
            header: document.querySelector('header.site-header').getBoundingClientRect().height,
            width: document.documentElement.scrollWidth,
            widest: document.documentElement.scrollWidth <= window.innerWidth ? [] :
                [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(-3).map((el) => `${el.tagName.toLowerCase()}.${el.className}#${el.id}`),
        })"""
    )
    problems = [f"{found['width']} px wide at {width} px: {found['widest']}"] if found["width"] > width else []
    if width < WIDE and found["header"] > HEADER_SHARE * HEIGHTS[width]:
        problems.append(f"the header is {found['header']:.0f} px high on a {width}×{HEIGHTS[width]} screen")
    return problems


def test_every_page_fits_a_phone_and_passes_axe_for_every_kind_of_visitor(browser, live_asgi_server, demo):
    """Each page is loaded once per person and checked at three widths by resizing the window.

    The widths are walked alternately up and down (320 → 1280, then 1280 → 320), so each page is
    loaded at the width the last one ended at, and axe runs there: at 320 px for one page and at
    1280 px for the next, and for each page at both across the four people.
    """
    problems, errors = [], []
    for turn, (role, (user, paths)) in enumerate(demo.items()):
        widths = (NARROW, PHONE, WIDE) if turn % 2 == 0 else (WIDE, PHONE, NARROW)
        context = browser.new_context(
            base_url=live_asgi_server.url, locale="nb-NO", viewport={"width": widths[0], "height": HEIGHTS[widths[0]]}
        )
        context.add_init_script(path=str(AXE_SOURCE))
        context.set_default_timeout(15_000)
        if user is not None:
            context.add_cookies([_session_cookie(user, live_asgi_server.url)])
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            for number, path in enumerate(paths):
                language = LANGUAGES[(turn + number) % len(LANGUAGES)]
                where = f"{role}, {language}, {path}"
                context.add_cookies([{"name": "django_language", "value": language, "url": live_asgi_server.url}])
                response = page.goto(path)
                assert response.ok, f"{where}: {response.status}"
                expect(page.locator("html"), where).to_have_attribute("lang", language)
                expect(page.locator("#notification-bell"), f"{where}: logged in?").to_have_count(int(user is not None))
                for width in widths:
                    problems += [f"{where}: {problem}" for problem in _width_problems(page, width)]
                    if width == widths[0]:
                        assert_accessible(page)
                widths = widths[::-1]
        finally:
            context.close()
    assert not problems, "\n".join(problems)
    assert not errors, f"The browser reported errors: {errors}"


@pytest.fixture
def small_site(live_asgi_server):
    """A home page and a hub (the header is the same on every page), and a member to log in."""
    hub = hub_create(home=_home(), title="Ålesund framtidslab")
    return hub, commenter_create(display_name="Mia Medlem")


def _tab_to(page, selector: str, limit: int = 10) -> None:
    """Press Tab until the element ``selector`` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab")


def test_the_header_menu_on_a_phone_is_compact_and_opens_by_keyboard(page, context, live_asgi_server, small_site):
    hub, member = small_site
    context.add_cookies([_session_cookie(member, live_asgi_server.url)])
    page.set_viewport_size({"width": PHONE, "height": HEIGHTS[PHONE]})
    page.goto(hub.url)
    toggle = page.locator("summary.site-menu__toggle")
    menu_link = page.locator("#site-menu-panel a[href='/goals/']")
    log_out = page.locator("#site-menu-panel form[action$='/accounts/logout/'] button")

    assert page.locator("header.site-header").bounding_box()["height"] <= HEADER_SHARE * HEIGHTS[PHONE]
    expect(toggle).to_be_visible()
    expect(page.locator("#notification-bell")).to_be_visible()
    expect(menu_link).to_be_hidden()
    expect(log_out).to_be_hidden()

    _tab_to(page, "summary.site-menu__toggle")
    page.keyboard.press("Enter")
    expect(menu_link).to_be_visible()
    expect(log_out).to_be_visible()
    expect(page.locator("summary.language-menu__toggle")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('site-menu-panel').contains(document.activeElement)")

    # Escape (static/js/dugnad.js) closes the menu and gives the focus back to its button.
    page.keyboard.press("Escape")
    expect(menu_link).to_be_hidden()
    expect(toggle).to_be_focused()

    # From about 768 px the whole header shows, and there is no menu button.
    page.set_viewport_size({"width": 768, "height": 1024})
    expect(toggle).to_be_hidden()
    expect(menu_link).to_be_visible()
    expect(log_out).to_be_visible()
    assert_accessible(page)


def test_the_header_menu_works_without_javascript(browser, live_asgi_server, small_site):
    hub, _ = small_site
    context = browser.new_context(
        base_url=live_asgi_server.url,
        locale="nb-NO",
        java_script_enabled=False,
        viewport={"width": NARROW, "height": HEIGHTS[NARROW]},
    )
    try:
        page = context.new_page()
        page.goto(hub.url)
        menu_link = page.locator("#site-menu-panel a[href='/goals/']")
        log_in = page.locator("#site-menu-panel a[href$='/accounts/login/']")
        assert page.locator("header.site-header").bounding_box()["height"] <= HEADER_SHARE * HEIGHTS[NARROW]
        expect(menu_link).to_be_hidden()

        _tab_to(page, "summary.site-menu__toggle")
        page.keyboard.press("Enter")
        expect(menu_link).to_be_visible()
        expect(log_in).to_be_visible()
        page.keyboard.press("Tab")
        expect(page.locator("summary.language-menu__toggle")).to_be_focused()

        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        expect(menu_link).to_be_hidden()
    finally:
        context.close()


def test_the_detail_pages_use_the_width_and_read_on_a_phone(browser, live_asgi_server, demo):
    """The project page, a partner, the directory, a goal, log-in and sign-up at 1280 and 375 px, in
    the three languages: axe clean (the project page with its charts also in the dark scheme), the
    project page in a main column beside its fact box on a wide screen and in one column on a phone,
    its description named once, its picture of bounded height, and a goal's number on one line."""
    hub = HubPage.objects.get(slug=HUB_SLUG)
    directory = PartnerIndexPage.objects.child_of(hub).get()
    project = (
        ProjectPage.objects.live()
        .descendant_of(hub)
        .filter(outcomes__isnull=False)
        .exclude(hero_image=None)
        .order_by("path")
        .first()
    )
    partner = Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).order_by("pk").first().partner
    goal_number = project.primary_goal.number
    paths = [
        project.url,
        f"{directory.url}{partner.slug}/",
        directory.url,
        reverse("goal_detail", args=[goal_number]),
        reverse("account_login"),
        reverse("account_signup"),
    ]
    about = {"nb": "Om prosjektet", "nn": "Om prosjektet", "en": "About the project"}
    context = browser.new_context(base_url=live_asgi_server.url, locale="nb-NO")
    context.add_init_script(path=str(AXE_SOURCE))
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        for turn, language in enumerate(LANGUAGES):
            context.add_cookies([{"name": "django_language", "value": language, "url": live_asgi_server.url}])
            for width in (WIDE, PHONE) if turn % 2 == 0 else (PHONE, WIDE):
                page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                for path in paths:
                    where = f"{language}, {width} px, {path}"
                    assert page.goto(path).ok, where
                    assert not _width_problems(page, width), where
                    assert_accessible(page)
                    if path != project.url:
                        continue
                    main = page.locator(".project-layout__main")
                    facts = page.locator(".project-layout__facts")
                    expect(main.get_by_role("heading", name=about[language], exact=True), where).to_have_count(1)
                    number = facts.locator(".goal-badge__number").first
                    one_line = number.evaluate(
                        "(el) => el.getBoundingClientRect().height <= parseFloat(getComputedStyle(el).lineHeight) + 1"
                    )
                    assert one_line, f"{where}: the goal's number breaks over two lines"
                    picture = main.locator("img.project-hero__image")
                    assert picture.get_attribute("width") and picture.get_attribute("height"), where
                    rem = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
                    assert picture.bounding_box()["height"] <= 24 * rem + 1, where
                    main_box, facts_box = main.bounding_box(), facts.bounding_box()
                    if width == WIDE:
                        assert facts_box["x"] >= main_box["x"] + main_box["width"], f"{where}: the facts are not aside"
                        assert main_box["width"] >= 640, f"{where}: the main column is {main_box['width']} px"
                        # The charts read in the dark scheme too (Designsystemet's tokens).
                        page.evaluate("document.documentElement.dataset.colorScheme = 'dark'")
                        expect(page.locator(".project-outcome .line-chart__target-label").first).to_be_visible()
                        assert_accessible(page)
                    else:
                        assert facts_box["width"] == pytest.approx(main_box["width"], abs=1), where
    finally:
        context.close()
