"""Which dependency keys (``cms.dependency``) writes to projects replace: the project's page, its
hub's lists, its goals' and partners' pages and the front page's counters."""

from cms import dependency
from cms.content_dependencies import goal_keys, page_keys, page_keys_by_id
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProgressUpdateImage,
    ProjectGalleryImage,
    ProjectLink,
    ProjectPage,
)


def project_keys(project: ProjectPage) -> set[str]:
    goal_ids = {
        project.primary_goal_id,
        *ProjectPage.goals.through.objects.filter(projectpage_id=project.pk).values_list("goal_id", flat=True),
    }
    partner_ids = {
        project.lead_partner_id,
        *ProjectPage.partners.through.objects.filter(projectpage_id=project.pk).values_list("partner_id", flat=True),
    }
    return (
        page_keys(project)
        | {dependency.HOME}
        | goal_keys(goal_id for goal_id in goal_ids if goal_id is not None)
        | {dependency.partner(partner_id) for partner_id in partner_ids if partner_id is not None}
    )


def _update(update: ProgressUpdate) -> set[str]:
    # An update shows on the project's page and, through the reporting freshness, in the hub's list.
    return page_keys_by_id(update.project_id) | {dependency.partner(update.partner_id)}


dependency.register(ProjectPage, project_keys)
dependency.register(ProjectGalleryImage, lambda image: page_keys_by_id(image.project_id))
dependency.register(ProjectLink, lambda link: page_keys_by_id(link.project_id))
dependency.register(Outcome, lambda outcome: page_keys_by_id(outcome.project_id))
dependency.register(ProgressUpdate, _update)
dependency.register(
    ProgressUpdateImage,
    lambda image: page_keys_by_id(
        ProgressUpdate.objects.filter(pk=image.update_id).values_list("project_id", flat=True).first()
    ),
)
dependency.register(
    OutcomeMeasurement,
    lambda measurement: page_keys_by_id(
        Outcome.objects.filter(pk=measurement.outcome_id).values_list("project_id", flat=True).first()
    ),
)
