"""A coordinator drafts the hub's Voluntary Local Review in the admin, opens it as a page in three
languages and downloads the PDF; the form and the drafts pass axe."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.harness import assert_accessible
from tests.partners.factories import coordinator_create
from tests.reviews.factories import review_scene_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANIMATIONS_FINISHED = (
    "() => Promise.all(document.getAnimations()"
    ".filter((animation) => animation.effect && animation.effect.getComputedTiming().iterations !== Infinity)"
    ".map((animation) => animation.finished))"
)


def test_a_coordinator_drafts_the_review_as_a_page_and_a_pdf(page, live_asgi_server):
    scene = review_scene_create()
    coordinator = coordinator_create(scene.hub, email="koordinator@example.org")
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "en"
    profile.save()

    page.goto("/accounts/login/?next=/admin/")
    page.fill("input[name=login]", coordinator.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto("/admin/reviews/")
    page.get_by_label("From year").fill("2024")
    page.get_by_label("To year").fill("2025")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Draft the review").click()
    expect(page.get_by_role("link", name="Open the printable page")).to_be_visible()
    page.evaluate(ANIMATIONS_FINISHED)
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    with open(download_info.value.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    assert "Landstrøm i havna" in " ".join(" ".join(p.extract_text() for p in reader.pages).split())

    page.get_by_role("link", name="Open the printable page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voluntary Local Review")
    expect(page.get_by_text("DRAFT to edit")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Landstrøm i havna")).first).to_be_visible()
    assert_accessible(page)

    for lang in ("nb", "nn"):
        page.goto(f"/admin/reviews/{scene.hub.pk}/?from=2024&to=2025&lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#goal-7")).to_be_visible()
        assert_accessible(page)
