"""The site's chrome on the main pages: the layout rules, and the language menu by keyboard, with
JavaScript and without it, in all three languages.

The layout rules hold on every main page of the demo site (``seed_demo``): nothing sticks out
sideways at 320 px, every picture states its width and height (so nothing jumps as pictures load),
header, main and footer share one container, and axe finds nothing in either colour scheme."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cms.management.commands.seed_demo import HUB_SLUG
from cms.models import HubPage
from discussions.models import ForumIndexPage, Thread
from partners.models import PartnerIndexPage, Partnership, PartnershipStatus
from projects.models import ProjectIndexPage, ProjectPage
from tests.e2e.harness import AXE_SOURCE, assert_accessible
from tests.e2e.test_discussion_journeys import _home
from tests.e2e.test_small_screens import _tab_to
from tests.partners.factories import hub_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NARROW, WIDE = 320, 1280
# The Bokmål, Nynorsk and English names the menu shows, and a word of the page in each language.
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
SKIP_LINK = {"nb": "Hopp til hovedinnhold", "nn": "Hopp til hovudinnhald", "en": "Skip to main content"}


@pytest.fixture
def main_pages(live_asgi_server):
    """The addresses of the main pages of the demo site."""
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    hub = HubPage.objects.get(slug=HUB_SLUG)
    directory = PartnerIndexPage.objects.child_of(hub).get()
    partnership = Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).first()
    forum = ForumIndexPage.objects.child_of(hub).get()
    topic = Thread.objects.filter(hub=hub, project=None).first()
    return [
        "/",
        hub.url,
        directory.url,
        f"{directory.url}{partnership.partner.slug}/",
        ProjectIndexPage.objects.child_of(hub).get().url,
        ProjectPage.objects.descendant_of(hub).live().first().url,
        f"{forum.url}{topic.pk}/",
        f"{hub.url}dashboard/",
        reverse("goal_detail", args=[11]),
        reverse("account_login"),
    ]


def _layout_problems(page) -> list[str]:
    """What breaks the layout rules on the loaded page (at the window's current width)."""
    found = page.evaluate(
        """() => {
            const box = (selector) => {
                const element = document.querySelector(selector);
                const style = getComputedStyle(element);
                const rect = element.getBoundingClientRect();
                return [Math.round(rect.left + parseFloat(style.paddingLeft)),
                        Math.round(rect.right - parseFloat(style.paddingRight))];
            };
            return {
                width: document.documentElement.scrollWidth,
                // What widens the page: sticking out, and not inside a box that scrolls or clips.
                sticking_out: [...document.querySelectorAll('body *')]
                    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                    .filter((el) => {
                        for (let box = el.parentElement; box; box = box.parentElement) {
                            if (getComputedStyle(box).overflowX !== 'visible') return false;
                        }
                        return true;
                    })
                    .slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class')}`),
                unsized: [...document.images]
                    .filter((img) => !img.getAttribute('width') || !img.getAttribute('height'))
                    .map((img) => img.getAttribute('src')),
                edges: [box('.site-header__inner'), box('main.site-main'), box('.site-footer__inner')],
            };
        }"""
    )
    problems = []
    width = page.viewport_size["width"]
    if found["width"] > width:
        problems.append(f"{found['width']} px wide at {width} px: {found['sticking_out']}")
    problems += [f"an <img> without width and height: {src}" for src in found["unsized"]]
    if len({tuple(edges) for edges in found["edges"]}) != 1:
        problems.append(f"header, main and footer do not line up: {found['edges']}")
    return problems


def test_the_main_pages_keep_the_layout_rules(browser, live_asgi_server, main_pages):
    """Each page is loaded once at 320 px, checked, then checked again at 1,280 px, where axe runs
    (in both colour schemes, assert_accessible)."""
    context = browser.new_context(
        base_url=live_asgi_server.url, locale="nb-NO", viewport={"width": NARROW, "height": 640}
    )
    context.add_init_script(path=str(AXE_SOURCE))
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    try:
        for path in main_pages:
            page.set_viewport_size({"width": NARROW, "height": 640})
            response = page.goto(path)
            assert response.ok, f"{path}: {response.status}"
            problems += [f"{path} at {NARROW} px: {problem}" for problem in _layout_problems(page)]
            page.set_viewport_size({"width": WIDE, "height": 800})
            problems += [f"{path} at {WIDE} px: {problem}" for problem in _layout_problems(page)]
            main_width = page.locator("main.site-main").bounding_box()["width"]
            if main_width < 1000:
                problems.append(f"{path}: main is {main_width:.0f} px wide at {WIDE} px")
            assert_accessible(page)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def hub(live_asgi_server):
    return hub_create(home=_home(), title="Ålesund framtidslab")


def _choose_language_by_keyboard(page, code: str) -> None:
    """Open the language menu with the keyboard and follow the link for ``code``."""
    page.locator("body").focus()
    _tab_to(page, "summary.language-menu__toggle")
    page.keyboard.press("Enter")
    link = page.locator(f".language-menu a[hreflang={code}]")
    expect(link).to_be_visible()
    _tab_to(page, f".language-menu a[hreflang={code}]", limit=4)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_language_menu_works_by_keyboard_in_all_three_languages(browser, live_asgi_server, hub, javascript):
    context = browser.new_context(
        base_url=live_asgi_server.url,
        locale="nb-NO",
        java_script_enabled=javascript,
        viewport={"width": WIDE, "height": 800},
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(hub.url)
        toggle = page.locator("summary.language-menu__toggle")
        expect(page.locator(".language-menu a[hreflang=nn]")).to_be_hidden()
        for code in ("nn", "en", "nb"):
            _choose_language_by_keyboard(page, code)
            page.wait_for_url(f"{live_asgi_server.url}{hub.url}")
            expect(page.locator("html")).to_have_attribute("lang", code)
            expect(page.get_by_role("link", name=SKIP_LINK[code])).to_have_count(1)
            expect(toggle).to_contain_text(LANGUAGE_NAMES[code])
            expect(page.locator(".language-menu a[aria-current=true]")).to_have_attribute("hreflang", code)
            expect(page.locator(".language-menu a[aria-current]")).to_have_count(1)

        if javascript:
            # Escape (static/js/dugnad.js) closes the open menu and gives the focus back to its button.
            _tab_to(page, "summary.language-menu__toggle")
            page.keyboard.press("Enter")
            expect(page.locator(".language-menu a[hreflang=en]")).to_be_visible()
            page.keyboard.press("Escape")
            expect(page.locator(".language-menu a[hreflang=en]")).to_be_hidden()
            expect(toggle).to_be_focused()
    finally:
        context.close()
