import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are asserted in English, whatever the catalogues hold."""
    with translation.override("en"):
        yield
