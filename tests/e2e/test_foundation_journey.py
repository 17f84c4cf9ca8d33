"""The foundation's browser journey: sign up, verify, log in, change language; axe on every page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.harness import assert_accessible, message_text

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ["nb", "nn", "en"]
PUBLIC_PAGES = [
    "/",
    "/goals/",
    "/goals/11/",
    "/accounts/login/",
    "/accounts/signup/",
    "/fjordvik-framtidslab/",
    "/fjordvik-framtidslab/om-laben/",
    "/fjordvik-framtidslab/nyheter/",
]


@pytest.fixture
def demo_site(live_asgi_server):
    call_command("seed_demo", "--password", "demo-password-123", verbosity=0)


def _submit_main_form(page):
    page.locator("#main form").last.locator("button[type=submit]").first.click()


def test_sign_up_verify_log_in_and_change_language(page, live_asgi_server, demo_site):
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.fill("input[name=email]", "kari@example.org")
    page.fill("input[name=display_name]", "Kari Nordmann")
    page.fill("input[name=password1]", "et-langt-passord-42")
    page.fill("input[name=password2]", "et-langt-passord-42")
    _submit_main_form(page)

    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert_accessible(page)
    verification = [m for m in live_asgi_server.messages() if m["To"] == "kari@example.org"]
    assert len(verification) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message_text(verification[0])).group(0)

    assert link.startswith(live_asgi_server.url + "/"), link  # SITE_URL, whichever host the request used
    page.goto(link)
    assert_accessible(page)
    _submit_main_form(page)
    page.wait_for_url(f"{live_asgi_server.url}/")
    header = page.locator("header")
    expect(header.get_by_text("Kari Nordmann")).to_be_visible()

    header.locator("form[action$='/accounts/logout/'] button").click()
    # The page after logging out: wait for it (its log-in link) before asserting that the name is gone.
    expect(header.get_by_role("link", name="Logg inn")).to_be_visible()
    expect(header.locator("form[action$='/accounts/logout/']")).to_have_count(0)
    expect(header.get_by_text("Kari Nordmann")).to_have_count(0)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "kari@example.org")
    page.fill("input[name=password]", "et-langt-passord-42")
    _submit_main_form(page)
    page.wait_for_url(f"{live_asgi_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")

    page.locator("summary.language-menu__toggle").click()
    page.locator(".language-menu a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to main content")).to_have_count(1)
    assert get_user_model().objects.get(email="kari@example.org").preferred_language == "en"
    assert_accessible(page)


def test_public_pages_pass_axe_in_every_language(page, context, live_asgi_server, demo_site):
    # One demo site for the three languages: seeding it is most of what a test of its own would cost.
    for language in LANGUAGES:
        context.add_cookies([{"name": "django_language", "value": language, "url": live_asgi_server.url}])
        for path in PUBLIC_PAGES:
            response = page.goto(path)
            assert response.status == 200, (language, path)
            expect(page.locator("html"), path).to_have_attribute("lang", language)
            expect(page.locator("h1"), path).to_have_count(1)
            assert_accessible(page)


def test_public_pages_fit_a_320_pixel_screen_and_open_with_a_skip_link(page, live_asgi_server, demo_site):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path

    page.goto("/goals/")
    page.keyboard.press("Tab")
    expect(page.locator("a[href='#main']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
