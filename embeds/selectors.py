"""What an embed may show: a public hub's live, public projects, and nothing else.

Every read goes through ``projects.selectors.project_list`` (live pages outside every private
section, ``cms.restrictions.public_q``) and ``cms.restrictions.page_audience`` for the hub and its
project list, so a draft, a page behind a view restriction or a project below an unpublished hub
never reaches another website.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.urls_absolute import absolute_url, page_absolute_url
from cms.models import HubPage
from cms.restrictions import page_audience
from goals.models import Goal
from projects import selectors as project_selectors
from projects.models import ProjectIndexPage, ProjectPage

DEFAULT_LIMIT = 12
MAX_LIMIT = 50
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class EmbedSource:
    """A public hub and its public project list, as an embed shows them."""

    hub: HubPage
    index: ProjectIndexPage


def embed_source(hub_id: int) -> EmbedSource:
    """The hub ``hub_id`` and its project list when both are live and public; Http404 otherwise."""
    hub = HubPage.objects.live().filter(pk=hub_id).first()
    if hub is None or not page_audience(hub).public:
        raise Http404(_("No public hub has that number."))
    index = ProjectIndexPage.objects.child_of(hub).live().first()
    if index is None or not page_audience(index).public:
        raise Http404(_("This hub has no public project list."))
    return EmbedSource(hub=hub, index=index)


def embed_language(requested: str | None, hub: HubPage) -> str:
    """The language asked for (``nb``, ``nn``, ``en``), else the hub's own, else the site's."""
    if requested in LANGUAGES:
        return requested
    if hub.default_language in LANGUAGES:
        return hub.default_language
    return settings.LANGUAGE_CODE


def embed_goal(requested: str | None) -> Goal | None:
    """The goal numbered ``requested`` (1–17); None when none is asked for; Http404 for any other value."""
    if not requested:
        return None
    for goal in project_selectors.goal_catalogue():
        if str(goal.number) == requested.strip():
            return goal
    raise Http404(_("There is no goal with that number."))


def embed_limit(requested: str | None) -> int:
    """How many projects to show: ``requested`` within 1–50, else 12."""
    try:
        return min(max(int(requested), 1), MAX_LIMIT)
    except (TypeError, ValueError):
        return DEFAULT_LIMIT


def embed_projects(source: EmbedSource, *, goal: Goal | None = None, limit: int = DEFAULT_LIMIT) -> list[ProjectPage]:
    """The newest live, public projects of the hub (serving ``goal``, if given), with their goals."""
    projects = project_selectors.project_list(source.index, goal=goal).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("number"))
    )
    return list(projects[:limit])


def project_data(project: ProjectPage) -> dict:
    """A project as the JSON list gives it (in the active language: goal names, status label)."""
    goals = [project.primary_goal] + [goal for goal in project.goals.all() if goal.pk != project.primary_goal_id]
    image = None
    if project.hero_image is not None:
        rendition = project.hero_image.get_rendition(project_selectors.CARD_IMAGE_RENDITION)
        image = {
            "url": absolute_url(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": project.hero_image_alt,
        }
    return {
        "id": project.pk,
        "title": project.title,
        "summary": project.summary,
        "url": page_absolute_url(project),
        "status": project.status,
        "status_label": str(project.get_status_display()),
        "goals": [
            {"number": goal.number, "name": goal.short_name, "url": absolute_url(goal.get_absolute_url())}
            for goal in goals
        ],
        "image": image,
        "first_published_at": project.first_published_at.isoformat() if project.first_published_at else None,
    }
