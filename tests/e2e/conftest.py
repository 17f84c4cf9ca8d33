import os

import pytest
from django.conf import settings
from django.test.utils import override_settings
from playwright.sync_api import sync_playwright

from tests.e2e.harness import AXE_SOURCE, CHROMIUM, CHROMIUM_ARGS, LiveServer


@pytest.fixture(scope="session")
def e2e_media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("live-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, e2e_media_dir):
    """Uploads made by the tests (demo logos, project pictures) go where the server serves them from."""
    settings.MEDIA_ROOT = e2e_media_dir


@pytest.fixture(scope="session")
def live_asgi_server(django_db_setup, django_db_blocker, tmp_path_factory, e2e_media_dir):
    """The real ASGI server, started once for the session against the test database.

    It shares the tests' cache (Redis when REDIS_URL is set, else a file cache both processes
    use), so emptying the run's keys before each test (tests/cache_cleanup.py) also empties what
    the server cached, such as Wagtail's site root paths: a page tree rebuilt by one test is never
    served from another test's cache.
    """
    root = tmp_path_factory.mktemp("live-server")
    shared_cache_dir = None
    if not settings.REDIS_URL:
        shared_cache_dir = root / "cache"
        cache_override = override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                    "LOCATION": str(shared_cache_dir),
                }
            }
        )
        cache_override.enable()
    server = LiveServer(outbox=root / "outbox", media=e2e_media_dir, shared_cache_dir=shared_cache_dir)
    with django_db_blocker.unblock():
        server.start()
    yield server
    server.stop()
    if shared_cache_dir is not None:
        cache_override.disable()


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


@pytest.fixture(scope="session", autouse=True)
def _playwright_before_the_database(browser):
    """Start Playwright before any test sets up the database, whether or not that test drives a page.

    Playwright's event loop changes which database connection Django's ORM hands out in this
    thread; the serialized-rollback restore must land in the connection every later test uses.
    When a first test without a browser (a plain HTTP one) set up the database before Playwright
    started, every browser test after it saw an empty database on PostgreSQL.
    """


@pytest.fixture
def context(browser, live_asgi_server):
    """A fresh browser profile with axe-core loaded on every page (outside the page's CSP).

    The server's outbox is emptied too, so each test reads only the e-mail it caused. (Not an
    autouse fixture: one that requests the server before pytest-django's own set-up breaks the
    serialized-rollback restore.)
    """
    live_asgi_server.clear_outbox()
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


@pytest.fixture(scope="session")
def private_postgres():
    """A private PostgreSQL cluster with a migrated template database (tests/e2e/pg_cluster.py), for
    the tests that stop the database or restore into a fresh one; shared by the session."""
    from tests.e2e.pg_cluster import migrated_cluster

    cluster = migrated_cluster(settings.BASE_DIR)
    yield cluster
    cluster.remove()
