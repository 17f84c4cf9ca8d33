import pytest
from django.apps import apps

from goals.loading import load_catalogue
from goals.models import Goal


@pytest.fixture
def sdg_catalogue(db):
    """The catalogue as migration 0002 loads it into the test database.

    A transactional test elsewhere in the run flushes every table, migration data included, so the
    catalogue is loaded again when that has happened (the loader is idempotent either way).
    """
    if not Goal.objects.exists():
        load_catalogue(apps)
