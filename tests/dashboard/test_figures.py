"""The dashboard's figures on a hand-made data set (tests/dashboard/factories.py), counted by hand."""

import datetime
from decimal import Decimal

import pytest

from dashboard import selectors
from dashboard.selectors import BEHIND, NOT_REPORTED, ON_TRACK, hub_figures, outcome_state
from tests.dashboard.factories import TODAY, scene_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return scene_create()


@pytest.fixture
def figures(scene):
    return hub_figures(scene.hub, language="nb", today=TODAY)


def test_goal_coverage_counts_projects_by_status_partners_and_targets(figures):
    by_goal = {item.number: item for item in figures.coverage}
    assert figures.projects == 3
    assert by_goal[13].projects_by_status["active"] == 1
    assert by_goal[13].projects_by_status["completed"] == 1
    assert by_goal[13].projects == 2
    # pr1: Leder AS and Frivillig lag; pr2: Frivillig lag and Søker AS, whose application is not approved.
    assert by_goal[13].partners == 2
    assert by_goal[13].targets == 1  # 13.2
    assert (by_goal[7].projects, by_goal[7].partners, by_goal[7].targets) == (2, 2, 1)  # 7.2 on both
    assert (by_goal[11].projects, by_goal[11].partners, by_goal[11].targets) == (1, 1, 0)
    assert by_goal[3].projects_by_status["idea"] == 1
    assert by_goal[3].partners == 0
    assert sum(item.projects for item in figures.coverage) == 2 + 2 + 1 + 1


def test_goals_together_is_the_symmetric_co_occurrence_of_goals_on_projects(figures):
    together = figures.together
    assert together[12][6] == together[6][12] == 2
    assert together[12][10] == together[10][12] == 1
    assert together[6][10] == 1
    assert together[12][12] == 2
    assert together[2][2] == 1
    assert together[2][12] == 0
    assert sum(map(sum, together)) == 2 + 2 + 1 + 1 + 2 * (2 + 1 + 1)


def test_activity_per_month_in_the_last_24_months(figures):
    months = {month.month: month for month in figures.months}
    assert len(figures.months) == 24
    assert figures.months[0].month == datetime.date(2024, 7, 1)
    assert figures.months[-1].month == datetime.date(2026, 6, 1)
    assert months[datetime.date(2026, 2, 1)].started == 1
    assert months[datetime.date(2025, 1, 1)].started == 1
    assert months[datetime.date(2026, 3, 1)].started == 0  # the draft
    assert months[datetime.date(2026, 5, 1)].completed == 1
    assert months[datetime.date(2026, 3, 1)].updates == 2
    assert months[datetime.date(2026, 4, 1)].comments == 3
    assert sum(month.updates for month in figures.months) == 2
    assert sum(month.comments for month in figures.months) == 3


def test_partner_mix_and_participation(figures):
    assert figures.partners_by_kind["business"] == 1  # Søker AS has only applied
    assert figures.partners_by_kind["ngo"] == 1
    assert figures.partners_by_kind["public_sector"] == 1
    assert figures.participating == 2
    assert figures.participation_share == 67
    assert [partner.name for partner in figures.not_participating] == ["Kommunen"]  # lead of a draft only


def test_outcomes_on_track_behind_and_not_reported(scene, figures):
    assert figures.outcome_counts == {ON_TRACK: 2, BEHIND: 1, NOT_REPORTED: 1}
    states = {row.title: row.state for row in figures.outcomes}
    assert states == {"Deltakere": ON_TRACK, "Besøk": BEHIND, "Trær": NOT_REPORTED, "Utslipp": ON_TRACK}
    assert {row.project_url for row in figures.outcomes} == {scene.pr1.url}


def test_municipal_indicators_per_goal(figures):
    assert figures.indicators_by_goal == {13: 2, 7: 1}
    assert figures.indicators == 3


START = datetime.date(2026, 1, 1)
TARGET = datetime.date(2027, 1, 1)  # 365 days


@pytest.mark.parametrize(
    ("value", "measured_on", "state"),
    [
        (None, None, NOT_REPORTED),
        (Decimal(50), datetime.date(2026, 7, 2), ON_TRACK),  # 50 % after 182 days: on the line
        (Decimal(40), datetime.date(2026, 7, 2), ON_TRACK),  # within the 10-point tolerance
        (Decimal(39), datetime.date(2026, 7, 2), BEHIND),
        (Decimal(0), datetime.date(2025, 12, 1), ON_TRACK),  # before the start nothing is expected
        (Decimal(99), datetime.date(2027, 6, 1), ON_TRACK),  # after the date: 90 % is within tolerance
        (Decimal(80), datetime.date(2027, 6, 1), BEHIND),
        (Decimal(120), datetime.date(2026, 2, 1), ON_TRACK),  # beyond the target
    ],
)
def test_outcome_state_follows_the_straight_line_with_a_tolerance(value, measured_on, state):
    assert (
        outcome_state(
            baseline=Decimal(0),
            target_value=Decimal(100),
            target_date=TARGET,
            start=START,
            value=value,
            measured_on=measured_on,
        )
        == state
    )


def test_outcome_state_for_a_falling_target_and_no_start():
    falling = {"baseline": Decimal(100), "target_value": Decimal(40), "target_date": TARGET, "start": START}
    assert outcome_state(**falling, value=Decimal(70), measured_on=datetime.date(2026, 7, 2)) == ON_TRACK
    assert outcome_state(**falling, value=Decimal(90), measured_on=datetime.date(2026, 7, 2)) == BEHIND
    assert outcome_state(**falling, value=Decimal(110), measured_on=datetime.date(2026, 1, 2)) == BEHIND
    no_start = {"baseline": Decimal(0), "target_value": Decimal(10), "target_date": TARGET, "start": None}
    assert outcome_state(**no_start, value=Decimal(1), measured_on=datetime.date(2026, 7, 2)) == ON_TRACK
    assert outcome_state(**no_start, value=Decimal(1), measured_on=datetime.date(2027, 7, 2)) == BEHIND


def test_last_months_wraps_the_year():
    assert selectors.last_months(datetime.date(2026, 2, 28), 3) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
