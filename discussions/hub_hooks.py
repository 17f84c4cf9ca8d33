"""Give every new hub its forum (as ``projects.hub_hooks`` gives it a project list)."""

import logging

from wagtail import hooks

from cms.models import HubPage
from discussions.models import ForumIndexPage

logger = logging.getLogger(__name__)

FORUM_TITLE = "Forum"
FORUM_SLUG = "forum"


def forum_ensure(*, hub: HubPage, user=None) -> ForumIndexPage | None:
    """Add and publish the hub's ForumIndexPage unless it has one (or the slug is taken)."""
    if ForumIndexPage.objects.child_of(hub).exists() or hub.get_children().filter(slug=FORUM_SLUG).exists():
        return None
    forum = ForumIndexPage(title=FORUM_TITLE, slug=FORUM_SLUG, show_in_menus=True)
    hub.add_child(instance=forum)
    forum.save_revision(user=user, log_action=True).publish(user=user)
    logger.info("Forum %s created for hub %s", forum.pk, hub.pk)
    return forum


@hooks.register("after_create_page")
def forum_for_new_hub(request, page):
    if isinstance(page.specific, HubPage):
        forum_ensure(hub=page.specific, user=getattr(request, "user", None))
