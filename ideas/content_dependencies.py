"""Which dependency keys (``cms.dependency``) writes to ideas replace: the hub's pages (its lists
and the idea's own page, a route of the hub) and the page of the project it became."""

from cms import dependency
from ideas.models import Idea, IdeaSupport


def idea_keys(idea: Idea) -> set[str]:
    keys = {dependency.hub(idea.hub_id)}
    if idea.project_id is not None:
        keys.add(dependency.page(idea.project_id))
    return keys


def _support(support: IdeaSupport) -> set[str]:
    # Ideas show how many support them.
    idea = Idea.objects.filter(pk=support.idea_id).only("pk", "hub_id", "project_id").first()
    return idea_keys(idea) if idea is not None else set()


dependency.register(Idea, idea_keys)
dependency.register(IdeaSupport, _support)
