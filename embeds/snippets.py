"""The code another website pastes to show a hub's projects: an ``<iframe>`` and, optionally, the
small script that lets the frame grow to its content (``embeds/static/embeds/embed-host.js``)."""

from urllib.parse import urlencode

from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.urls_absolute import absolute_url
from goals.models import Goal

# Without the script the frame keeps this height and scrolls inside; with it, it fits its content.
FRAME_HEIGHT = 640


def embed_query(*, goal: Goal | None, language: str) -> str:
    parameters = {}
    if goal is not None:
        parameters["goal"] = goal.number
    parameters["lang"] = language
    return urlencode(parameters)


def embed_url(hub, *, goal: Goal | None, language: str) -> str:
    """The absolute address of the embeddable project list."""
    return absolute_url(reverse("embed_projects", args=[hub.pk])) + "?" + embed_query(goal=goal, language=language)


def json_url(hub, *, goal: Goal | None, language: str) -> str:
    """The absolute address of the same list as JSON, for sites that render it themselves."""
    return absolute_url(reverse("embed_projects_json", args=[hub.pk])) + "?" + embed_query(goal=goal, language=language)


def frame_title(hub, *, goal: Goal | None, language: str) -> str:
    """The iframe's title (what screen readers announce for the frame), in the embed's language."""
    with translation.override(language):
        if goal is not None:
            return _("Projects of %(hub)s for goal %(number)s: %(goal)s") % {
                "hub": hub.title,
                "number": goal.number,
                "goal": goal.short_name,
            }
        return _("Projects of %(hub)s") % {"hub": hub.title}


def embed_snippet(hub, *, goal: Goal | None, language: str) -> str:
    """The HTML to paste: an iframe that works alone, and the optional resizing script."""
    src = embed_url(hub, goal=goal, language=language)
    title = frame_title(hub, goal=goal, language=language)
    script = absolute_url(static("embeds/embed-host.js"))
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{FRAME_HEIGHT}" '
        f'loading="lazy" style="border:0;max-width:100%" data-dugnad-embed></iframe>\n'
        f'<script src="{escape(script)}" async></script>'
    )
