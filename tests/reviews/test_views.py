"""The review draft as a page in three languages and as a PDF, and the admin's form that links to them."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reviews.pdf import BASE_URL, StaticFilesFetcher, static_file_path
from tests.partners.factories import coordinator_create
from tests.projects.admin_support import in_english
from tests.reviews.factories import review_scene_create

pytestmark = pytest.mark.django_db
QUERY = "?from=2024&to=2025&lang={lang}"
GOAL_7_TITLES = {
    "nb": "Sikre tilgang til pålitelig, bærekraftig og moderne energi til en overkommelig pris for alle",
    "nn": "Sikre tilgang til påliteleg, berekraftig og moderne energi til ein overkomeleg pris for alle",
}


@pytest.fixture
def scene():
    return review_scene_create()


@pytest.fixture
def coordinator(client, scene):
    user = in_english(coordinator_create(scene.hub))
    client.force_login(user)
    return user


def _html(client, scene, lang: str) -> str:
    response = client.get(reverse("reviews_admin_html", args=[scene.hub.pk]) + QUERY.format(lang=lang))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_the_english_draft_says_what_it_is_and_shows_the_data(client, scene, coordinator):
    html = _html(client, scene, "en")

    assert '<html lang="en">' in html
    assert "DRAFT to edit" in html
    assert "Some indicators are fictional demo data." in html
    assert "Ålesund framtidslab" in html
    assert "Ålesund (1508)" in html
    assert re.search(r'id="review-period">2024–2025<', html)
    # Goal sections in order, with the catalogue's English titles.
    assert re.findall(r'<section class="review__goal" id="goal-(\d+)"', html) == ["7", "12", "13"]
    assert "Ensure access to affordable, reliable, sustainable and modern energy for all" in html
    assert "Landstrøm i havna" in html
    assert "Gammel dugnad" not in html
    assert "Hemmeleg utkast" not in html
    assert "Vi har koblet første skip &amp; ferje." in html
    assert "Etter perioden." not in html
    assert "50 % of the way" in html
    assert "rising" not in html and "falling, an improvement" in html
    assert "Above Norge (420)" in html
    assert "Kommunen som tenesteytar" in html
    assert "Søker AS" not in html  # not an approved partner
    assert "css/print-review.css" in html
    pdf = reverse("reviews_admin_pdf", args=[scene.hub.pk]) + "?from=2024&amp;to=2025&amp;lang=en"
    assert f'href="{pdf}"' in html


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_norwegian_drafts_are_in_their_language_with_the_same_structure(client, scene, coordinator, lang):
    html = _html(client, scene, lang)

    assert f'<html lang="{lang}">' in html
    assert 'id="review-draft"' in html
    assert re.findall(r'<section class="review__goal" id="goal-(\d+)"', html) == ["7", "12", "13"]
    # The goals catalogue's own titles in that language (no compiled catalogue needed).
    assert GOAL_7_TITLES[lang] in html
    assert "Ensure access to affordable, reliable, sustainable and modern energy for all" not in html
    # Dates are written the Norwegian way.
    assert "1. mai 2024" in html


def test_the_pdf_holds_the_drafts_text_on_a4_pages(client, scene, coordinator):
    response = client.get(reverse("reviews_admin_pdf", args=[scene.hub.pk]) + QUERY.format(lang="en"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "DRAFT to edit" in text
    assert "Landstrøm i havna" in text
    assert "Husholdningsavfall per innbygger" in text
    assert "Back to the local review form" not in text
    # The print stylesheet was read: A4 pages, and each goal (3) and the annex start a page after
    # the cover and summary.
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)
    assert len(reader.pages) >= 6


def test_a_period_that_is_not_one_is_refused(client, scene, coordinator):
    address = reverse("reviews_admin_html", args=[scene.hub.pk])

    assert client.get(address + "?from=2026&to=2024&lang=en").status_code == 400
    assert client.get(address + "?from=soon&to=2024&lang=en").status_code == 400
    assert client.get(address + "?from=2024&to=2025&lang=de").status_code == 400
    assert client.get(address + "?from=2024-03-01&to=2024-09-30&lang=en").status_code == 200


def test_the_form_links_to_the_page_and_the_pdf(client, scene, coordinator):
    form = client.get(reverse("reviews_admin_form"))
    chosen = client.get(reverse("reviews_admin_form"), {"hub": scene.hub.pk, "start": 2024, "end": 2025, "lang": "nn"})

    assert form.status_code == 200
    assert "Draft the review" in form.content.decode()
    html = chosen.content.decode()
    page = reverse("reviews_admin_html", args=[scene.hub.pk]) + "?from=2024&amp;to=2025&amp;lang=nn"
    pdf = reverse("reviews_admin_pdf", args=[scene.hub.pk]) + "?from=2024&amp;to=2025&amp;lang=nn"
    assert f'href="{page}"' in html
    assert f'href="{pdf}"' in html


def test_the_admin_menu_shows_local_review_to_coordinators(client, scene, coordinator):
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert reverse("reviews_admin_form") in dashboard.content.decode()


def test_the_pdf_fetcher_reads_only_our_static_files():
    assert static_file_path(BASE_URL + "static/css/print-review.css").endswith("static/css/print-review.css")
    assert static_file_path(BASE_URL + "static/../pyproject.toml") is None
    assert static_file_path(BASE_URL + "admin/") is None
    assert static_file_path("https://example.org/static/css/print-review.css") is None
    assert static_file_path("file:///etc/passwd") is None
    fetcher = StaticFilesFetcher()
    assert b"@page" in fetcher.fetch(BASE_URL + "static/css/print-review.css").read()
    with pytest.raises(ValueError):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")


def test_the_pdf_fetcher_reads_collected_files_under_their_hashed_names(settings, tmp_path):
    """In production ``{% static %}`` names the collected, hashed copy, which only STATIC_ROOT holds."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print-review.0123abcd.css").write_text("@page { size: a4; }")

    path = static_file_path(BASE_URL + "static/css/print-review.0123abcd.css")

    assert path == str(tmp_path / "css" / "print-review.0123abcd.css")
    assert static_file_path(BASE_URL + "static/css/missing.0123abcd.css") is None
