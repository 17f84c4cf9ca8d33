"""Open Graph, Twitter card and schema.org (JSON-LD) metadata for every page's ``<head>``.

``{% page_meta %}`` in ``base.html`` describes the page being rendered: a project, a partner's page
(a route of the partner directory, with ``partner`` in the context), a hub, or any other page with
the site's defaults. Addresses are absolute on ``SITE_URL`` (``accounts.urls_absolute``). Images
reuse the renditions the pages show, so the metadata costs no extra image work.

JSON-LD is a data block (``<script type="application/ld+json">``), which browsers never execute,
so ``script-src 'self'`` does not apply to it; it is escaped like ``json_script`` (``<``, ``>``
and ``&`` as ``\\u003C``…), so no text can close the element.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from accounts.urls_absolute import absolute_url, page_absolute_url
from cms.content_dependencies import shown_by_page
from cms.models import HubPage
from cms.versioned_cache import versioned
from partners.models import Partner, PartnerIndexPage
from partners.selectors import LOGO_RENDITION
from projects.models import ProjectPage

register = template.Library()

SITE_NAME = "Dugnad"
DEFAULT_IMAGE = "img/og-default.png"
OG_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
HUB_IMAGE_RENDITION = "fill-1200x500"  # the one the hub page shows (cms/hub_page.html)
PROJECT_IMAGE_RENDITION = "fill-1200x630"  # projects.selectors.HERO_IMAGE_RENDITION, shown on the project page
DESCRIPTION_WORDS = 40

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    """``data`` as a JSON-LD block that cannot be broken out of (escaped as Django's ``json_script``)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _text(html: str) -> str:
    return Truncator(" ".join(strip_tags(html or "").split())).words(DESCRIPTION_WORDS)


def _rendition(image, spec: str) -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return {"url": absolute_url(rendition.url), "width": rendition.width, "height": rendition.height}


def _organisation(hub: HubPage) -> dict:
    return {"@type": "Organization", "name": hub.title, "url": page_absolute_url(hub)}


def _project_meta(page: ProjectPage, context) -> dict:
    """Kept as the page's public parts are (``shown_by_page``), so a member's visit served from them
    reads nothing of the page's content for its metadata either. When they are rendered, this is
    first (it is in the head) and reads the page's prefetched content for them."""
    return versioned(
        f"project-meta:{page.pk}:{get_language()}",
        lambda: _project_meta_now(page, context.get("hero_image") or page.hero_image),
        depends_on=shown_by_page(page),
    )


def _project_meta_now(page: ProjectPage, hero_image) -> dict:
    image = _rendition(hero_image, PROJECT_IMAGE_RENDITION)
    url = page_absolute_url(page)
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": page.title,
        "description": page.summary,
        "url": url,
    }
    if image:
        data["image"] = image["url"]
    hub = page.get_hub()
    if hub is not None:
        data["parentOrganization"] = _organisation(hub)
    if page.lead_partner_id:
        data["member"] = [{"@type": "Organization", "name": page.lead_partner.name}]
    if page.start_date:
        data["foundingDate"] = page.start_date
    if page.location:
        data["location"] = page.location
    return {
        "title": page.seo_title or page.title,
        "description": page.search_description or page.summary,
        "url": url,
        "image": image,
        "image_alt": page.hero_image_alt,
        "type": "article",
        "json_ld": data,
    }


def _partner_meta(partner: Partner, page: PartnerIndexPage, request) -> dict:
    logo = _rendition(partner.logo, LOGO_RENDITION)
    url = absolute_url(request.path)
    description = _text(partner.description)
    data = {"@context": "https://schema.org", "@type": "Organization", "name": partner.name, "url": url}
    if description:
        data["description"] = description
    if logo:
        data["logo"] = logo["url"]
    if partner.website:
        data["sameAs"] = [partner.website]
    if partner.municipality:
        data["address"] = {"@type": "PostalAddress", "addressLocality": partner.municipality, "addressCountry": "NO"}
    hub = page.get_hub()
    if hub is not None:
        data["memberOf"] = _organisation(hub)
    return {
        "title": partner.name,
        "description": description,
        "url": url,
        "image": logo,
        "image_alt": "",
        "type": "profile",
        "card": "summary",
        "json_ld": data,
    }


def _hub_meta(hub: HubPage) -> dict:
    image = _rendition(hub.hero_image, HUB_IMAGE_RENDITION)
    url = page_absolute_url(hub)
    description = hub.search_description or _text(hub.localized_introduction)
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": hub.title,
        "url": url,
        "areaServed": {"@type": "AdministrativeArea", "name": hub.municipality},
    }
    if description:
        data["description"] = description
    if image:
        data["image"] = image["url"]
    return {
        "title": hub.seo_title or hub.title,
        "description": description,
        "url": url,
        "image": image,
        "image_alt": "",
        "type": "website",
        "json_ld": data,
    }


def _default_meta(page, request) -> dict:
    title = (getattr(page, "seo_title", "") or getattr(page, "title", "")) if page is not None else ""
    url = absolute_url(request.path) if request is not None else absolute_url("/")
    return {
        "title": title or SITE_NAME,
        "description": getattr(page, "search_description", "") if page is not None else "",
        "url": url,
        "image": None,
        "image_alt": "",
        "type": "website",
        "json_ld": None,
    }


@register.inclusion_tag("embeds/includes/page_meta.html", takes_context=True)
def page_meta(context) -> dict:
    """The page's Open Graph, Twitter and JSON-LD metadata (see the module's docstring)."""
    request = context.get("request")
    page = context.get("page")
    partner = context.get("partner")
    if isinstance(page, PartnerIndexPage) and isinstance(partner, Partner):
        meta = _partner_meta(partner, page, request)
    elif isinstance(page, ProjectPage) and page.live and not getattr(request, "is_preview", False):
        meta = _project_meta(page, context)
    elif isinstance(page, HubPage) and page.live:
        meta = _hub_meta(page)
    else:
        meta = _default_meta(page, request)
    if meta["image"] is None:
        meta["image"] = {"url": absolute_url(static(DEFAULT_IMAGE)), "width": 1200, "height": 630}
    meta.setdefault("card", "summary_large_image")
    language = get_language() or "nb"
    return {
        **meta,
        "site_name": SITE_NAME,
        "locale": OG_LOCALES.get(language, "nb_NO"),
        "json_ld_block": json_ld(meta["json_ld"]) if meta["json_ld"] else "",
    }
