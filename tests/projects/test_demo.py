"""The demo's projects: about twenty, every status, every state of reporting, one proposal in review; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import WorkflowState

from cms.models import HubPage, NavigationSettings
from partners.models import PartnerMember, PartnershipStatus
from projects.admin.views import projects_needing_update
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatus,
    ReportingFreshness,
)
from projects.selectors import hub_featured_and_latest

pytestmark = pytest.mark.django_db

CONTACT = "partnerkontakt@fjordvik.example"
COORDINATOR = "koordinator@fjordvik.example"


def _seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            ProjectPage,
            ProjectIndexPage,
            ProgressUpdate,
            Outcome,
            OutcomeMeasurement,
            ProjectGalleryImage,
            WorkflowState,
        )
    } | {"navigation links": len(NavigationSettings.objects.get().links)}


def test_seed_demo_adds_about_twenty_projects_across_statuses_and_reporting_freshness():
    output = _seed()

    hub = HubPage.objects.get()
    index = ProjectIndexPage.objects.child_of(hub).get()
    live = ProjectPage.objects.child_of(index).live()
    assert 18 <= live.count() <= 22
    assert set(live.values_list("status", flat=True)) == set(ProjectStatus.values)
    assert len(set(live.values_list("primary_goal__number", flat=True))) >= 8
    today = timezone.localdate()
    freshness = [
        project.reporting_freshness(
            today=today, due_months=index.reporting_due_months, overdue_months=index.reporting_overdue_months
        )
        for project in live
    ]
    assert {kind: freshness.count(kind) >= 1 for kind in ReportingFreshness.values} == dict.fromkeys(
        ReportingFreshness.values, True
    )
    assert all("fiktiv" in title.lower() for title in ProjectPage.objects.values_list("title", flat=True))
    assert all(project.lead_partner_id for project in live)
    approved_leads = live.filter(
        lead_partner__partnerships__hub=hub, lead_partner__partnerships__status=PartnershipStatus.APPROVED
    )
    assert approved_leads.count() == live.count()
    # Outcomes with measured values over time, from the lead partner's progress updates.
    assert Outcome.objects.filter(measurements__isnull=False).distinct().count() >= 5
    for project in live.exclude(last_reported_at=None):
        assert project.last_reported_at == project.progress_updates.order_by("-reported_on")[0].reported_on
    # Pictures always with their alternative text.
    with_pictures = live.exclude(hero_image=None)
    assert with_pictures.count() >= 3
    assert all(project.hero_image_alt for project in with_pictures)
    assert all(image.alt_text for image in ProjectGalleryImage.objects.all())
    assert {link.value["page"].pk for link in NavigationSettings.objects.get().links} >= {index.pk}
    # A few featured projects with pictures, shown first on the hub's home page.
    featured = live.filter(featured=True)
    assert 2 <= featured.count() <= 4
    assert not featured.filter(hero_image=None).exists()
    assert {project.pk for project in hub_featured_and_latest(hub)[: featured.count()]} == {
        project.pk for project in featured
    }
    assert "Projects (fictional): 20 projects and one proposal waiting for review" in output


def test_the_demo_proposal_waits_in_the_hubs_workflow_by_a_member_of_an_approved_partner():
    _seed()

    # The other proposal is the one an idea became (ideas.demo).
    proposal = ProjectPage.objects.exclude(slug="delesykler-ved-kaia").get(live=False)
    assert proposal.proposed_by.email == CONTACT
    assert "fiktiv" in proposal.title
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(proposal.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert PartnerMember.objects.filter(
        user__email=CONTACT,
        partner__partnerships__hub=proposal.get_parent().get_parent(),
        partner__partnerships__status=PartnershipStatus.APPROVED,
    ).exists()


def test_the_demo_coordinator_finds_due_and_overdue_projects_in_the_admin_report():
    _seed()
    coordinator = HubPage.objects.get().coordinators_group.user_set.get(email=COORDINATOR)

    rows = projects_needing_update(coordinator, timezone.localdate())

    kinds = {row.freshness for row in rows}
    assert kinds == {ReportingFreshness.DUE, ReportingFreshness.OVERDUE}
    assert all(row.project.live for row in rows)


def test_seed_demo_twice_changes_nothing_in_the_projects():
    _seed()
    first = _counts()
    statuses = sorted(ProjectPage.objects.values_list("slug", "status", "last_reported_at"))

    _seed()

    assert _counts() == first
    assert sorted(ProjectPage.objects.values_list("slug", "status", "last_reported_at")) == statuses


def test_demo_projects_aim_at_the_demo_hubs_fictional_indicators():
    _seed()
    solar = ProjectPage.objects.get(slug="sol-pa-kaia")

    codes = sorted(solar.indicators.values_list("code", flat=True))
    assert codes == ["FORNYBAR", "KLIMAGASS"]
    assert all(indicator.fictional and indicator.hub_id == solar.get_hub().pk for indicator in solar.indicators.all())
