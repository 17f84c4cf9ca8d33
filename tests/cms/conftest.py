import pytest

from tests.cms.factories import home_page_create


@pytest.fixture
def home(db):
    """A HomePage that is the default Site's root, as after seed_demo."""
    return home_page_create()
