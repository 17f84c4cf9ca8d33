"""The API's docs page in a browser: accessible, no CSP violation, and its first example works from a page."""

import pytest
from playwright.sync_api import expect

from tests.api.factories import api_scene_create
from tests.e2e.harness import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_data_office_reads_the_docs_and_calls_the_api(page, live_asgi_server):
    scene = api_scene_create()
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_contain_text("API")  # "API for åpne data" in Bokmål
    expect(page.locator("pre code")).to_have_count(3)
    expect(page.get_by_role("heading", name="GET /api/v1/projects", exact=True)).to_be_visible()
    assert_accessible(page)
    # What a script on another site would do (CORS is open; same origin here, so the CSP allows it).
    titles = page.evaluate(
        """async (hub) => {
            const response = await fetch(`/api/v1/projects?hub=${hub}&goal=7`);
            return (await response.json()).data.map((project) => project.title);
        }""",
        scene.hub.pk,
    )
    assert titles == ["Solceller på skolen"]
