"""Each hub gets its own moderation workflow, reviewed by its own coordinators."""

import pytest
from django.utils import translation
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

from cms.services import hub_coordinators_group_ensure, hub_moderation_workflow_ensure
from tests.partners.factories import hub_create

pytestmark = pytest.mark.django_db


def test_every_hub_has_its_own_workflow_with_its_coordinators():
    first = hub_create(title="Ålesund")
    second = hub_create(title="Molde", home=first.get_parent().specific)
    first_workflow = WorkflowPage.objects.get(page=first).workflow
    second_workflow = WorkflowPage.objects.get(page=second).workflow
    assert first_workflow != second_workflow
    assert first_workflow.active
    [task] = [task.specific for task in first_workflow.tasks]
    assert isinstance(task, GroupApprovalTask)
    assert first.coordinators_group in task.groups.all()
    assert second.coordinators_group not in task.groups.all()
    assert first.get_workflow() == first_workflow


def test_ensuring_again_changes_nothing_and_repairs_what_was_switched_off():
    hub = hub_create()
    workflow = WorkflowPage.objects.get(page=hub).workflow
    workflow.deactivate()
    hub_coordinators_group_ensure(hub=hub)
    assert hub_moderation_workflow_ensure(hub=hub).pk == workflow.pk
    workflow.refresh_from_db()
    assert workflow.active
    assert Workflow.objects.filter(workflow_pages__page=hub).count() == 1
    assert GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow, active=True).count() == 1


@pytest.mark.parametrize(
    ("hub_language", "workflow_name", "task_name"),
    [
        ("nn", "Handsaming i Volda", "Koordinatorane i Volda"),
        ("nb", "Behandling i Volda", "Koordinatorer for Volda"),
        ("en", "Review in Volda", "Coordinators of Volda"),
    ],
)
def test_the_stored_workflow_and_task_names_are_in_the_hubs_language(hub_language, workflow_name, task_name):
    other_language = "en" if hub_language != "en" else "nb"
    with translation.override(other_language):
        hub = hub_create(title="Volda", default_language=hub_language)
        workflow = hub_moderation_workflow_ensure(hub=hub)

    assert workflow.name == workflow_name
    assert [task.name for task in workflow.tasks] == [task_name]
