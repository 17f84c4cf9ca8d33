import logging

import pytest

from tests.notifications.factories import notify_scene_create


@pytest.fixture(autouse=True)
def _no_waiting_between_comments(settings):
    """The rate limit is discussions' business; here one person may comment twice in a test."""
    settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS = 0
    settings.DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS = 0


@pytest.fixture
def no_swallowed_errors(caplog):
    """The immediate task backend and the receivers log failures instead of raising them: a test
    that passes must not have hidden one (for the fan-out tests: ``usefixtures``)."""
    yield
    errors = [
        record
        for record in caplog.get_records("call")
        if record.levelno >= logging.ERROR and record.name.split(".")[0] in {"notifications", "django_tasks"}
    ]
    assert not errors, [record.getMessage() for record in errors]


@pytest.fixture
def scene():
    return notify_scene_create()
