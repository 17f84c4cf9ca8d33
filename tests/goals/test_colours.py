import pytest

from goals.colours import (
    AA_NORMAL_TEXT,
    BLACK,
    OFFICIAL_GOAL_COLOURS,
    WHITE,
    contrast_ratio,
    readable_text_colour,
    relative_luminance,
)
from goals.models import Goal


def test_relative_luminance_spans_black_to_white():
    assert relative_luminance(BLACK) == 0
    assert relative_luminance(WHITE) == pytest.approx(1)


def test_contrast_ratio_matches_known_wcag_values_in_either_order():
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21)
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21)
    # #767676 is the lightest grey that passes AA on white; #777777 just fails.
    assert contrast_ratio("#767676", WHITE) >= AA_NORMAL_TEXT
    assert contrast_ratio("#777777", WHITE) < AA_NORMAL_TEXT


def test_relative_luminance_rejects_short_hex():
    with pytest.raises(ValueError):
        relative_luminance("#FFF")


def test_readable_text_colour_picks_the_higher_contrast():
    assert readable_text_colour("#FCC30B") == BLACK  # goal 7's yellow
    assert readable_text_colour("#19486A") == WHITE  # goal 17's navy
    # Goal 1's red reaches AA with both, but black measures higher (4.65 against 4.52).
    assert readable_text_colour(OFFICIAL_GOAL_COLOURS[1]) == BLACK


def test_readable_text_colour_refuses_when_no_candidate_reaches_aa():
    with pytest.raises(ValueError):
        readable_text_colour("#888888", candidates=("#777777", "#999999"))


def test_every_goal_has_its_official_colour_and_text_with_aa_contrast(sdg_catalogue):
    goals = list(Goal.objects.all())

    assert len(goals) == 17
    for goal in goals:
        assert goal.colour == OFFICIAL_GOAL_COLOURS[goal.number]
        assert contrast_ratio(goal.colour, goal.text_colour) >= AA_NORMAL_TEXT, goal.number
