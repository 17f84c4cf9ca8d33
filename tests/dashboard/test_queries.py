"""The dashboard costs a fixed number of queries whatever the data (cold, figures computed) and
fewer when its figures are cached."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussions.models import Thread
from indicators.models import Indicator
from projects.models import OutcomeMeasurement, ProgressUpdate
from tests.cache_cleanup import delete_run_keys, run_key_patterns
from tests.dashboard.factories import comment_at, scene_create
from tests.projects.factories import goal, outcome_create, project_create

pytestmark = pytest.mark.django_db


def _grow(scene, times: int):
    index = scene.pr1.get_parent()
    for number in range(times):
        project = project_create(
            index, primary_goal=goal(number % 17 + 1), goals=[goal(5)], partners=[scene.p2], lead_partner=scene.p1
        )
        comment_at(Thread.objects.get(project=project), datetime.date.today())
        update = ProgressUpdate.objects.create(
            project=project, partner=scene.p1, reported_on=datetime.date.today(), text="<p>x</p>"
        )
        outcome = outcome_create(project)
        OutcomeMeasurement.objects.create(outcome=outcome, update=update, value=50, measured_on=datetime.date.today())
        Indicator.objects.create(hub=scene.hub, code=f"G{number}", name="x").goals.set([goal(number % 17 + 1)])


def _count(client, url) -> int:
    delete_run_keys(cache, run_key_patterns())
    client.get(url)  # warm Wagtail's and the site's caches
    from cms.dependency import everything_changed

    everything_changed()  # the figures are computed again
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_data(client, page_cache_off, django_assert_max_num_queries):
    scene = scene_create()
    url = scene.hub.url + "dashboard/"
    small = _count(client, url)
    _grow(scene, 6)
    large = _count(client, url)
    assert large == small
    with django_assert_max_num_queries(small):
        client.get(url)
    # Warm: the figures come from the versioned cache.
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm) < small - 8
