"""Consultations for pages of lower apps: a project page shows its open consultations (projects
never imports consultations; its template loads this tag)."""

from django import template

from cms import dependency
from cms.versioned_cache import versioned
from consultations import selectors

# "Open now" changes with the clock alone: a minute old at most (answering checks the window itself).
LIST_TIMEOUT = 60

register = template.Library()


@register.inclusion_tag("consultations/includes/project_consultations.html")
def project_consultations(project):
    """The consultations about ``project`` that are open now."""
    consultations = versioned(
        f"consultations:project:{project.pk}",
        lambda: selectors.project_open_consultations(project),
        depends_on=[dependency.page(project.pk)],
        timeout=LIST_TIMEOUT,
    )
    hub = consultations[0].hub if consultations else None
    return {"consultations": consultations, "consultations_url": f"{hub.url}consultations/" if hub else ""}
