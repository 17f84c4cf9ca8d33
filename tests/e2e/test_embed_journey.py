"""Browser journey for embeds: a municipality's web editor opens the share dialog with the keyboard,
picks a goal (the code changes), and pastes the code into a page on another website, where the
hub's projects show in a frame that fits its content. axe on the dialog and the embed at 1280 and
375 px; the ``page`` fixture fails on any console error (CSP violations included)."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.harness import assert_accessible
from tests.partners.factories import hub_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SIZES = ((1280, 900), (375, 800))


def nb(message: str) -> str:
    with translation.override("nb"):
        return gettext(message)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_website(tmp_path):
    """A second web server on another port (another origin), serving files written to ``tmp_path``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def hub_with_projects():
    hub = hub_create(title="Ålesund")
    index = project_index_create(hub)
    project_create(index, title="Solceller på skolen", primary_goal=goal(7))
    project_create(index, title="Grønn havn", primary_goal=goal(14))
    project_create(index, title="Hemmelig utkast", primary_goal=goal(7), live=False)
    return hub, index


def test_json_ld_passes_the_content_security_policy(page, live_asgi_server, hub_with_projects):
    """A data block is not a script: Chromium runs nothing and reports no CSP violation (the ``page``
    fixture fails on any console error)."""
    hub, index = hub_with_projects
    project = index.get_children().live().first()
    for url in (project.url, hub.url):
        page.goto(url)
        expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
        expect(page.locator('meta[property="og:url"]')).to_have_attribute("content", f"{live_asgi_server.url}{url}")


def test_share_dialog_to_embed_on_another_website(page, live_asgi_server, hub_with_projects, other_website):
    hub, index = hub_with_projects
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(index.url)
    opener = page.get_by_role("button", name=nb("Share / embed"))
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=nb("Share or embed these projects"))
    expect(dialog).to_be_visible()
    code = dialog.get_by_label(nb("Code to paste into your page"))
    expect(code).to_contain_text(f"/embed/{hub.pk}/?lang=nb")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Choose goal 7 from the keyboard: the code is asked for again and replaced.
    goal_select = dialog.get_by_label(nb("Goal"))
    goal_select.focus()
    expect(goal_select).to_be_focused()
    goal_select.select_option("7")
    page.wait_for_function(
        "() => document.getElementById('embed-code').value.includes('goal=7&amp;lang=nb')", timeout=15_000
    )
    snippet = code.input_value()
    assert f"{live_asgi_server.url}/embed/{hub.pk}/?goal=7&amp;lang=nb" in snippet
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    # The code on another website: the frame shows the goal's projects and fits them.
    folder, origin = other_website
    (folder / "host.html").write_text(
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Kommunen</title>'
        '<link rel="icon" href="data:,"></head><body><main><h1>Kommunens nettsted</h1>'
        f"{snippet}</main></body></html>",
        encoding="utf-8",
    )
    page.goto(f"{origin}/host.html")
    frame = page.frame_locator("iframe[data-dugnad-embed]")
    link = frame.get_by_role("link", name="Solceller på skolen")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("target", "_blank")
    expect(frame.get_by_text("Grønn havn")).to_have_count(0)
    expect(frame.get_by_text("Hemmelig utkast")).to_have_count(0)
    iframe = page.locator("iframe[data-dugnad-embed]")
    page.wait_for_function("() => document.querySelector('iframe[data-dugnad-embed]').style.height !== ''")
    assert iframe.bounding_box()["height"] < 640  # one card needs less than the fixed height
    assert page.context.cookies() == []  # neither the site nor the embed set a cookie


def test_embed_page_is_accessible_at_both_widths(page, live_asgi_server, hub_with_projects):
    hub, _index = hub_with_projects
    for language in ("nb", "nn", "en"):
        page.goto(f"/embed/{hub.pk}/?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(f"/embed/{hub.pk}/?lang=nb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prosjekter i Ålesund")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)


def test_share_page_works_without_javascript(browser, live_asgi_server, hub_with_projects):
    hub, index = hub_with_projects
    context = browser.new_context(base_url=live_asgi_server.url, java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    try:
        page.goto(index.url)
        page.get_by_role("link", name=nb("Share / embed")).click()
        page.get_by_label(nb("Goal")).select_option("14")
        page.get_by_role("button", name=nb("Update the code")).click()
        expect(page.locator("#embed-code")).to_contain_text("goal=14")
    finally:
        context.close()
