"""Projects say which of their hub's municipal indicators they aim to move: in a proposal (form and
service), in the Wagtail editor, and on the project page."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from projects import services
from projects.models import ProjectPage
from tests.indicators.factories import indicator_create
from tests.projects.factories import project_create, proposal_fields, scene_create
from tests.projects.test_views_public import PROJECT_PAGE_QUERIES, _proposal_post, _rendered_project_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return scene_create()


def test_a_proposal_names_the_hubs_indicators(scene):
    energy = indicator_create(scene.hub, name="Share of renewable energy")

    page = services.project_propose(**proposal_fields(scene, indicators=[energy]))

    assert list(ProjectPage.objects.get(pk=page.pk).indicators.all()) == [energy]


def test_a_proposal_naming_another_hubs_indicator_is_refused_and_saves_nothing(scene):
    foreign = indicator_create(scene.other_hub, name="Molde's waste")

    with pytest.raises(ValidationError) as error:
        services.project_propose(**proposal_fields(scene, indicators=[foreign]))

    assert error.value.error_dict["indicators"][0].code == "indicator_hub"
    assert "Molde's waste" in error.value.error_dict["indicators"][0].message % (
        error.value.error_dict["indicators"][0].params or {}
    )
    assert not ProjectPage.objects.exists()


def test_a_proposal_update_changes_the_indicators(scene):
    first = indicator_create(scene.hub, name="First")
    second = indicator_create(scene.hub, name="Second")
    page = services.project_propose(**proposal_fields(scene, indicators=[first]))
    fields = proposal_fields(scene, indicators=[second])
    del fields["index"]

    services.project_proposal_update(page=page, **fields)

    assert list(ProjectPage.objects.get(pk=page.pk).indicators.all()) == [second]


def test_the_proposal_form_offers_only_this_hubs_indicators(client, scene):
    own = indicator_create(scene.hub, name="Share of renewable energy")
    foreign = indicator_create(scene.other_hub, name="Molde's waste")
    client.force_login(scene.proposer)

    html = client.get(f"{scene.index.url}propose/").content.decode()
    assert f'name="indicators" value="{own.pk}"' in html
    assert "Molde" not in html

    refused = client.post(f"{scene.index.url}propose/", _proposal_post(scene, indicators=[foreign.pk]))
    assert refused.status_code == 200
    assert not ProjectPage.objects.exists()

    accepted = client.post(f"{scene.index.url}propose/", _proposal_post(scene, indicators=[own.pk]))
    assert accepted.status_code == 302
    assert list(ProjectPage.objects.get(title="Grønn havn").indicators.all()) == [own]


def test_a_hub_without_indicators_asks_nothing_about_them(client, scene):
    client.force_login(scene.proposer)

    html = client.get(f"{scene.index.url}propose/").content.decode()

    assert 'name="title"' in html
    assert 'name="indicators"' not in html


def test_the_wagtail_editor_offers_only_the_projects_hubs_indicators(scene):
    own = indicator_create(scene.hub, name="Share of renewable energy")
    foreign = indicator_create(scene.other_hub, name="Molde's waste")
    project = project_create(scene.index)
    form_class = ProjectPage.get_edit_handler().get_form_class()

    form = form_class(instance=project, for_user=scene.coordinator)

    assert list(form.fields["indicators"].queryset) == [own]
    assert foreign not in form.fields["indicators"].queryset
    new_form = form_class(instance=ProjectPage(), parent_page=scene.index, for_user=scene.coordinator)
    assert list(new_form.fields["indicators"].queryset) == [own]


def test_the_project_page_links_its_indicators_in_one_query_more(client, scene, settings):
    settings.DUGNAD_PAGE_CACHE = False
    energy = indicator_create(scene.hub, code="ENERGY", name="Share of renewable energy")
    waste = indicator_create(scene.hub, code="WASTE", name="Household waste")
    plain = project_create(scene.index, title="Plain")
    aiming = project_create(scene.index, title="Aiming")
    aiming.indicators.set([energy, waste])
    aiming.save_revision().publish()

    def project_queries(page):
        with translation.override("en"):  # the language the parts are kept under
            queries = _rendered_project_queries(client, page)
        return sum('"discussions_' not in sql for sql in queries)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with_indicators, without = project_queries(aiming), project_queries(plain)
    response = client.get(aiming.url)

    html = response.content.decode()
    assert "Indicators this project aims to move" in html
    assert f'href="{scene.hub.url}indicators/ENERGY/">Share of renewable energy</a>' in html
    assert f'href="{scene.hub.url}indicators/WASTE/">Household waste</a>' in html
    # The pinned count (tests/projects/test_views_public.py, with pictures and updates) stays as it
    # is for projects that name no indicator; naming some costs one query, however many.
    assert without <= PROJECT_PAGE_QUERIES
    assert with_indicators == without + 1


def test_the_proposers_view_of_a_proposal_lists_its_indicators(client, scene):
    energy = indicator_create(scene.hub, code="ENERGY", name="Share of renewable energy")
    page = services.project_propose(**proposal_fields(scene, indicators=[energy]))
    client.force_login(scene.proposer)

    with translation.override("en"):
        html = client.get(f"{scene.index.url}proposals/{page.pk}/")

    assert f'href="{scene.hub.url}indicators/ENERGY/">Share of renewable energy</a>' in html.content.decode()


def test_the_admin_edit_page_renders_with_the_hubs_indicators_only(client, scene):
    indicator_create(scene.hub, name="Share of renewable energy")
    indicator_create(scene.other_hub, name="Molde's waste")
    project = project_create(scene.index)
    client.force_login(scene.coordinator)

    response = client.get(f"/admin/pages/{project.pk}/edit/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Share of renewable energy" in html
    assert "Molde&#x27;s waste" not in html and "Molde's waste" not in html
