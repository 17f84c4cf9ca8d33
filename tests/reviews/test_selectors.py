"""The review's content, right on a hand-made hub (tests/reviews/factories.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from reviews.selectors import Period, plain_excerpt, review_draft
from tests.reviews.factories import PERIOD, review_scene_create

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)


@pytest.fixture
def scene():
    return review_scene_create()


@pytest.fixture
def review(scene):
    with translation.override("en"):
        return review_draft(scene.hub, PERIOD, today=TODAY)


def test_only_public_projects_overlapping_the_period_are_in_it(review, scene):
    assert [entry.page.pk for entry in review.projects] == [scene.harbour.pk]


def test_a_project_without_dates_counts_as_running():
    period = Period(date(2024, 1, 1), date(2024, 12, 31))

    assert period.overlaps(None, None)
    assert period.overlaps(date(2020, 1, 1), None)
    assert period.overlaps(None, date(2024, 1, 1))
    assert not period.overlaps(None, date(2023, 12, 31))
    assert not period.overlaps(date(2025, 1, 1), None)


def test_goals_with_projects_or_indicators_get_a_section_in_order(review):
    assert [section.goal.number for section in review.goal_sections] == [7, 12, 13]
    by_number = {section.goal.number: section for section in review.goal_sections}
    assert [entry.page.title for entry in by_number[13].projects] == ["Landstrøm i havna"]
    assert by_number[12].projects == []
    assert [entry.indicator.code for entry in by_number[12].indicators] == ["AVF01"]
    assert [entry.indicator.code for entry in by_number[7].indicators] == ["ENR01"]


def test_a_project_shows_its_partners_status_and_outcome_progress_at_the_periods_end(review):
    project = review.projects[0]
    assert project.lead_partner_name == "Havkraft AS"
    assert project.partner_names == ["Fjordskolen"]
    assert project.status_label == "Active"
    [outcome] = project.outcomes
    # 2024: 80, 2025: 70; 50 was measured in 2026, after the period.
    assert (outcome.latest_value, outcome.latest_on) == (Decimal("70"), date(2025, 6, 1))
    assert outcome.share_of_way == 50


def test_quotes_are_the_periods_updates_as_plain_text_newest_first(review):
    quotes = review.projects[0].quotes
    assert [(quote.partner_name, quote.reported_on) for quote in quotes] == [
        ("Fjordskolen", date(2025, 9, 1)),
        ("Havkraft AS", date(2024, 5, 1)),
    ]
    assert quotes[0].text == "Elevene målte støy. Lavere"
    assert quotes[1].text == "Vi har koblet første skip & ferje."
    assert review.quote_count == 2


def test_a_long_update_is_cut_to_a_short_excerpt():
    text = plain_excerpt("<p>" + " ".join(f"ord{n}" for n in range(100)) + "</p>", words=5)
    assert text == "ord0 ord1 ord2 ord3 ord4…"


def test_an_indicators_trend_is_its_first_and_last_value_in_the_period_against_the_reference(review):
    waste = next(entry for entry in review.indicators if entry.indicator.code == "AVF01")
    assert (waste.first_year, waste.first_value) == (2024, Decimal("480"))
    assert (waste.last_year, waste.last_value) == (2025, Decimal("450"))
    assert waste.direction == "down"
    assert waste.improving is True  # lower is better for waste
    assert (waste.reference_name, waste.reference_value) == ("Norge", Decimal("420"))
    assert waste.versus_reference == "above"


def test_an_indicator_without_values_in_the_period_has_no_trend(review):
    renewables = next(entry for entry in review.indicators if entry.indicator.code == "ENR01")
    assert renewables.first_year is None
    assert renewables.direction is None
    assert renewables.versus_reference is None


def test_the_annex_lists_approved_partners_with_their_projects_in_the_period(review):
    assert [(partner.name, partner.project_count) for partner in review.partners] == [
        ("Fjordskolen", 1),
        ("Havkraft AS", 1),
    ]
    assert review.active_partner_count == 2


def test_the_summary_counts_and_the_fictional_flag(review):
    assert review.status_counts == [("Active", 1)]
    assert review.fictional is True


def test_a_review_of_real_data_is_not_marked_fictional(scene):
    scene.hub.indicators.update(fictional=False)
    assert review_draft(scene.hub, PERIOD, today=TODAY).fictional is False


def test_another_period_gives_other_projects(scene):
    review = review_draft(scene.hub, Period(date(2020, 1, 1), date(2021, 12, 31)), today=TODAY)
    # The harbour project started in 2023: before this period.
    assert [entry.page.title for entry in review.projects] == ["Gammel dugnad"]
    assert [section.goal.number for section in review.goal_sections] == [7, 12, 14]
