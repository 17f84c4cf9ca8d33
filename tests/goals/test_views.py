import re

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from goals.models import Goal

pytestmark = pytest.mark.usefixtures("sdg_catalogue", "page_cache_off")


def heading_levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_accessible_structure(html: str):
    levels = heading_levels(html)
    assert levels.count(1) == 1, levels
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading level jumps from h{previous} to h{current}"
    # The Content-Security-Policy (style-src 'self', script-src 'self') would block these.
    assert not re.search(r"\sstyle=", html)
    assert "<script>" not in html


def goals_queries(client, url) -> tuple[int, int]:
    """(queries reading the catalogue's own tables, all queries) for one GET.

    Other apps add sections to the goal page (its projects), whose queries join the catalogue but
    read their own tables; those count in the total only. The first request after a change fills
    the versioned cache (site, menus, restrictions): warm a URL up before counting it.
    """
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    own = sum('FROM "goals_' in query["sql"] for query in context.captured_queries)
    return own, len(context.captured_queries)


def test_goal_list_shows_17_tiles_in_their_colours_linking_to_each_goal(client):
    response = client.get(reverse("goal_list"))
    html = response.content.decode()

    assert response.status_code == 200
    assert reverse("goal_list") == "/goals/"
    tiles = re.findall(r'<a href="/goals/(\d+)/" class="goal-icon goal-colour-(\d+)" data-size="lg">', html)
    assert [int(colour) for _, colour in tiles] == list(range(1, 18))
    assert all(colour == number for number, colour in tiles)
    assert "/static/css/goals.css" in html
    assert_accessible_structure(html)


def test_goal_list_is_in_bokmal_by_default_and_english_on_request(client):
    bokmal = client.get(reverse("goal_list")).content.decode()
    english = client.get(reverse("goal_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Bærekraftige byer og lokalsamfunn" in bokmal
    assert "Sustainable cities and communities" not in bokmal
    assert "Sustainable cities and communities" in english


def test_goal_list_is_in_nynorsk_for_nynorsk_readers(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"

    html = client.get(reverse("goal_list")).content.decode()

    assert '<html lang="nn"' in html
    assert "Berekraftige byar og lokalsamfunn" in html
    assert "Bærekraftige byer og lokalsamfunn" not in html


def test_goal_page_shows_the_nynorsk_goal_and_target_titles_to_nynorsk_readers(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"

    html = client.get(reverse("goal_detail", kwargs={"number": 1})).content.decode()

    assert "Utrydde fattigdom i all form, overalt" in html
    assert "Innan 2030 utrydde ekstrem fattigdom for alle menneske overalt" in html
    assert "Utrydde alle former for fattigdom i hele verden" not in html
    assert "Innen 2030" not in html


def test_goal_detail_shows_the_goal_its_targets_and_their_indicators(client):
    response = client.get(reverse("goal_detail", kwargs={"number": 11}), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()

    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>Sustainable cities and communities</h1>", html)
    assert "Goal 11" in html
    assert "Make cities and human settlements inclusive, safe, resilient and sustainable" in html
    assert 'class="goal-hero goal-colour-11"' in html
    assert "Target 11.6" in html
    assert "By 2030, reduce the adverse per capita environmental impact of cities" in html
    assert 'id="indicator-11-6-1"' in html
    assert "Proportion of municipal solid waste collected" in html
    # Targets in reading order, lettered ones last; nothing from another goal.
    positions = [html.index(f'id="target-{code}"') for code in ("11-1", "11-2", "11-7", "11-a", "11-b", "11-c")]
    assert positions == sorted(positions)
    assert 'id="target-1-1"' not in html
    assert 'id="target-11-' in html and html.count('class="ds-card target-card"') == 10
    # A way back to all goals.
    assert f'href="{reverse("goal_list")}"' in html
    assert_accessible_structure(html)


def test_goal_detail_in_bokmal(client):
    html = client.get(reverse("goal_detail", kwargs={"number": 11})).content.decode()

    assert re.search(r"<h1[^>]*>Bærekraftige byer og lokalsamfunn</h1>", html)
    assert "Innen 2030, reduser byens ugunstige miljøpåvirkning" in html


@pytest.mark.parametrize("path", ["/goals/0/", "/goals/18/", "/goals/99999999999999999999/", "/goals/eleven/"])
def test_goal_detail_is_404_outside_1_to_17(client, path):
    assert client.get(path).status_code == 404


def test_goal_list_queries_do_not_grow_with_the_number_of_goals(client, django_assert_max_num_queries):
    client.get(reverse("goal_list"))  # the site's first request may create its settings rows
    goal_queries_all, total_all = goals_queries(client, reverse("goal_list"))
    Goal.objects.filter(number__gt=3).delete()
    client.get(reverse("goal_list"))

    with django_assert_max_num_queries(total_all):
        goal_queries_few, total_few = goals_queries(client, reverse("goal_list"))

    assert goal_queries_all == goal_queries_few == 1
    assert total_all == total_few


def test_goal_detail_queries_do_not_grow_with_targets_and_indicators(client, django_assert_max_num_queries):
    client.get(reverse("goal_list"))  # the site's first request may create its settings rows
    client.get(reverse("goal_detail", kwargs={"number": 13}))
    client.get(reverse("goal_detail", kwargs={"number": 17}))
    # Goal 17 has 19 targets and 25 indicators, goal 13 has 5 targets and 8 indicators.
    goal_queries_big, total_big = goals_queries(client, reverse("goal_detail", kwargs={"number": 17}))

    with django_assert_max_num_queries(total_big):
        goal_queries_small, total_small = goals_queries(client, reverse("goal_detail", kwargs={"number": 13}))

    assert goal_queries_big == goal_queries_small == 3  # the goal, its targets, their indicators
    # The projects and indicators of the hubs are cached fragments (cms.fragments): nothing more.
    assert total_big == total_small == 3


def test_goal_badge_component_links_to_the_goal_in_its_colours():
    goal = Goal.objects.get(number=7)

    with translation.override("en"):
        html = render_to_string("components/goal_badge.html", {"goal": goal})

    assert '<a class="goal-badge goal-colour-7" href="/goals/7/">' in html
    assert "Affordable and clean energy" in html
    assert ">7</span>" in html
    assert not re.search(r"\sstyle=", html)
