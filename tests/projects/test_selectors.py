"""Project lists: what each filter lets through, the sort orders, and query counts that do not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects import selectors
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProgressUpdateImage,
    ProjectGalleryImage,
    ProjectStatus,
)
from tests.partners.factories import logo_image_create
from tests.projects.factories import goal, project_create, scene_create, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return scene_create()


def _titles(queryset):
    return [project.title for project in queryset]


def test_project_list_filters(scene):
    harbour = project_create(
        scene.index,
        title="Havn",
        summary="Landstrøm",
        primary_goal=goal(13),
        goals=[goal(7)],
        targets=[target("7.2")],
        status=ProjectStatus.ACTIVE,
        lead_partner=scene.lead,
    )
    school = project_create(
        scene.index,
        title="Skole",
        primary_goal=goal(4),
        status=ProjectStatus.PLANNED,
        lead_partner=scene.participant,
        partners=[scene.lead],
    )
    project_create(scene.index, title="Utkast", primary_goal=goal(7), live=False)
    project_create(scene.other_index, title="Molde-havn", primary_goal=goal(7))

    assert set(_titles(selectors.project_list(scene.index))) == {"Havn", "Skole"}
    assert _titles(selectors.project_list(scene.hub, goal=goal(7))) == ["Havn"], "further goals count"
    assert _titles(selectors.project_list(scene.index, goal=goal(4))) == ["Skole"]
    assert _titles(selectors.project_list(scene.index, target=target("7.2"))) == ["Havn"]
    assert _titles(selectors.project_list(scene.index, status=ProjectStatus.PLANNED)) == ["Skole"]
    assert set(_titles(selectors.project_list(scene.index, partner=scene.lead))) == {"Havn", "Skole"}
    assert _titles(selectors.project_list(scene.index, partner=scene.participant)) == ["Skole"]
    assert _titles(selectors.project_list(scene.index, query="landstrøm")) == ["Havn"]
    assert _titles(selectors.project_list(scene.index, query="skole", goal=goal(13))) == []
    assert set(_titles(selectors.projects_for_goal(goal(7)))) == {"Havn", "Molde-havn"}
    assert set(_titles(selectors.projects_for_partner(scene.lead))) == {"Havn", "Skole"}
    assert harbour.pk != school.pk


def test_sorts(scene):
    old = project_create(scene.index, title="Gammel", last_reported_at=datetime.date(2026, 1, 1))
    silent = project_create(scene.index, title="Stille")
    fresh = project_create(scene.index, title="Fersk", last_reported_at=datetime.date(2026, 6, 1))
    assert _titles(selectors.project_list(scene.index)) == [fresh.title, silent.title, old.title]
    assert _titles(selectors.project_list(scene.index, sort="updated")) == ["Fersk", "Gammel", "Stille"]


def test_hub_home_shows_featured_projects_first_then_the_latest_each_once(scene):
    old_featured = project_create(scene.index, title="Gammel utvalgt", featured=True)
    project_create(scene.index, title="Eldst")
    project_create(scene.index, title="Nest nyest")
    new_featured = project_create(scene.index, title="Ny utvalgt", featured=True)
    project_create(scene.index, title="Nyest")
    project_create(scene.index, title="Utvalgt utkast", featured=True, live=False)
    project_create(scene.other_index, title="Molde utvalgt", featured=True)
    assert old_featured.first_published_at < new_featured.first_published_at

    shown = _titles(selectors.hub_featured_and_latest(scene.hub, limit=4))
    assert shown == ["Ny utvalgt", "Gammel utvalgt", "Nyest", "Nest nyest"]
    assert _titles(selectors.hub_featured_and_latest(scene.hub, limit=1)) == ["Ny utvalgt"]
    everything = _titles(selectors.hub_featured_and_latest(scene.hub, limit=10))
    assert everything == ["Ny utvalgt", "Gammel utvalgt", "Nyest", "Nest nyest", "Eldst"], "each once, drafts never"


def test_overdue_projects_follow_each_hubs_thresholds(scene):
    today = datetime.date(2026, 11, 27)
    scene.index.reporting_overdue_months = 12
    scene.index.save_revision().publish()
    scene.other_index.reporting_due_months = 2
    scene.other_index.reporting_overdue_months = 3
    scene.other_index.save_revision().publish()
    project_create(scene.index, title="Akkurat forfalt", last_reported_at=datetime.date(2025, 11, 27))
    project_create(scene.index, title="Nesten", last_reported_at=datetime.date(2025, 11, 28))
    project_create(scene.other_index, title="Molde forfalt", last_reported_at=datetime.date(2026, 8, 27))
    project_create(scene.other_index, title="Molde fersk", last_reported_at=datetime.date(2026, 8, 28))
    for page in selectors.overdue_projects_for_coordinator(scene.coordinator, today):
        index = scene.index
        assert (
            page.reporting_freshness(
                today=today, due_months=index.reporting_due_months, overdue_months=index.reporting_overdue_months
            )
            == "overdue"
        )
    assert _titles(selectors.overdue_projects_for_coordinator(scene.coordinator, today)) == ["Akkurat forfalt"]
    assert _titles(selectors.overdue_projects_for_coordinator(scene.other_coordinator, today)) == ["Molde forfalt"]


def test_never_reported_projects_count_from_first_publication(scene):
    page = project_create(scene.index, title="Aldri rapportert")
    today = timezone.localdate(page.first_published_at)
    assert _titles(selectors.overdue_projects_for_coordinator(scene.coordinator, today)) == []
    later = today.replace(year=today.year + 1)
    assert _titles(selectors.overdue_projects_for_coordinator(scene.coordinator, later)) == ["Aldri rapportert"]


def _touch_cards(projects):
    for project in projects:
        _ = project.primary_goal.number, project.lead_partner.name
        if project.hero_image:
            assert project.hero_image.get_rendition(selectors.CARD_IMAGE_RENDITION).url


def _projects_with_images(scene, count):
    image = logo_image_create(title="Bilde", size=(640, 360))
    for number in range(count):
        project_create(
            scene.index,
            title=f"P{number}",
            lead_partner=scene.lead,
            goals=[goal(7), goal(4)],
            hero_image=image,
            hero_image_alt="Et bilde",
        )


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_project_list_query_count_does_not_grow(scene):
    seven = goal(7)
    _projects_with_images(scene, 3)
    _touch_cards(selectors.project_list(scene.index))  # renditions are made once, outside the counted part
    small = _queries(lambda: _touch_cards(selectors.project_list(scene.index, goal=seven, sort="updated")))
    _projects_with_images(scene, 27)
    _touch_cards(selectors.project_list(scene.index))
    large = _queries(lambda: _touch_cards(selectors.project_list(scene.index, goal=seven, sort="updated")))
    assert large == small == 2  # the projects with goal, partner and image joined; the card renditions


def test_project_page_context_query_count_does_not_grow(scene):
    page = project_create(scene.index, lead_partner=scene.lead, partners=[scene.participant])
    outcome = Outcome.objects.create(
        project=page, title="Utslipp", unit="t", baseline=10, target_value=5, target_date=datetime.date(2030, 1, 1)
    )
    image = logo_image_create(title="Galleri", size=(640, 480))

    def add(count):
        for number in range(count):
            ProjectGalleryImage.objects.create(project=page, image=image, alt_text=f"Bilde {number}")
            update = ProgressUpdate.objects.create(
                project=page, partner=scene.lead, reported_on=datetime.date(2026, 1, 1), text=f"<p>{number}</p>"
            )
            ProgressUpdateImage.objects.create(update=update, image=image, alt_text="x")
            OutcomeMeasurement.objects.create(
                outcome=outcome, update=update, value=number, measured_on=datetime.date(2026, 1, 1)
            )

    def render():
        context = selectors.project_page_context(page)
        for item in context["gallery_images"]:
            item.image.get_rendition(selectors.GALLERY_IMAGE_RENDITION)
            item.image.get_rendition(selectors.GALLERY_FULL_RENDITION)
        for outcome_ in context["outcomes"]:
            [m.value for m in outcome_.history]
        for update in context["progress_updates"]:
            _ = update.partner.name
            for picture in update.images.all():
                picture.image.get_rendition(selectors.UPDATE_IMAGE_RENDITION)
            [m.outcome.unit for m in update.measurements.all()]
        return context

    add(2)
    render()
    small = _queries(render)
    add(20)
    context = render()
    large = _queries(render)
    assert len(context["progress_updates"]) == 22
    assert [m.value for m in context["outcomes"][0].history][:2] == [0, 1]
    assert large == small == 9
