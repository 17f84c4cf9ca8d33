"""Ideas for pages of lower apps: a project page shows the idea it started as.

projects never imports ideas: its template loads this tag, so the dependency points down.

    {% load ideas %}{% project_origin_ideas page %}
"""

from django import template

from ideas import selectors

register = template.Library()


@register.inclusion_tag("ideas/includes/project_origin.html", takes_context=True)
def project_origin_ideas(context, project):
    request = context.get("request")
    if project is None or getattr(project, "pk", None) is None:
        return {"ideas": []}
    ideas = selectors.ideas_of_project(project)
    return {"ideas": [(idea, idea.get_url(request)) for idea in ideas]}


@register.inclusion_tag("ideas/includes/hub_ideas.html", takes_context=True)
def hub_ideas(context, hub):
    """The way into a hub's ideas from its home page (the same for everyone, so it caches)."""
    return {"request": context.get("request"), "hub": hub}
