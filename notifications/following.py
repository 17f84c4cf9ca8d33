"""Following from the site's pages: the target a follow button is for, whether the visitor may
follow it and follows it now, where it is, and what a person follows ("What I follow").

Writes go through ``notifications.services`` (``follow``, ``unfollow``). Targets are found through
``Follow``'s own foreign keys (``TARGET_FIELDS``), so nothing here names a model of another app;
who may see a target is asked of that app's permission predicate, as its pages do.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import services
from notifications.models import TARGET_FIELDS, Follow, FollowTarget

# The headings of "What I follow", in the order shown.
GROUP_HEADINGS = {
    FollowTarget.PROJECT: _("Projects"),
    FollowTarget.THREAD: _("Discussions"),
    FollowTarget.PARTNER: _("Partners"),
    FollowTarget.GOAL: _("Goals"),
    FollowTarget.HUB: _("Hubs"),
}


def target_model(kind: str):
    return Follow._meta.get_field(TARGET_FIELDS[kind]).related_model


def target_get(kind: str, pk: int):
    """The project page, thread, partner, goal or hub page ``kind`` / ``pk`` names, or None."""
    if kind not in TARGET_FIELDS:
        return None
    return target_model(kind).objects.filter(pk=pk).first()


def can_see(user, target) -> bool:
    """``user`` may see ``target``'s page (the predicates its own app's views use)."""
    kind = services.target_kind(target)
    if kind == FollowTarget.PROJECT:
        from projects.permissions import can_view_project

        return can_view_project(user, target)
    if kind == FollowTarget.THREAD:
        from discussions.permissions import can_view_thread

        return can_view_thread(user, target)
    if kind == FollowTarget.PARTNER:
        from partners.permissions import can_view_partner

        return can_view_partner(user, target)
    if kind == FollowTarget.HUB:
        return target.live and not target.get_view_restrictions().exists()
    return True  # the goals are public


def can_follow(user, target) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and can_see(user, target)


def is_following(user, target) -> bool:
    """Whether ``user`` is told about ``target`` now; one query.

    A project's discussion is followed with the project unless the person stopped following the
    discussion alone (``notifications.selectors.thread_follower_ids``).
    """
    if not (user and user.is_authenticated):
        return False
    kind = services.target_kind(target)
    if kind == FollowTarget.THREAD and target.project_id is not None:
        rows = dict(
            Follow.objects.filter(Q(thread_id=target.pk) | Q(project_id=target.project_id), user=user).values_list(
                "thread_id", "active"
            )
        )
        if target.pk in rows:
            return rows[target.pk]
        return rows.get(None, False)
    return services.is_following(user, target)


# --- What I follow -------------------------------------------------------------------------------


@dataclass
class Followed:
    follow: Follow
    kind: str
    target: object
    title: str
    url: str


@dataclass
class FollowedGroup:
    kind: str
    heading: str
    items: list[Followed] = field(default_factory=list)


def followed_groups(user, request=None) -> list[FollowedGroup]:
    """``user``'s active follows grouped by kind (only kinds they follow something of), each group
    by title. A fixed number of queries however many there are."""
    follows = list(
        Follow.objects.filter(user=user, active=True)
        .select_related(*TARGET_FIELDS.values())
        .order_by("created_at", "pk")
    )
    partner_urls = _partner_urls({f.partner_id for f in follows if f.partner_id}, request)
    groups = {kind: FollowedGroup(kind=kind, heading=str(heading)) for kind, heading in GROUP_HEADINGS.items()}
    hidden_forum_hubs = _hidden_forum_hub_ids(user, getattr(request, "session", None))
    for follow in follows:
        kind = follow.target_kind
        target = follow.target
        if kind == FollowTarget.THREAD and target.project_id is None and target.hub_id in hidden_forum_hubs:
            continue  # a topic in a forum they may not see (any more): not even its title
        groups[kind].items.append(
            Followed(
                follow=follow,
                kind=kind,
                target=target,
                title=target_title(target),
                url=_url(kind, target, request, partner_urls),
            )
        )
    for group in groups.values():
        group.items.sort(key=lambda item: item.title.casefold())
    return [group for group in groups.values() if group.items]


def _hidden_forum_hub_ids(user, session) -> set[int]:
    """The hubs whose forum ``user`` may not see (``can_view_thread``); no query while every forum is
    public."""
    from cms.restrictions import audience_allows
    from discussions.permissions import forum_audiences

    return {hub_id for hub_id, audience in forum_audiences().items() if not audience_allows(audience, user, session)}


def target_title(target) -> str:
    """What a target is called: a page's or thread's title, a partner's name, a goal's number and name."""
    kind = services.target_kind(target)
    if kind == FollowTarget.PARTNER:
        return target.name
    if kind == FollowTarget.GOAL:
        return str(target)
    return target.title


def _url(kind: str, target, request, partner_urls: dict) -> str:
    if kind in (FollowTarget.PROJECT, FollowTarget.HUB):
        return target.get_url(request) or ""
    if kind == FollowTarget.THREAD:
        return reverse("discussions:thread", args=[target.pk])
    if kind == FollowTarget.GOAL:
        return target.get_absolute_url()
    return partner_urls.get(target.pk, "")


def _partner_urls(partner_ids: set[int], request) -> dict[int, str]:
    """A page of each partner: in the directory of a hub where it is approved (two queries)."""
    if not partner_ids:
        return {}
    from partners.models import PartnerIndexPage, Partnership, PartnershipStatus

    rows = list(
        Partnership.objects.filter(partner_id__in=partner_ids, status=PartnershipStatus.APPROVED)
        .order_by("pk")
        .values_list("partner_id", "partner__slug", "hub__path", "hub__depth")
    )
    if not rows:
        return {}
    below_hubs = Q()
    for _partner_id, _slug, path, depth in rows:
        below_hubs |= Q(path__startswith=path, depth=depth + 1)
    directories = {page.path[: -page.steplen]: page for page in PartnerIndexPage.objects.live().filter(below_hubs)}
    urls: dict[int, str] = {}
    for partner_id, slug, path, _depth in rows:
        directory = directories.get(path)
        if partner_id in urls or directory is None:
            continue
        base = directory.get_url(request)
        if base:
            urls[partner_id] = base.rstrip("/") + "/" + directory.reverse_subpage("partner", kwargs={"slug": slug})
    return urls
