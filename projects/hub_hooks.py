"""Give every new hub its project list, so "Propose a project" works from the hub's first day.

Registered with Wagtail's hooks when ``ProjectsConfig.ready`` imports this module. cms knows
nothing of projects: the page is added here (as ``partners.hub_hooks`` adds the partner directory).
"""

import logging

from wagtail import hooks

from cms.models import HubPage
from projects.models import ProjectIndexPage

logger = logging.getLogger(__name__)

INDEX_TITLE = "Prosjekter"
INDEX_SLUG = "projects"


def project_index_ensure(*, hub: HubPage, user=None) -> ProjectIndexPage | None:
    """Add and publish the hub's ProjectIndexPage unless it has one (or the slug is taken)."""
    if ProjectIndexPage.objects.child_of(hub).exists() or hub.get_children().filter(slug=INDEX_SLUG).exists():
        return None
    index = ProjectIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, show_in_menus=True)
    hub.add_child(instance=index)
    index.save_revision(user=user, log_action=True).publish(user=user)
    logger.info("Project list %s created for hub %s", index.pk, hub.pk)
    return index


@hooks.register("after_create_page")
def project_index_for_new_hub(request, page):
    if isinstance(page.specific, HubPage):
        project_index_ensure(hub=page.specific, user=getattr(request, "user", None))
