"""The "Projects overdue" report and the dashboard panel in the Wagtail admin: who sees which projects."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from projects.admin.views import months_before, projects_needing_update, reporting_counts
from projects.models import ReportingFreshness
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create, partner_create
from tests.projects.admin_support import in_english, months_ago, project_create, project_index_create

pytestmark = pytest.mark.django_db

REPORT = reverse("projects_admin_overdue")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def other_hub(hub):
    return hub_create(title="Fjordvik lab", home=hub.get_parent())


@pytest.fixture
def projects(hub, other_hub, today):
    index = project_index_create(hub)
    other_index = project_index_create(other_hub, reporting_due_months=3, reporting_overdue_months=6)
    lead = partner_create(name="Havbruk AS")
    return {
        "fresh": project_create(index, title="Fersk fisk", last_reported_at=months_ago(today, 2)),
        "due": project_create(index, title="Solceller på taket", last_reported_at=months_ago(today, 8)),
        "overdue": project_create(
            index, title="Strandrydding", last_reported_at=months_ago(today, 14), lead_partner=lead
        ),
        "draft": project_create(index, title="Hemmelig utkast", last_reported_at=months_ago(today, 20), live=False),
        # Four months is up to date by the default thresholds, due by the other hub's own.
        "other_due": project_create(other_index, title="Landstrøm", last_reported_at=months_ago(today, 4)),
        "other_overdue": project_create(other_index, title="Sykkelveier", last_reported_at=months_ago(today, 7)),
    }


def _titles(response) -> list[str]:
    return [row.project.title for row in response.context["rows"]]


def test_a_coordinator_sees_their_hubs_due_and_overdue_projects_overdue_first(client, hub, projects):
    coordinator = in_english(coordinator_create(hub))
    client.force_login(coordinator)

    response = client.get(REPORT)

    assert response.status_code == 200
    assert _titles(response) == ["Strandrydding", "Solceller på taket"]
    page = response.content.decode()
    assert "Projects whose progress updates are due or overdue" in page
    assert "Update overdue" in page and "Update due" in page
    assert "Havbruk AS" in page
    assert "Ålesund framtidslab" in page
    assert reverse("wagtailadmin_pages:edit", args=[projects["overdue"].pk]) in page
    assert "Hemmelig utkast" not in page and "Fersk fisk" not in page
    assert "Landstrøm" not in page and "Sykkelveier" not in page


def test_a_coordinator_of_the_other_hub_sees_only_that_hub_by_its_own_thresholds(client, other_hub, projects):
    client.force_login(in_english(coordinator_create(other_hub)))

    response = client.get(REPORT)

    assert response.status_code == 200
    assert _titles(response) == ["Sykkelveier", "Landstrøm"]
    assert [row.freshness for row in response.context["rows"]] == [ReportingFreshness.OVERDUE, ReportingFreshness.DUE]


def test_a_registered_user_is_sent_to_the_admin_login_and_sees_nothing(client, projects):
    user = in_english(UserFactory(verified=True))
    client.force_login(user)

    response = client.get(REPORT)

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert projects_needing_update(user, timezone.localdate()) == []


def test_an_editor_with_admin_access_who_coordinates_no_hub_is_refused(client, projects):
    editors = Group.objects.create(name="Redaktører")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user = in_english(UserFactory(verified=True))
    user.groups.add(editors)
    client.force_login(user)

    response = client.get(REPORT)
    dashboard = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 403
    assert "Strandrydding" not in response.content.decode()
    assert dashboard.status_code == 200
    assert REPORT not in dashboard.content.decode()


def test_a_coordinator_sees_the_report_in_the_reports_menu(client, hub, projects):
    client.force_login(in_english(coordinator_create(hub)))

    dashboard = client.get(reverse("wagtailadmin_home"))

    assert REPORT in dashboard.content.decode()


def test_a_site_administrator_sees_every_hubs_projects(client, projects):
    client.force_login(in_english(UserFactory(superuser=True)))

    response = client.get(REPORT)

    assert response.status_code == 200
    assert _titles(response) == ["Strandrydding", "Sykkelveier", "Solceller på taket", "Landstrøm"]
    assert {row.hub_title for row in response.context["rows"]} == {"Ålesund framtidslab", "Fjordvik lab"}


def test_the_dashboard_panel_counts_the_coordinators_overdue_projects(client, hub, projects, today):
    coordinator = in_english(coordinator_create(hub))
    index = projects["overdue"].get_parent()
    project_create(index.specific, title="Gammel dugnad", last_reported_at=months_ago(today, 30))
    client.force_login(coordinator)

    response = client.get(reverse("wagtailadmin_home"))

    page = response.content.decode()
    assert "2 projects are overdue with their progress updates" in page
    assert "1 more project is due for an update soon." in page


def test_the_dashboard_panel_says_so_when_nothing_is_overdue(client, other_hub, hub, today):
    project_create(project_index_create(hub), title="Fersk fisk", last_reported_at=months_ago(today, 1))
    client.force_login(in_english(coordinator_create(hub)))

    response = client.get(reverse("wagtailadmin_home"))

    assert "No project in your hubs is overdue with its progress updates." in response.content.decode()


def test_a_project_that_never_reported_counts_from_its_first_publication(hub, today):
    index = project_index_create(hub)
    project = project_create(index, title="Aldri rapportert")
    project.first_published_at = timezone.now() - datetime.timedelta(days=400)
    project.save(update_fields=["first_published_at"])
    coordinator = coordinator_create(hub)

    rows = projects_needing_update(coordinator, today)

    assert [(row.project.title, row.freshness, row.last_update) for row in rows] == [
        ("Aldri rapportert", ReportingFreshness.OVERDUE, None)
    ]
    assert reporting_counts(coordinator, today) == (1, 0)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 6, datetime.date(2025, 7, 15)),
        (datetime.date(2026, 12, 1), 12, datetime.date(2025, 12, 1)),
    ],
)
def test_months_before_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert months_before(day, months) == expected


def test_the_report_agrees_with_the_project_pages_freshness_at_the_threshold(hub, today):
    """Exactly six months silent is due, one day less is up to date (the project page's own rule)."""
    index = project_index_create(hub)
    exactly = months_before(today, 6)
    project_create(index, title="Akkurat seks", last_reported_at=exactly)
    project_create(index, title="Nesten seks", last_reported_at=exactly + datetime.timedelta(days=1))

    coordinator = coordinator_create(hub)

    rows = projects_needing_update(coordinator, today)

    assert [row.project.title for row in rows] == ["Akkurat seks"]
    assert reporting_counts(coordinator, today) == (0, 1)


def test_the_dashboard_counts_agree_with_the_report_rows(hub, other_hub, projects, today):
    for user in (coordinator_create(hub), coordinator_create(other_hub), UserFactory(superuser=True)):
        rows = projects_needing_update(user, today)
        overdue = sum(row.overdue for row in rows)
        assert reporting_counts(user, today) == (overdue, len(rows) - overdue)
