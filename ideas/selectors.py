"""Reads of ideas that are more than one line. The list costs a fixed number of queries whatever
its length: supports are counted in the same query, goals and authors come in one query each."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from goals.models import Goal
from ideas.models import Idea, IdeaStatus, IdeaSupport

SORTS = ("supported", "newest")


def _goals_prefetch() -> Prefetch:
    return Prefetch("goals", queryset=Goal.objects.order_by("number"))


def hub_ideas(hub, *, sort: str = "supported", status: str = "", goal: Goal | None = None, include_hidden=False):
    """The hub's ideas with ``support_count``, most supported or newest first, filtered by status and goal."""
    ideas = (
        Idea.objects.filter(hub=hub)
        .select_related("author")
        .prefetch_related(_goals_prefetch())
        .annotate(support_count=Count("supports", distinct=True))
    )
    if not include_hidden:
        ideas = ideas.filter(hidden_at__isnull=True)
    if status in IdeaStatus.values:
        ideas = ideas.filter(status=status)
    if goal is not None:
        ideas = ideas.filter(goals=goal)
    if sort == "newest":
        return ideas.order_by("-created_at", "-pk")
    return ideas.order_by("-support_count", "-created_at", "-pk")


def hub_idea(hub, idea_id: int) -> Idea | None:
    """One idea of ``hub`` with its count of supports, author, goals, thread and project."""
    return (
        Idea.objects.filter(hub=hub, pk=idea_id)
        .select_related("author", "hub", "thread", "project", "answered_by")
        .prefetch_related(_goals_prefetch())
        .annotate(support_count=Count("supports", distinct=True))
        .first()
    )


def supported_ids(user, idea_ids) -> set[int]:
    """Which of ``idea_ids`` ``user`` supports (one query)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(IdeaSupport.objects.filter(user=user, idea_id__in=list(idea_ids)).values_list("idea_id", flat=True))


def goals_in_use(hub) -> list[Goal]:
    """The goals the hub's visible ideas name, for the filter."""
    used = Idea.objects.filter(hub=hub, hidden_at__isnull=True, goals=OuterRef("pk"))
    return list(Goal.objects.filter(Exists(used)).order_by("number"))


def ideas_of_project(project) -> list[Idea]:
    """The visible ideas a project started from."""
    return list(Idea.objects.filter(project=project, hidden_at__isnull=True).select_related("hub", "author"))


def supporter_ids(idea: Idea) -> QuerySet:
    return IdeaSupport.objects.filter(idea=idea).values_list("user_id", flat=True)


def visible_q() -> Q:
    return Q(hidden_at__isnull=True)
