"""Partners for pages of lower apps: the hub page's strip of partner logos.

cms never imports partners: the hub page's template loads this tag instead.
"""

from django import template

from cms.restrictions import public_q
from partners import selectors
from partners.models import PartnerIndexPage

register = template.Library()

HUB_LOGOS_MAX = 12


@register.inclusion_tag("partners/includes/hub_partner_logos.html", takes_context=True)
def hub_partner_logos(context, hub):
    """The hub's approved partners as logos in the one logo frame, at most twelve, with a link to
    the directory. Three queries whatever the number of partners."""
    request = context.get("request")
    directory = PartnerIndexPage.objects.child_of(hub).live().filter(public_q()).first()
    partners = list(selectors.directory_partners(hub)[: HUB_LOGOS_MAX + 1]) if directory is not None else []
    return {
        "request": request,
        "partners": partners[:HUB_LOGOS_MAX],
        "more": len(partners) > HUB_LOGOS_MAX,
        "index_url": directory.get_url(request) if directory is not None else "",
    }
