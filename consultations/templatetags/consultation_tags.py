"""Consultations for pages of lower apps: a project page shows its open consultations (projects
never imports consultations; its template loads this tag)."""

from django import template

from consultations import selectors

register = template.Library()


@register.inclusion_tag("consultations/includes/project_consultations.html")
def project_consultations(project):
    """The consultations about ``project`` that are open now."""
    consultations = selectors.project_open_consultations(project)
    hub = consultations[0].hub if consultations else None
    return {"consultations": consultations, "consultations_url": f"{hub.url}consultations/" if hub else ""}
