import pytest
from django.core.cache import cache

from tests.cache_cleanup import delete_run_keys, run_key_patterns


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached fragments must not leak from one test into the next. Only this run's
    keys go: the Redis database may be shared (tests/cache_cleanup.py)."""
    delete_run_keys(cache, run_key_patterns())
    yield
    delete_run_keys(cache, run_key_patterns())


@pytest.fixture(autouse=True)
def _search_index_only_where_searched(request, settings):
    """Indexing every saved page, partner and comment for search was a sixth of the unit tests' time,
    spent by tests that never search. Tests of search (``tests/sitesearch``, the browser tests, and
    any test marked ``search_index``) keep the index up to date as production does."""
    if request.node.get_closest_marker("search_index") or {"sitesearch", "e2e"} & set(request.node.path.parts):
        return
    backends = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {name: {**conf, "AUTO_UPDATE": False} for name, conf in backends.items()}


@pytest.fixture
def page_cache_off(settings):
    """Render every page: query-count tests would otherwise count a cache hit, which runs none."""
    settings.DUGNAD_PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_EXPORT_ROOT = tmp_path / "exports"


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main thread."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
