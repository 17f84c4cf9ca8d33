"""The project list's filters render the same ``<select>`` as Django's widget, only faster."""

import json

import pytest
from bs4 import BeautifulSoup
from django.template import engines
from django.test.html import parse_html
from django.utils import translation

from goals.models import Goal, Target
from projects.forms import PARTNER_CHOICES_MAX, ProjectFilterForm
from tests.partners.factories import hub_create
from tests.projects.factories import project_index_create

pytestmark = pytest.mark.django_db


def _render(template: str, form) -> str:
    return engines["django"].from_string(template).render({"form": form})


@pytest.mark.parametrize(
    "data",
    [{}, {"goal": "7", "target": "7.2", "status": "active", "partner": "2", "sort": "updated"}, {"goal": "99"}],
)
def test_filter_select_matches_djangos_select_widget(data):
    partners = [(1, "Bø & Sønn <AS>"), (2, "Deltaker AS")]
    with translation.override("en"):
        form = ProjectFilterForm(data, goals=Goal.objects.all(), targets=Target.objects.all(), partners=partners)
        form.filters()
        for field in form:
            if field.name == "q":
                continue
            ours = _render("{% load project_tags %}{{ form." + field.name + "|filter_select }}", form)
            djangos = _render("{% load ds_forms %}{{ form." + field.name + "|ds_widget }}", form)
            assert parse_html(ours) == parse_html(djangos), field.name
    partner_select = _render("{% load project_tags %}{{ form.partner|filter_select }}", form)
    assert '<option value="1">Bø &amp; Sønn &lt;AS&gt;</option>' in partner_select
    assert ('<option value="2" selected>' in partner_select) == (data.get("partner") == "2")


def _target_select(form) -> str:
    return _render("{% load project_tags %}{{ form.target|filter_select }}", form)


def _catalogue():
    return list(Goal.objects.order_by("number")), list(Target.objects.order_by("sort_key"))


def test_targets_are_grouped_under_their_goals():
    goals, targets = _catalogue()
    with translation.override("en"):
        form = ProjectFilterForm({}, goals=goals, targets=targets, partners=[])
        soup = BeautifulSoup(_target_select(form), "html.parser")
    groups = soup.select("optgroup")
    assert [group["label"].split(".")[0] for group in groups] == [str(goal.number) for goal in goals]
    for group in groups:
        number = group["label"].split(".")[0]
        assert all(option["value"].startswith(f"{number}.") for option in group.select("option"))
    assert len(soup.select("optgroup option")) == len(targets)
    by_goal = json.loads(soup.select_one("select")["data-targets-by-goal"])
    assert by_goal["13"][:2] == ["13.1", "13.2"] and sum(map(len, by_goal.values())) == len(targets)


def test_with_a_goal_chosen_only_its_targets_are_offered():
    goals, targets = _catalogue()
    form = ProjectFilterForm({"goal": "7", "target": "7.2"}, goals=goals, targets=targets, partners=[])
    soup = BeautifulSoup(_target_select(form), "html.parser")
    values = [option["value"] for option in soup.select("option")]
    assert values[0] == "" and values[1:] and all(value.startswith("7.") for value in values[1:])
    assert [group["label"] for group in soup.select("optgroup")] == ["7. " + Goal.objects.get(number=7).short_name]
    assert soup.select_one("option[selected]")["value"] == "7.2"
    assert form.filters()["target"].code == "7.2"
    # Every goal's codes stay on the select, for the script that follows the goal select.
    assert "13.2" in json.loads(soup.select_one("select")["data-targets-by-goal"])["13"]


def test_a_target_of_another_goal_is_ignored():
    goals, targets = _catalogue()
    form = ProjectFilterForm({"goal": "7", "target": "13.2"}, goals=goals, targets=targets, partners=[])
    assert form.filters()["target"] is None and form.filters()["goal"].number == 7
    soup = BeautifulSoup(_target_select(form), "html.parser")
    assert not soup.select("option[value='13.2']") and not soup.select("option[selected]")


def test_the_list_narrows_targets_without_javascript_and_loads_the_script(client):
    hub = hub_create(title="Ålesund")
    index = project_index_create(hub)
    html = client.get(index.url, {"goal": "5"}).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    target_values = [option["value"] for option in soup.select("select[name=target] option")][1:]
    assert target_values and all(value.startswith("5.") for value in target_values)
    scripts = [script["src"] for script in soup.select("script[src]")]
    assert any(src.endswith("js/target-filter.js") for src in scripts)
    assert not soup.select("script:not([src])")  # CSP: no inline script


def test_with_more_partners_than_a_list_can_hold_the_partner_filter_is_kept_but_not_offered():
    many = [(number, f"Partner {number}") for number in range(1, PARTNER_CHOICES_MAX + 2)]
    few = many[:PARTNER_CHOICES_MAX]

    chosen = ProjectFilterForm({"partner": "7"}, goals=[], targets=[], partners=many)

    assert chosen["partner"].is_hidden
    partner = chosen.filters()["partner"]
    assert (partner.pk, partner.name) == (7, "Partner 7"), "a link from the partner's page still filters"
    assert 'type="hidden" name="partner" value="7"' in str(chosen["partner"])
    assert not ProjectFilterForm({}, goals=[], targets=[], partners=few)["partner"].is_hidden
