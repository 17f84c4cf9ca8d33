"""The project list's filters render the same ``<select>`` as Django's widget, only faster."""

import pytest
from django.template import engines
from django.test.html import parse_html
from django.utils import translation

from goals.models import Goal, Target
from partners.models import Partner
from projects.forms import ProjectFilterForm

pytestmark = pytest.mark.django_db


def _render(template: str, form) -> str:
    return engines["django"].from_string(template).render({"form": form})


@pytest.mark.parametrize(
    "data",
    [{}, {"goal": "7", "target": "7.2", "status": "active", "partner": "2", "sort": "updated"}, {"goal": "99"}],
)
def test_filter_select_matches_djangos_select_widget(data):
    partners = [Partner(pk=1, name="Bø & Sønn <AS>"), Partner(pk=2, name="Deltaker AS")]
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
