"""The review reads a fixed number of queries, however many projects, updates and indicators it shows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.selectors import review_draft
from tests.partners.factories import coordinator_create
from tests.projects.admin_support import in_english
from tests.reviews.factories import PERIOD, more_data_create, review_scene_create

pytestmark = pytest.mark.django_db


def _count(function) -> int:
    function()  # warm the versioned cache (goal catalogue, restrictions) as a real visit would
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_the_selector_costs_the_same_with_more_data():
    scene = review_scene_create()

    def draft():
        return review_draft(scene.hub, PERIOD, today=date(2026, 12, 3))

    small = _count(draft)
    more_data_create(scene)
    large = _count(draft)

    assert len(draft().projects) == 4
    assert len(draft().indicators) == 5
    assert large == small
    assert small <= 12


def test_the_page_costs_the_same_with_more_data(client):
    scene = review_scene_create()
    client.force_login(in_english(coordinator_create(scene.hub)))
    address = reverse("reviews_admin_html", args=[scene.hub.pk]) + "?from=2024&to=2025&lang=nn"

    def page():
        assert client.get(address).status_code == 200

    small = _count(page)
    more_data_create(scene)
    large = _count(page)

    assert large == small
