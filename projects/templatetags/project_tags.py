"""Project lists for pages of lower apps (goal pages, partner pages, indicator pages, "My organisations",
a hub's home page, the site's front page).

goals, partners and cms never import projects: their templates load these tags instead, so the
dependency points from projects down to them.
"""

from django import template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from cms.fragments import cached_fragment
from projects import selectors
from projects.models import ProjectIndexPage

register = template.Library()

GOAL_PROJECTS_MAX = 12
# Hub cards on the front page; with more hubs than this, the rest are in a list of names below them.
FRONT_PAGE_HUB_CARDS = 12
PARTNER_PROJECTS_MAX = 24


@register.simple_tag(takes_context=True)
def goal_projects(context, goal):
    """Live projects of every hub that serve ``goal``: at most twelve, with the total count and a feed link.

    The same for everyone: rendered once per change to the goal's projects (``cms.fragments``)."""
    request = context.get("request")

    def render() -> str:
        projects = selectors.projects_for_goal(goal)
        shown = list(projects[:GOAL_PROJECTS_MAX])
        count = len(shown) if len(shown) < GOAL_PROJECTS_MAX else projects.count()
        values = {"request": request, "goal": goal, "projects": shown, "count": count}
        return render_to_string(
            "projects/includes/goal_projects.html", {**values, "card_rendition": selectors.CARD_IMAGE_RENDITION}
        )

    return cached_fragment(request, f"goal-projects:{goal.number}", render, depends_on=(f"goal:{goal.number}",))


@register.inclusion_tag("projects/includes/indicator_projects.html", takes_context=True)
def indicator_projects(context, indicator, hub):
    """For an indicator's page (indicators): the live, public projects of ``hub`` that aim to move it."""
    return {
        "request": context.get("request"),
        "indicator": indicator,
        "projects": list(selectors.projects_for_indicator(indicator, hub)),
        "card_rendition": selectors.CARD_IMAGE_RENDITION,
    }


@register.inclusion_tag("projects/includes/partner_projects.html", takes_context=True)
def partner_projects(context, partner, hub):
    """The live projects of ``hub`` that ``partner`` leads or takes part in."""
    request = context.get("request")
    projects = list(selectors.projects_for_partner(partner).descendant_of(hub)[: PARTNER_PROJECTS_MAX + 1])
    all_projects_url = ""
    if len(projects) > PARTNER_PROJECTS_MAX:
        # The rest are in the hub's project list, filtered to this partner.
        index = ProjectIndexPage.objects.child_of(hub).live().first()
        all_projects_url = f"{index.get_url(request)}?partner={partner.pk}" if index else ""
    return {
        "request": request,
        "partner": partner,
        "projects": projects[:PARTNER_PROJECTS_MAX],
        "all_projects_url": all_projects_url,
    }


@register.simple_tag(takes_context=True)
def hub_projects(context, hub):
    """The featured and latest projects for a hub's home page, rendered once per change to the hub's projects."""
    request = context.get("request")

    def render() -> str:
        values = {"request": request, "hub": hub, "projects": selectors.hub_featured_and_latest(hub)}
        return render_to_string(
            "projects/includes/hub_projects.html", {**values, "card_rendition": selectors.CARD_IMAGE_RENDITION}
        )

    return cached_fragment(request, f"hub-projects:{hub.pk}", render, depends_on=(f"hub:{hub.pk}",))


@register.simple_tag(takes_context=True)
def hub_overviews(context, hubs):
    """``{% hub_overviews hubs as rows %}``: each hub with its numbers (partners, projects, goals) and
    next-step addresses, in a fixed number of queries (selectors.hub_overviews)."""
    return selectors.hub_overviews(hubs, context.get("request"))


@register.simple_tag
def most_active_hubs(rows):
    """``{% most_active_hubs rows as shown %}``: the ``FRONT_PAGE_HUB_CARDS`` hubs with the most published projects
    (then by name): the front page's cards when an installation has more hubs than a page can show
    as cards (all of Norway's municipalities)."""
    return sorted(rows, key=lambda row: (-row.project_count, row.hub.title))[:FRONT_PAGE_HUB_CARDS]


@register.inclusion_tag("projects/includes/latest_projects.html", takes_context=True)
def latest_projects(context, root, heading_id="latest-projects-heading"):
    """The newest projects of every hub below ``root``, as cards (the site's front page)."""
    return {
        "request": context.get("request"),
        "projects": selectors.latest_projects(root),
        "heading_id": heading_id,
    }


@register.inclusion_tag("projects/includes/partner_work.html", takes_context=True)
def partner_work(context, memberships):
    """For "My organisations" (partners): the proposals, projects and progress reports due of the
    organisations in ``memberships`` (``PartnerMember`` rows of the person), in a fixed number of queries."""
    request = context.get("request")
    work = selectors.partner_work(
        {membership.partner_id for membership in memberships}, today=timezone.localdate(), request=request
    )
    return {"request": request, "work": work}


@register.filter
def filter_select(bound_field):
    """A filter's ``<select>``, as ``{{ field|ds_widget }}`` renders it, built without a template per option.

    Django renders every ``<option>`` through a template of its own: the partner filter of a hub
    with a thousand partners cost about 35 ms a request that way. Single choice only, as Django's
    ``Select``: the first option with the field's value is the selected one.
    """
    widget = bound_field.field.widget
    classes = " ".join(c for c in (widget.attrs.get("class", ""), "ds-input") if c)
    attrs = bound_field.build_widget_attrs({"class": classes}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    values = widget.format_value(bound_field.value())
    chosen = values[0] if values else None

    def options(choices) -> str:
        nonlocal chosen
        rendered = []
        for value, label in choices:
            if isinstance(label, list | tuple):
                rendered.append(format_html('<optgroup label="{}">{}</optgroup>', value, mark_safe(options(label))))
                continue
            value = "" if value is None else str(value)
            selected = value == chosen
            if selected:
                chosen = None
            mark = " selected" if selected else ""
            rendered.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
        return "".join(rendered)

    select_attrs = {"name": bound_field.html_name, **widget.build_attrs(widget.attrs, attrs)}
    return format_html("<select{}>{}</select>", flatatt(select_attrs), mark_safe(options(bound_field.field.choices)))
