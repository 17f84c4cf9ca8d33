"""Who is told about what: followers, coordinators and a partner's people, limited to those who may
see the thing they would be told about.

Every function here costs a fixed number of queries whatever the number of people: recipient sets
come back from one query each (a thread with 10,000 followers is one SELECT), and visibility is a
filter on that same query, never a permission check per person. The filters mirror the permission
predicates (``projects.permissions.can_view_project``, ``discussions.permissions.can_view_thread``);
``tests/notifications/test_queries.py`` checks that they agree.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.roles import SITE_ADMINISTRATORS
from accounts.urls_absolute import page_link
from notifications.models import Follow

# Wagtail's log actions of an actual publication (a scheduled one included, not its scheduling).
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def _users():
    return get_user_model().objects.all()


# --- Visibility -------------------------------------------------------------------------------


def project_is_public(page) -> bool:
    """Live and not behind a Wagtail view restriction: anyone may see it (as ``can_view_project``)."""
    return page.live and not page.get_view_restrictions().exists()


def project_partner_ids(page) -> set[int]:
    """The lead and participating partners of ``page`` as stored in its row."""
    ids = set(page.partners.values_list("pk", flat=True))
    if page.lead_partner_id:
        ids.add(page.lead_partner_id)
    return ids


def project_viewers_q(page) -> Q | None:
    """A filter on users for the people who may see ``page``; None when everyone may.

    A draft, a proposal or a restricted project is for its proposer, the members of its partners and
    its hub's coordinators (the hub's group, the site administrators and superusers), exactly as
    ``projects.permissions.can_view_project`` says.
    """
    if project_is_public(page):
        return None
    allowed = Q(is_superuser=True) | Q(groups__name=SITE_ADMINISTRATORS)
    if page.proposed_by_id:
        allowed |= Q(pk=page.proposed_by_id)
    partner_ids = project_partner_ids(page)
    if partner_ids:
        allowed |= Q(partner_memberships__partner_id__in=partner_ids)
    hub = page.get_hub()
    if hub is not None and hub.coordinators_group_id:
        allowed |= Q(groups__id=hub.coordinators_group_id)
    return allowed


def thread_viewers_q(thread) -> Q | None:
    """The people who may see ``thread`` without a session (``can_view_thread``): a project's thread
    as its project, and both a project's and a forum topic's as the page they belong to (unpublished
    pages and view restrictions; nobody for a password restriction, which only a session passes)."""
    from cms.restrictions import audience_users_q
    from discussions.permissions import thread_audience

    page_q = audience_users_q(thread_audience(thread))
    project_q = project_viewers_q(thread.project) if thread.project_id is not None else None
    if thread.project_id is not None and not thread.project.live:
        page_q = None  # a draft's thread: its people (project_viewers_q) see it
    if page_q is None:
        return project_q
    return page_q if project_q is None else page_q & project_q


def visible_user_ids(user_ids, viewers_q: Q | None) -> list[int]:
    """Active users among ``user_ids`` (ids or a subquery of ids) who pass ``viewers_q``; one query."""
    users = _users().filter(pk__in=user_ids, is_active=True)
    if viewers_q is not None:
        users = users.filter(viewers_q)
    return list(users.values_list("pk", flat=True).distinct())


# --- Followers --------------------------------------------------------------------------------


def thread_follower_ids(thread) -> QuerySet:
    """The people following ``thread``, as a subquery of user ids.

    Following a project includes following its discussion (the follow button on a project page
    follows both in one), unless the person stopped following the discussion alone: an inactive
    follow of the thread wins over the project's.
    """
    follows = Q(thread_id=thread.pk)
    if thread.project_id is not None:
        stopped = Follow.objects.filter(thread_id=thread.pk, active=False).values("user_id")
        follows |= Q(project_id=thread.project_id) & ~Q(user_id__in=stopped)
    return Follow.objects.filter(follows, active=True).values("user_id")


def project_follower_ids(project_id: int) -> QuerySet:
    return Follow.objects.filter(project_id=project_id, active=True).values("user_id")


def new_project_audience_ids(page) -> QuerySet:
    """Followers of what a new project belongs to: its goals (primary and further), its hub and its
    partners (lead and participating)."""
    goal_ids = set(page.goals.values_list("pk", flat=True))
    goal_ids.add(page.primary_goal_id)
    about = Q(goal_id__in=goal_ids)
    hub = page.get_hub()
    if hub is not None:
        about |= Q(hub_id=hub.pk)
    partner_ids = project_partner_ids(page)
    if partner_ids:
        about |= Q(partner_id__in=partner_ids)
    return Follow.objects.filter(about, active=True).values("user_id")


def new_event_audience_ids(event) -> QuerySet:
    """Followers of the hub an event is in and of its project."""
    about = Q(hub_id=event.hub_id)
    if event.project_id:
        about |= Q(project_id=event.project_id)
    return Follow.objects.filter(about, active=True).values("user_id")


def event_url(event) -> str:
    """The event's page below its hub (``events.views``), for storing with a notification."""
    hub_url = page_link(event.hub)
    return f"{hub_url.rstrip('/')}/events/{event.pk}/" if hub_url else ""


# --- People by role ---------------------------------------------------------------------------


def hub_coordinator_ids(hub) -> list[int]:
    """The active members of the hub's coordinators group. Site administrators and superusers may
    act as coordinators anywhere, but are not told about every hub's queue: only the people the
    hub named."""
    if hub is None or not hub.coordinators_group_id:
        return []
    return list(
        _users().filter(groups__id=hub.coordinators_group_id, is_active=True).values_list("pk", flat=True).distinct()
    )


def partner_administrator_ids(partner_id: int) -> list[int]:
    """The people who speak for a partner (they apply on its behalf and receive its e-mails)."""
    from partners.models import PartnerMember, PartnerRole

    return list(
        PartnerMember.objects.filter(
            partner_id=partner_id, role=PartnerRole.ADMINISTRATOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def partner_member_ids(partner_ids) -> list[int]:
    from partners.models import PartnerMember

    return list(
        PartnerMember.objects.filter(partner_id__in=partner_ids, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def last_logged_user_id(page_id: int, actions) -> int | None:
    """Who did the latest of Wagtail's logged ``actions`` on a page (the publisher, the reviewer)."""
    from wagtail.models import PageLogEntry

    return (
        PageLogEntry.objects.filter(page_id=page_id, action__in=list(actions))
        .order_by("-timestamp", "-pk")
        .values_list("user_id", flat=True)
        .first()
    )


# --- Where a notification leads -----------------------------------------------------------------


def project_url(page) -> str:
    """A live project's page; a draft's proposal page (which its people may open)."""
    if page.live:
        return page_link(page)
    index = page.get_parent().specific
    index_url = page_link(index)
    if not index_url or not hasattr(index, "reverse_subpage"):
        return ""
    return index_url.rstrip("/") + "/" + index.reverse_subpage("proposal", args=[page.pk])


def comment_url(comment) -> str:
    """The comment in its thread's page (``discussions.selectors.comment_url``)."""
    from discussions.selectors import comment_url as canonical

    return canonical(comment) or ""
