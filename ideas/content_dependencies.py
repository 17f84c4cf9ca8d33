"""Which dependency keys (``cms.dependency``) writes to ideas replace: the hub's pages (its lists
and the idea's own page, a route of the hub) and the page of the project it became."""

from cms import dependency
from cms.content_dependencies import hub_item_keys
from ideas.models import Idea, IdeaSupport


def _support(support: IdeaSupport) -> set[str]:
    # Ideas show how many support them.
    idea = Idea.objects.filter(pk=support.idea_id).only("pk", "hub_id", "project_id").first()
    return hub_item_keys(idea) if idea is not None else set()


dependency.register(Idea, hub_item_keys)
dependency.register(IdeaSupport, _support)
