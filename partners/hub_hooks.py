"""Give every new hub its partner directory, so "Become a partner" works from the hub's first day.

Registered with Wagtail's hooks when ``PartnersConfig.ready`` imports this module (the admin's
own hooks are in ``partners.wagtail_hooks``). cms knows nothing of partners: the page is added here.
"""

import logging

from wagtail import hooks

from cms.models import HubPage
from partners.models import PartnerIndexPage

logger = logging.getLogger(__name__)

INDEX_TITLE = "Partnere"
INDEX_SLUG = "partners"


def partner_index_ensure(*, hub: HubPage, user=None) -> PartnerIndexPage | None:
    """Add and publish the hub's PartnerIndexPage unless it has one (or the slug is taken)."""
    if PartnerIndexPage.objects.child_of(hub).exists() or hub.get_children().filter(slug=INDEX_SLUG).exists():
        return None
    index = PartnerIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, show_in_menus=True)
    hub.add_child(instance=index)
    index.save_revision(user=user, log_action=True).publish(user=user)
    logger.info("Partner directory %s created for hub %s", index.pk, hub.pk)
    return index


@hooks.register("after_create_page")
def partner_index_for_new_hub(request, page):
    if isinstance(page.specific, HubPage):
        partner_index_ensure(hub=page.specific, user=getattr(request, "user", None))
