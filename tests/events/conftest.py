import pytest
from django.utils import translation

from tests.events.factories import coordinator_create, hub_create


@pytest.fixture
def hub():
    return hub_create(title="Fjordvik", default_language="en")


@pytest.fixture
def coordinator(hub):
    return coordinator_create(hub)


@pytest.fixture(autouse=True)
def _in_english(settings):
    """Messages are asserted in English, whatever the catalogues hold; every page is rendered."""
    settings.DUGNAD_PAGE_CACHE = False
    with translation.override("en"):
        yield
