"""A visitor goes from a hub's indicators to one indicator (chart, table, CSV, the projects aiming at it)
and sees it on the goal page; the pages pass axe at 1280 and 375 px and need no JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import assert_accessible
from tests.indicators.factories import indicator_create
from tests.partners.factories import hub_create
from tests.projects.factories import goal, project_create, project_index_create, target

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE = 1280, 375


def _check_at_both_widths(page) -> None:
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, overflow)


def test_indicator_pages_journey(page, live_asgi_server):
    hub = hub_create(title="Fjordvik framtidslab", municipality="Fjordvik", municipality_number="1508")
    index = project_index_create(hub)
    indicator = indicator_create(
        hub,
        code="ENERGY",
        name="Andel fornybar energi",
        goals=[goal(7)],
        targets=[target("7.2")],
        dimension="environmental",
        quality="fit",
        fictional=True,
        higher_is_better=True,
        values={2018: 30, 2019: 31.5, 2021: 36, 2022: -2},
        reference={2018: 40, 2019: 41, 2020: 42, 2021: 43, 2022: 44},
    )
    project = project_create(index, title="Solceller på skolen", primary_goal=goal(7))
    project.indicators.add(indicator)
    project.save_revision().publish()

    page.set_viewport_size({"width": WIDE, "height": 800})
    page.goto(f"/{hub.slug}/indicators/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _check_at_both_widths(page)
    page.get_by_role("link", name="Andel fornybar energi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Andel fornybar energi")
    expect(page.get_by_role("img", name="Andel fornybar energi")).to_be_visible()
    expect(page.get_by_role("link", name="Solceller på skolen")).to_be_visible()
    _check_at_both_widths(page)

    page.goto("/goals/7/")
    expect(page.get_by_role("link", name="Andel fornybar energi")).to_be_visible()
    _check_at_both_widths(page)
