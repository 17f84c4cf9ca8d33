"""The "Share / embed" button and dialog on a hub's front page and its project list (``cms_page_actions``)."""

from django.template.loader import render_to_string
from wagtail import hooks

from cms import dependency
from cms.fragments import cached_fragment
from cms.models import HubPage
from cms.restrictions import page_audience
from cms.versioned_cache import versioned
from embeds import selectors, snippets
from embeds.forms import EmbedOptionsForm
from projects.models import ProjectIndexPage


def _public_index_id(hub: HubPage) -> int | None:
    """The hub's project list when it is live and public (from the versioned cache: no query once warm)."""

    def compute() -> int | None:
        index = ProjectIndexPage.objects.child_of(hub).live().first()
        return index.pk if index is not None and page_audience(index).public else None

    return versioned(f"embed-index:{hub.pk}", compute, depends_on=[dependency.hub(hub.pk)])


def share_context(hub: HubPage) -> dict:
    """The dialog's content for the hub's defaults: all goals, the hub's language."""
    language = selectors.embed_language(None, hub)
    return {
        "hub": hub,
        "form": EmbedOptionsForm(hub_language=language, auto_id="embed-%s"),
        "snippet": snippets.embed_snippet(hub, goal=None, language=language),
        "embed_url": snippets.embed_url(hub, goal=None, language=language),
        "json_url": snippets.json_url(hub, goal=None, language=language),
    }


@hooks.register("cms_page_actions")
def share_embed_action(request, page) -> str:
    if isinstance(page, ProjectIndexPage):
        hub, index_id = page.get_hub(), page.pk
    elif isinstance(page, HubPage):
        hub = page
        index_id = _public_index_id(hub)
    else:
        return ""
    if hub is None or index_id is None or not page_audience(hub).public:
        return ""
    if isinstance(page, ProjectIndexPage) and not page_audience(page).public:
        return ""
    # The same for everyone: rendered once per change to the hub (its goals' choices, its language).
    return cached_fragment(
        request,
        f"share-dialog:{hub.pk}",
        lambda: render_to_string("embeds/includes/share_dialog.html", share_context(hub)),
        depends_on=(f"hub:{hub.pk}",),
    )
