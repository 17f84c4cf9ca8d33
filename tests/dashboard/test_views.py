"""The hub dashboard, its CSV files and the comparison page: what they show, to whom, and how fresh."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from discussions.models import Comment
from indicators.models import Indicator, Series, Value
from partners.models import PartnershipStatus
from projects.models import ProgressUpdate
from tests.dashboard.factories import comment_at, scene_create
from tests.partners.factories import hub_create, partner_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return scene_create()


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_hub_page_links_to_its_dashboard(client, scene):
    response = client.get(scene.hub.url)
    assert f'href="{scene.hub.url}dashboard/"' in response.content.decode()


def test_the_chart_styles_load_once_on_chart_pages_only(client, scene):
    link = "css/charts.css"
    assert client.get(scene.hub.url + "dashboard/").content.decode().count(link) == 1
    assert link not in client.get(scene.hub.url).content.decode()


def test_the_dashboard_shows_charts_tables_and_csv_links(client, scene):
    response = client.get(scene.hub.url + "dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="chart__svg" role="img"') == 1 + 4 + 2  # coverage, 4 activity, partners, outcomes
    assert '<title id="dashboard-coverage-title">' in html
    for section in ("coverage", "together", "activity", "partners", "outcomes", "indicators"):
        assert f'href="{scene.hub.url}dashboard/csv/{section}/"' in html
    assert f'href="{scene.hub.url}indicators/"' in html
    assert scene.pr1.url in html  # outcomes link to their project
    assert "Utkast" not in html  # the draft
    assert ' style="' not in html


def test_only_coordinators_see_which_partners_take_part_in_no_project(client, scene):
    assert "Kommunen" not in client.get(scene.hub.url + "dashboard/").content.decode()
    client.force_login(scene.coordinator)
    assert "Kommunen" in client.get(scene.hub.url + "dashboard/").content.decode()


def test_csv_downloads_hold_the_figures(client, scene):
    rows = _csv(client.get(scene.hub.url + "dashboard/csv/coverage/"))
    assert rows[0][:2] == ["goal", "projects"]
    goal_13 = dict(zip(rows[0], rows[13], strict=True))
    assert (goal_13["projects"], goal_13["partners"], goal_13["targets"]) == ("2", "2", "1")
    together = _csv(client.get(scene.hub.url + "dashboard/csv/together/"))
    assert together[13][7] == "2"
    partners = dict(_csv(client.get(scene.hub.url + "dashboard/csv/partners/"))[1:])
    assert partners["in_at_least_one_project"] == "2"
    assert "Kommunen" not in str(partners)
    outcomes = _csv(client.get(scene.hub.url + "dashboard/csv/outcomes/"))
    assert sorted(row[-1] for row in outcomes[1:]) == ["behind", "not_reported", "on_track", "on_track"]
    assert client.get(scene.hub.url + "dashboard/csv/secrets/").status_code == 404


def test_a_private_hubs_dashboard_is_behind_its_restriction_and_not_compared(client, scene):
    private = hub_create(title="Lukket hub", home=scene.hub.get_parent().specific)
    index = project_index_create(private)
    project_create(index, title="Hemmelig prosjekt", primary_goal=goal(5))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(private.url + "dashboard/").status_code == 302  # to the login page
    html = client.get("/dashboard/").content.decode()
    assert "Lukket hub" not in html
    assert "Ålesund" in html and "Molde" in html


def test_the_comparison_page_has_one_column_per_public_hub(client, scene, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/dashboard/").content.decode()
    # Hubs by title: Molde (one project), Ålesund (three).
    assert '<th scope="row">All projects</th><td>1</td><td>3</td>' in html
    assert '<th scope="row">In at least one project</th><td>0</td><td>2</td>' in html
    assert html.count('<th scope="col"><a class="ds-link" href="') == 5 * 2  # five tables, two hubs
    assert f'href="{scene.hub.url}dashboard/"' in html


def _comments_in_month(client, hub, month: str) -> str:
    rows = _csv(client.get(hub.url + "dashboard/csv/activity/"))
    return {row[0]: row[4] for row in rows[1:]}[month]


def test_writes_change_the_dashboard_at_once(client, scene):
    """Comments, their moderation, partnerships, progress updates, measurements and indicators:
    the next request shows the change (the figures are cached under the content version)."""
    now = timezone.localdate()
    month = now.strftime("%Y-%m")
    assert _comments_in_month(client, scene.hub, month) == "0"
    comment = comment_at(scene.topic, now)
    assert _comments_in_month(client, scene.hub, month) == "1"
    comment.hidden_at = timezone.now()
    comment.save(update_fields=["hidden_at"])
    assert _comments_in_month(client, scene.hub, month) == "0"
    Comment.objects.filter(pk=comment.pk).update(hidden_at=None)  # no signal: the version stays
    # (services call content_changed() for such writes; this shows why they must)

    partnership = scene.p4.partnerships.get(hub=scene.hub)
    partnership.status = PartnershipStatus.APPROVED
    partnership.save()
    partners = dict(_csv(client.get(scene.hub.url + "dashboard/csv/partners/"))[1:])
    assert partners["all"] == "4"

    ProgressUpdate.objects.create(project=scene.pr3, partner=scene.p1, reported_on=now, text="<p>y</p>")
    rows = _csv(client.get(scene.hub.url + "dashboard/csv/activity/"))
    assert {row[0]: row[3] for row in rows[1:]}[month] == "1"

    indicator = Indicator.objects.create(hub=scene.hub, code="N1", name="Ny")
    assert _csv(client.get(scene.hub.url + "dashboard/csv/indicators/"))[5][1] == "0"
    indicator.goals.add(goal(5))
    assert _csv(client.get(scene.hub.url + "dashboard/csv/indicators/"))[5][1] == "1"
    series = Series.objects.create(indicator=indicator, region_code="1507")
    Value.objects.create(series=series, year=2020, value=1)  # bumps too (a later figure may read values)
    indicator.delete()
    assert _csv(client.get(scene.hub.url + "dashboard/csv/indicators/"))[5][1] == "0"


def test_an_outcome_measurement_moves_an_outcome_at_once(client, scene):
    from projects.models import Outcome, OutcomeMeasurement

    before = _csv(client.get(scene.hub.url + "dashboard/csv/outcomes/"))
    assert "not_reported" in [row[-1] for row in before[1:]]
    outcome = Outcome.objects.get(title="Trær")
    update = ProgressUpdate.objects.filter(project=scene.pr1).first()
    OutcomeMeasurement.objects.create(outcome=outcome, update=update, value=100, measured_on=datetime.date(2026, 8, 1))
    after = _csv(client.get(scene.hub.url + "dashboard/csv/outcomes/"))
    assert "not_reported" not in [row[-1] for row in after[1:]]


def test_publishing_a_draft_changes_the_dashboard_at_once(client, scene):
    assert ">Utkast<" not in client.get(scene.hub.url + "dashboard/").content.decode()
    scene.draft.save_revision().publish()
    rows = _csv(client.get(scene.hub.url + "dashboard/csv/coverage/"))
    assert dict(zip(rows[0], rows[13], strict=True))["projects"] == "3"


def test_an_unapproved_partner_elsewhere_counts_nowhere(client, scene):
    partnership_create(partner=partner_create(name="Annen hub AS"), hub=scene.other_hub)
    partners = dict(_csv(client.get(scene.hub.url + "dashboard/csv/partners/"))[1:])
    assert partners["all"] == "3"
