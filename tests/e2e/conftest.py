import os

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.harness import AXE_SOURCE, CHROMIUM, CHROMIUM_ARGS, LiveServer


@pytest.fixture(scope="session")
def live_asgi_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real ASGI server, started once for the session against the test database."""
    root = tmp_path_factory.mktemp("live-server")
    server = LiveServer(outbox=root / "outbox", media=root / "media")
    with django_db_blocker.unblock():
        server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in the main thread, which makes Django refuse ORM
    # calls from the (plain synchronous) test code. Allow them in this process only; the server
    # subprocess does not inherit it (see LiveServer.environment).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def context(browser, live_asgi_server):
    """A fresh browser profile with axe-core loaded on every page (outside the page's CSP)."""
    context = browser.new_context(base_url=live_asgi_server.url, locale="nb-NO")
    context.add_init_script(path=str(AXE_SOURCE))
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that fails the test on any console error, CSP violations included."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"The browser reported errors: {errors}"
