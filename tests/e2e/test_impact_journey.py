"""Where does the hub stand? A coordinator imports the demo indicators from CSV and from a JSON-stat
file, classifies one, links it to a project, and the dashboard, the goal page and the indicator page
show it; the Voluntary Local Review draft renders as a page and as a PDF in three languages. Every
page passes axe (the public ones at 1280 and 375 px, without sideways scrolling).

One journey on purpose: the browser tests share one server and each test's database restore is the
expensive part, so the impact pages are walked in a single session."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from indicators.models import Indicator
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.harness import assert_accessible
from tests.partners.factories import coordinator_create
from tests.reviews.factories import review_scene_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE = 1280, 375
DEMO_DATA = Path(settings.BASE_DIR) / "indicators" / "demo_data"


def _check_at_both_widths(page) -> None:
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, overflow)
    page.set_viewport_size({"width": WIDE, "height": 800})


def _import(page, file: Path) -> None:
    page.goto("/admin/indicators/import/")
    page.get_by_label("File (CSV or JSON-stat)").set_input_files(str(file))
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#import-changes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Import {file.name} now").click()
    page.wait_for_url(re.compile(r"/admin/indicators/(\?.*)?$"))
    expect(page.locator(".messages")).to_be_visible()


def _pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(sheet.extract_text() for sheet in reader.pages).split())


def test_a_coordinator_measures_the_hub_and_drafts_its_review(page, live_asgi_server):
    scene = review_scene_create()
    hub, project = scene.hub, scene.harbour
    hub.municipality_number = "1599"  # the demo files' fictional municipality
    hub.save_revision().publish()
    coordinator = coordinator_create(hub, email="koordinator@example.org")
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "en"
    profile.save()

    page.set_viewport_size({"width": WIDE, "height": 800})
    page.goto("/accounts/login/?next=/admin/")
    page.fill("input[name=login]", coordinator.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))

    existing = Indicator.objects.filter(hub=hub).count()
    # Import: the demo CSV, then Statistics Norway's JSON-stat file.
    _import(page, DEMO_DATA / "indicators.csv")
    _import(page, DEMO_DATA / "ssb-example.json")
    assert Indicator.objects.filter(hub=hub).count() == existing + 8
    renewable = Indicator.objects.get(hub=hub, code="FORNYBAR")
    assert renewable.series.get(is_reference=False).values.count() == 10

    # Classify one indicator the KS/SSB way.
    page.goto("/admin/indicators/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Andel fornybar energi")).first.click()
    page.get_by_role("checkbox", name=re.compile(r"^7\b")).first.check()
    page.get_by_role("button", name="Save and show targets").click()
    page.get_by_role("checkbox", name=re.compile(r"^7\.2\b")).check()
    page.get_by_label("Sustainability dimension").select_option("environmental")
    page.get_by_label("Perspective").select_option(label="Kommunen som tenesteytar")
    page.get_by_label("Quality", exact=True).select_option("partly_fit")
    page.get_by_label("Reason for the quality assessment").fill("Måler bruk, ikke produksjon.")
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    renewable.refresh_from_db()
    assert renewable.quality == "partly_fit" and list(renewable.targets.values_list("code", flat=True)) == ["7.2"]

    # Link it to a project in the page editor; publishing makes it public.
    page.goto(f"/admin/pages/{project.pk}/edit/")
    page.get_by_role("checkbox", name=re.compile("Andel fornybar energi")).check()
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target=toggle]").last.click()
    page.locator("button[name=action-publish]").click()
    expect(page.locator(".messages")).to_contain_text("published")
    assert list(type(project).objects.get(pk=project.pk).indicators.all()) == [renewable]

    # The indicator's page: chart, classification, the project aiming at it.
    page.goto(renewable.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Andel fornybar energi")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_text("Måler bruk, ikke produksjon.")).to_be_visible()
    expect(page.get_by_role("link", name="Landstrøm i havna")).to_be_visible()
    _check_at_both_widths(page)
    page.goto(f"{hub.url}indicators/")
    expect(page.get_by_role("link", name=re.compile("Andel fornybar energi"))).to_be_visible()
    _check_at_both_widths(page)

    # The goal page shows the hub's indicator next to its projects.
    page.goto("/goals/7/")
    expect(page.get_by_role("link", name=re.compile("Andel fornybar energi"))).to_be_visible()
    expect(page.get_by_role("link", name="Landstrøm i havna").first).to_be_visible()
    _check_at_both_widths(page)

    # The dashboard, reached from the hub page, counts it; and the comparison across hubs.
    page.goto(hub.url)
    page.locator(f'a[href="{hub.url}dashboard/"]').click()
    expect(page.locator("h1")).to_contain_text(hub.title)
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.locator(".heat-table")).to_be_visible()
    expect(page.get_by_role("link", name="Landstrøm i havna").first).to_be_visible()
    expect(page.locator(f'a[href="{hub.url}indicators/"]').first).to_be_visible()
    _check_at_both_widths(page)
    page.goto("/dashboard/")
    expect(page.get_by_role("link", name=hub.title).first).to_be_visible()
    _check_at_both_widths(page)

    # The review draft, as a page and as a PDF, in three languages.
    page.goto("/admin/reviews/")
    page.get_by_label("From year").fill("2024")
    page.get_by_label("To year").fill("2025")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Draft the review").click()
    expect(page.get_by_role("link", name="Open the printable page")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open the printable page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voluntary Local Review")
    expect(page.get_by_text("DRAFT to edit")).to_be_visible()
    expect(page.get_by_text("Andel fornybar energi").first).to_be_visible()
    assert_accessible(page)
    drafts = {"en": "DRAFT to edit", "nb": "laget ut fra", "nn": "laga ut frå"}
    for language, draft in drafts.items():
        address = f"/admin/reviews/{hub.pk}/?from=2024&to=2025&lang={language}"
        page.goto(address)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#goal-7")).to_contain_text("Andel fornybar energi")
        assert_accessible(page)
        text = _pdf_text(page, f"/admin/reviews/{hub.pk}/review.pdf?from=2024&to=2025&lang={language}")
        assert draft in text and "Landstrøm i havna" in text and "Andel fornybar energi" in text
