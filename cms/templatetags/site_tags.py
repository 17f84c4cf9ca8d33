"""The menu and footer of every page, from the versioned cache (``cms.versioned_cache``).

A page in a hub shows that hub's own menu (``HubPage.menu_links``) and contact details; the
site-wide pages (the home page, ``/goals/``, account pages) show the site settings
(``NavigationSettings``, ``FooterSettings``). Wagtail's ``{{ settings.cms.NavigationSettings }}``
would cost a query per setting plus one for the linked pages on every request; here each menu and
footer is read once per hub and language while its dependencies (``hub:<id>``, ``site``) are
unchanged: editing a hub, the settings or a page of the hub replaces one of them. The links are
kept as plain data (label, address, page id), so that whether a link is the current page is still decided per request.
"""

from django import template
from wagtail.models import Site

from cms import dependency
from cms.languages import current_language, in_language
from cms.models import FooterSettings, HubPage, NavigationSettings
from cms.versioned_cache import versioned

register = template.Library()


def _links(stream, request, language: str) -> list[dict]:
    links = []
    for block in stream:
        item = block.value
        label = in_language(
            item.get("label"), {"nn": item.get("label_nn"), "en": item.get("label_en")}, language=language
        )
        page = item.get("page")
        if page is not None:
            url = page.get_url(request)
            if url is None:  # a page that cannot be reached (not routable from any site)
                continue
            links.append({"label": label, "url": url, "page_id": page.pk})
        elif item.get("url"):
            links.append({"label": label, "url": item["url"], "page_id": None})
    return links


def _site(context) -> Site | None:
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


def hub_in_context(context) -> HubPage | None:
    """The hub the page being rendered belongs to, or None on a site-wide page (higher apps' tags use it too)."""
    hub = context.get("hub")
    if isinstance(hub, HubPage):
        return hub
    get_hub = getattr(context.get("page"), "get_hub", None)
    return get_hub() if callable(get_hub) else None


@register.simple_tag(takes_context=True)
def current_hub(context) -> HubPage | None:
    """The hub of the page being rendered (the header's search box searches it), or None."""
    return hub_in_context(context)


def _hub_menu(hub_id: int, request, language: str) -> list[dict]:
    # The hub from hub_for_page has its StreamFields deferred; read the menu once per version.
    menu = HubPage.objects.only("pk", "menu_links").get(pk=hub_id).menu_links
    return _links(menu, request, language)


@register.simple_tag(takes_context=True)
def navigation_links(context) -> list[dict]:
    """The page's main menu: a list of ``{"label", "url", "page_id"}`` (``page_id`` None for addresses).

    On a page in a hub, the hub's own menu; elsewhere the site's. Labels in the active language.
    """
    site = _site(context)
    if site is None:
        return []
    request = context.get("request")
    language = current_language()
    hub = hub_in_context(context)
    if hub is not None:
        return versioned(
            f"navigation:hub:{hub.pk}:{site.pk}:{language}",
            lambda: _hub_menu(hub.pk, request, language),
            depends_on=[dependency.hub(hub.pk), dependency.SITE],
        )
    return versioned(
        f"navigation:{site.pk}:{language}",
        lambda: _links(NavigationSettings.for_site(site).links, request, language),
        depends_on=[dependency.SITE],
    )


@register.simple_tag(takes_context=True)
def footer_settings(context) -> dict:
    """The page's footer: ``heading``, ``text``, ``contact_email``, ``contact_phone``, ``contact_address``, ``links``.

    On a page in a hub, the hub's name and its own contact details; elsewhere the site's footer.
    """
    site = _site(context)
    if site is None:
        return {}
    request = context.get("request")
    hub = hub_in_context(context)
    if hub is not None:
        return {
            "heading": hub.title,
            "text": "",
            "contact_email": hub.contact_email,
            "contact_phone": hub.contact_phone,
            "contact_address": hub.contact_address,
            "links": [],
        }
    language = current_language()

    def compute() -> dict:
        footer = FooterSettings.for_site(site)
        return {
            "heading": "",
            "text": footer.text,
            "contact_email": footer.contact_email,
            "contact_phone": footer.contact_phone,
            "contact_address": footer.contact_address,
            "links": _links(footer.links, request, language),
        }

    return versioned(f"footer:{site.pk}:{language}", compute, depends_on=[dependency.SITE])
