import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from goals.colours import AA_NORMAL_TEXT, BLACK, contrast_ratio
from goals.models import Goal

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template("{% load goal_tags %}" + source).render(Context(context))


def test_every_goal_icon_is_painted_in_its_colour_with_text_that_reaches_aa():
    for goal in Goal.objects.order_by("number"):
        html = _render("{% goal_icon goal %}", goal=goal)

        assert re.search(rf'class="goal-icon goal-colour-{goal.number}" data-size="md"', html), html
        assert contrast_ratio(goal.colour, goal.text_colour) >= AA_NORMAL_TEXT, goal.number


def test_the_light_official_colours_take_dark_text():
    # Goal 7's yellow and goal 11's orange are unreadable with white text.
    for number in (7, 11):
        goal = Goal.objects.get(number=number)
        assert goal.text_colour.upper() == BLACK
        assert contrast_ratio(goal.colour, "#FFFFFF") < AA_NORMAL_TEXT


def test_the_goal_icon_names_the_goal_for_screen_readers_and_links_to_it():
    goal = Goal.objects.get(number=12)
    with translation.override("en"):
        small = _render('{% goal_icon goal "sm" %}', goal=goal)
        still = _render("{% goal_icon goal link=False %}", goal=goal)

    assert small.startswith('<a href="/goals/12/"')
    assert '<span class="ds-sr-only">Goal </span>12</span><span class="ds-sr-only">: Responsible consumption' in small
    assert "<a " not in still and '<span class="goal-icon__name">Responsible consumption' in still


def test_the_goal_icon_refuses_an_unknown_size():
    with pytest.raises(TemplateSyntaxError):
        _render('{% goal_icon goal "xl" %}', goal=Goal.objects.get(number=1))
