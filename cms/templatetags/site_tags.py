"""The site-wide menu and footer, from the versioned cache (``cms.versioned_cache``).

Every page shows them, and Wagtail's ``{{ settings.cms.NavigationSettings }}`` costs a query for
each setting plus one for the pages its links point at, on every request. Here each site's links
and footer are read once per content version: editing the settings, or any page, changes the
version. The links are kept as plain data (label, address, page id), so that whether a link is
the current page is still decided per request.
"""

from django import template
from wagtail.models import Site

from cms.models import FooterSettings, NavigationSettings
from cms.versioned_cache import versioned

register = template.Library()


def _links(stream, request) -> list[dict]:
    links = []
    for block in stream:
        item = block.value
        page = item.get("page")
        if page is not None:
            url = page.get_url(request)
            if url is None:  # a page that cannot be reached (not routable from any site)
                continue
            links.append({"label": item.get("label"), "url": url, "page_id": page.pk})
        elif item.get("url"):
            links.append({"label": item.get("label"), "url": item["url"], "page_id": None})
    return links


def _site(context) -> Site | None:
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def navigation_links(context) -> list[dict]:
    """The site's main menu: a list of ``{"label", "url", "page_id"}`` (``page_id`` None for addresses)."""
    site = _site(context)
    if site is None:
        return []
    request = context.get("request")
    return versioned(f"navigation:{site.pk}", lambda: _links(NavigationSettings.for_site(site).links, request))


@register.simple_tag(takes_context=True)
def footer_settings(context) -> dict:
    """The site's footer: ``text``, ``contact_email``, ``contact_phone``, ``contact_address`` and ``links``."""
    site = _site(context)
    if site is None:
        return {}
    request = context.get("request")

    def compute() -> dict:
        footer = FooterSettings.for_site(site)
        return {
            "text": footer.text,
            "contact_email": footer.contact_email,
            "contact_phone": footer.contact_phone,
            "contact_address": footer.contact_address,
            "links": _links(footer.links, request),
        }

    return versioned(f"footer:{site.pk}", compute)
