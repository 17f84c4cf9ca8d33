import pytest

from tests.consultations.factories import coordinator_create, hub_create


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def coordinator(hub):
    return coordinator_create(hub)


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are asserted in English, whatever the catalogues hold."""
    from django.utils import translation

    with translation.override("en"):
        yield
