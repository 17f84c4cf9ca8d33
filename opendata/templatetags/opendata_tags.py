"""Links to open data for the pages of lower apps (the hub page, the lists, the footer), which may
not import opendata: they load these tags instead. No queries: the addresses are built from the
hub's slug; a download of a hub that is not public answers 404."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from cms.templatetags.site_tags import hub_in_context

register = template.Library()

# The list pages' own parameters that are not filters.
_NOT_FILTERS = {"page"}


@register.simple_tag(takes_context=True)
def open_data_url(context) -> str:
    """The open-data page of the hub being shown, or the site's on a page outside every hub."""
    hub = hub_in_context(context)
    return reverse("opendata_hub", args=[hub.slug]) if hub is not None else reverse("opendata_index")


@register.inclusion_tag("opendata/includes/list_downloads.html", takes_context=True)
def open_data_downloads(context, dataset: str) -> dict:
    """ "Download as CSV / JSON" for a hub's project list or partner directory, keeping its filters."""
    hub = hub_in_context(context)
    request = context.get("request")
    if hub is None or request is None:
        return {"links": None}
    filters = [(key, value) for key, values in request.GET.lists() if key not in _NOT_FILTERS for value in values]
    query = f"?{urlencode(filters)}" if filters else ""
    return {
        "links": {
            fmt: f"{reverse('opendata_hub_download', args=[hub.slug, dataset, fmt])}{query}" for fmt in ("csv", "json")
        },
        "filtered": bool(filters),
        "page_url": reverse("opendata_hub", args=[hub.slug]),
    }
