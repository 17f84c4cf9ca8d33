"""static/css/goals.css paints each goal; it must say exactly what the database says."""

import re

from django.contrib.staticfiles import finders

from goals.models import Goal

RULE = re.compile(r"\.goal-colour-(\d+)\s*\{([^}]*)\}")


def goal_colour_rules() -> list[tuple[int, dict[str, str]]]:
    path = finders.find("css/goals.css")
    assert path, "css/goals.css is not found by the static files finders"
    with open(path, encoding="utf-8") as handle:
        css = handle.read()
    rules = []
    for number, body in RULE.findall(css):
        pairs = (declaration.split(":", 1) for declaration in body.split(";") if declaration.strip())
        declarations = {name.strip(): value.strip() for name, value in pairs}
        rules.append((int(number), declarations))
    return rules


def test_goals_css_has_one_rule_per_goal_with_exactly_the_database_colours(sdg_catalogue):
    rules = goal_colour_rules()
    expected = {goal.number: {"background": goal.colour, "color": goal.text_colour} for goal in Goal.objects.all()}

    assert sorted(number for number, _ in rules) == list(range(1, 18))  # once each, none missing
    assert dict(rules) == expected
