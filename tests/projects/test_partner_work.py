""" "My organisations" (/partners/mine/): the organisations' proposals with the coordinators' comments,
their projects, progress updates due or overdue, and invitations — from the projects app's
``partner_work`` tag (partners never imports projects), in a number of queries that does not grow."""

import secrets
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation

from partners.models import PartnerInvitation, PartnerRole
from projects import services
from projects.models import ProjectPage
from projects.selectors import partner_work
from tests.accounts.factories import UserFactory
from tests.partners.factories import member_add
from tests.projects.factories import project_create, proposal_fields, scene_create

pytestmark = pytest.mark.django_db

URL = "/partners/mine/"


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the page's English wording."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    return scene_create()


def _reported(page, days_ago: int):
    ProjectPage.objects.filter(pk=page.pk).update(last_reported_at=timezone.localdate() - timedelta(days=days_ago))


def _propose(scene, capture, **fields):
    with capture(execute=True):
        return services.project_propose(**proposal_fields(scene, **fields))


def _request_changes(page, user, comment, capture):
    page = ProjectPage.objects.get(pk=page.pk)
    task_state = page.current_workflow_state.current_task_state
    with capture(execute=True):
        task_state.task.specific.on_action(task_state.specific, user, "reject", comment=comment)


def _soup(client) -> BeautifulSoup:
    response = client.get(URL)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def _section(soup, heading_id) -> str:
    return soup.find(attrs={"aria-labelledby": heading_id}).get_text(" ", strip=True)


def test_the_page_shows_proposals_projects_and_updates_due(client, scene, django_capture_on_commit_callbacks):
    waiting = _propose(scene, django_capture_on_commit_callbacks, title="Grønn havn")
    changes = _propose(scene, django_capture_on_commit_callbacks, title="Sykkelby")
    _request_changes(changes, scene.coordinator, "Legg til et budsjett, takk.", django_capture_on_commit_callbacks)
    overdue = project_create(scene.index, title="Havvind", lead_partner=scene.lead)
    _reported(overdue, 400)
    due = project_create(scene.index, title="Solceller", partners=[scene.lead])
    _reported(due, 200)
    fresh = project_create(scene.index, title="Tareskog", lead_partner=scene.lead)
    _reported(fresh, 10)
    project_create(scene.index, title="Ikke vårt", lead_partner=scene.participant)

    client.force_login(scene.lead_member)
    soup = _soup(client)

    proposals = _section(soup, "proposals-heading")
    assert "Grønn havn" in proposals and "Waiting for review" in proposals
    assert "Sykkelby" in proposals and "Changes requested" in proposals
    assert "Legg til et budsjett, takk." in proposals
    links = {link["href"] for link in soup.select("a[href]")}
    assert f"{scene.index.url}proposals/{waiting.pk}/" in links
    assert f"{scene.index.url}proposals/{changes.pk}/" in links

    due_text = _section(soup, "reports-due-heading")
    assert due_text.index("Havvind") < due_text.index("Solceller")  # overdue first
    assert "Update overdue" in due_text and "Update due" in due_text
    assert "Tareskog" not in due_text
    assert f"/projects/{overdue.pk}/updates/new/" in links and f"/projects/{due.pk}/updates/new/" in links
    assert f"/projects/{fresh.pk}/updates/new/" not in links

    projects = _section(soup, "projects-heading")
    assert all(title in projects for title in ("Havvind", "Solceller", "Tareskog"))
    assert "Ikke vårt" not in soup.get_text()
    assert "Ålesund" in projects  # the hub


def test_members_of_other_organisations_see_none_of_it(client, scene, django_capture_on_commit_callbacks):
    _propose(scene, django_capture_on_commit_callbacks, title="Grønn havn")
    project_create(scene.index, title="Havvind", lead_partner=scene.lead)
    client.force_login(scene.unrelated_member)
    text = _soup(client).get_text()
    assert "Grønn havn" not in text and "Havvind" not in text
    assert "no project proposals" in text


def test_partner_work_of_no_organisation_is_empty():
    work = partner_work([], today=timezone.localdate())
    assert (work.proposals, work.projects, work.reports_due) == ([], [], [])


def _invite(partner, email, *, days=7, accepted=False):
    return PartnerInvitation.objects.create(
        partner=partner,
        email=email,
        role=PartnerRole.MEMBER,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(days=days),
        accepted_at=timezone.now() if accepted else None,
    )


def test_open_invitations_to_me_and_from_my_organisations_are_shown(client, scene):
    person = UserFactory(verified=True, email="kari@example.org")
    open_one = _invite(scene.participant, "KARI@example.org")
    _invite(scene.lead, "kari@example.org", days=-1)
    _invite(scene.lead, "kari@example.org", accepted=True)
    client.force_login(person)
    soup = _soup(client)
    invitations = _section(soup, "invitations-heading")
    assert "Deltaker AS" in invitations and "Leder AS" not in invitations
    assert open_one.get_absolute_url() in {link["href"] for link in soup.select("a[href]")}

    administrator = member_add(scene.lead, role=PartnerRole.ADMINISTRATOR).user
    _invite(scene.lead, "ny@example.org")
    client.force_login(administrator)
    assert "ny@example.org" in _section(_soup(client), "invitations-sent-heading")
    client.force_login(scene.lead_member)  # a member, not an administrator
    assert "ny@example.org" not in _soup(client).get_text()


def _grow(scene, capture, count):
    for number in range(count):
        page = _propose(scene, capture, title=f"Forslag {number}")
        if number % 2:
            _request_changes(page, scene.coordinator, f"Kommentar {number}", capture)
        live = project_create(scene.index, title=f"Prosjekt {number}", lead_partner=scene.lead)
        _reported(live, 100 * number)
        project_create(scene.other_index, title=f"Molde {number}", partners=[scene.lead])
        _invite(scene.lead, f"person{count}-{number}@example.org")


# The session and user, the memberships and their partnerships, two for invitations, four for the
# projects side (pages, their lists, hubs, workflow states): ten today, and one to spare.
MINE_QUERIES = 11


def test_queries_do_not_grow_with_proposals_projects_and_invitations(
    client, scene, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    administrator = member_add(scene.lead, role=PartnerRole.ADMINISTRATOR).user
    client.force_login(administrator)
    _grow(scene, django_capture_on_commit_callbacks, 2)
    client.get(URL)  # fills the versioned cache (site, menus)
    with django_assert_max_num_queries(MINE_QUERIES):
        small = client.get(URL)
    _grow(scene, django_capture_on_commit_callbacks, 10)
    client.get(URL)
    with django_assert_max_num_queries(MINE_QUERIES):
        large = client.get(URL)
    assert (small.status_code, large.status_code) == (200, 200)
    assert small.content.decode().count("Forslag ") == 2
    assert large.content.decode().count("Forslag ") == 12
    assert "Molde 9" in large.content.decode()
