import pytest

from tests.ideas.factories import idea_scene_create


@pytest.fixture
def scene(db):
    return idea_scene_create()


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are asserted in English, whatever the catalogues hold."""
    from django.utils import translation

    with translation.override("en"):
        yield
