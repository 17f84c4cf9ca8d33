"""Set-up helpers for ideas tests: a hub with a project index and an approved partner, its people,
ideas written through the service (so each has its thread)."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from accounts.roles import SITE_ADMINISTRATORS
from ideas import services
from ideas.models import Idea
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create, member_add
from tests.projects.factories import approved_partner_create, goal, project_index_create

__all__ = ["IdeaScene", "goal", "idea_create", "idea_scene_create"]


def idea_create(hub, author, *, title="Benker langs sjøen", text="Flere **benker** i parken.", goals=(), **extra):
    return services.idea_create(actor=author, hub=hub, title=title, text=text, goals=list(goals), **extra)


@dataclass
class IdeaScene:
    hub: object
    index: object
    partner: object
    author: object
    citizen: object
    unverified: object
    partner_member: object
    coordinator: object
    coordinating_member: object
    other_coordinator: object
    staff: object
    idea: Idea


def idea_scene_create() -> IdeaScene:
    hub = hub_create(title="Ålesund", default_language="en")
    index = project_index_create(hub)
    partner = approved_partner_create(hub, name="Byens lag")
    other_hub = hub_create(title="Molde", home=hub.get_parent().specific)
    author = UserFactory(verified=True, display_name="Ada Forfatter")
    coordinating_member = coordinator_create(hub, display_name="Kim Koordinator")
    member_add(partner, user=coordinating_member)
    staff = UserFactory(verified=True, display_name="Sara Stab")
    staff.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    return IdeaScene(
        hub=hub,
        index=index,
        partner=partner,
        author=author,
        citizen=UserFactory(verified=True, display_name="Cato Borger"),
        unverified=UserFactory(verified=False),
        partner_member=member_add(partner, display_name="Per Partner").user,
        coordinator=coordinator_create(hub, display_name="Kari Koordinator"),
        coordinating_member=coordinating_member,
        other_coordinator=coordinator_create(other_hub),
        staff=staff,
        idea=idea_create(hub, author, goals=[goal(11)]),
    )
