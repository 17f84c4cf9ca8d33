"""The permission matrix of partners: every role against every action, one cell per test.

A change to any rule flips a cell here. The same table is checked against the services, so a
predicate and the service that relies on it cannot drift apart.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied

from accounts.roles import SITE_ADMINISTRATORS
from partners import services
from partners.models import PartnerRole, PartnershipStatus
from partners.permissions import (
    can_apply_for_partnership,
    can_decide_partnership,
    can_edit_partner,
    can_manage_hub_partners,
    can_manage_partner_members,
    can_view_partner,
    can_view_partnership,
    is_partner_administrator,
    is_partner_member,
)
from tests.accounts.factories import UserFactory
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    member_add,
    partner_create,
    partnership_create,
)

pytestmark = pytest.mark.django_db

ACTIONS = (
    "view_pending_partnership",
    "view_approved_partnership",
    "view_unapproved_partner",
    "edit_partner",
    "manage_members",
    "apply_for_partnership",
    "decide_partnership",
    "manage_hub_partners",
)

T, F = True, False
# role: view pending, view approved, view unapproved partner, edit, manage members, apply, decide, manage hub
MATRIX = {
    "anonymous": (F, T, F, F, F, F, F, F),
    "registered_user": (F, T, F, F, F, F, F, F),
    "member_of_partner": (T, T, T, F, F, F, F, F),
    "administrator_of_partner": (T, T, T, T, T, T, F, F),
    "inactive_administrator_of_partner": (F, T, F, F, F, F, F, F),
    "administrator_of_another_partner": (F, T, F, F, F, F, F, F),
    "coordinator_of_hub": (T, T, T, F, F, F, T, T),
    "coordinator_of_another_hub": (F, T, F, F, F, F, F, F),
    "site_administrator": (T, T, T, T, T, F, T, T),
    "superuser": (T, T, T, T, T, F, T, T),
}
CELLS = [(role, action, allowed) for role, row in MATRIX.items() for action, allowed in zip(ACTIONS, row, strict=True)]


@dataclass
class World:
    hub: object
    other_hub: object
    partner: object  # has only an application (pending) in ``hub``
    pending: object
    approved: object  # another partner's approved partnership in ``hub``
    users: dict


@pytest.fixture
def world():
    hub = hub_create()
    other_hub = hub_create(home=hub.get_parent().specific)
    partner = partner_create()
    pending = partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPLIED)
    other_partner = partner_create()
    approved = partnership_create(partner=other_partner, hub=hub, status=PartnershipStatus.APPROVED)

    site_administrator = UserFactory(verified=True)
    site_administrator.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    users = {
        "anonymous": AnonymousUser(),
        "registered_user": UserFactory(verified=True),
        "member_of_partner": member_add(partner, role=PartnerRole.MEMBER).user,
        "administrator_of_partner": member_add(partner, role=PartnerRole.ADMINISTRATOR).user,
        "inactive_administrator_of_partner": member_add(partner, role=PartnerRole.ADMINISTRATOR, is_active=False).user,
        "administrator_of_another_partner": member_add(other_partner, role=PartnerRole.ADMINISTRATOR).user,
        "coordinator_of_hub": coordinator_create(hub),
        "coordinator_of_another_hub": coordinator_create(other_hub),
        "site_administrator": site_administrator,
        "superuser": UserFactory(verified=True, superuser=True),
    }
    return World(hub=hub, other_hub=other_hub, partner=partner, pending=pending, approved=approved, users=users)


def _ask(world: World, user, action: str) -> bool:
    return {
        "view_pending_partnership": lambda: can_view_partnership(user, world.pending),
        "view_approved_partnership": lambda: can_view_partnership(user, world.approved),
        "view_unapproved_partner": lambda: can_view_partner(user, world.partner),
        "edit_partner": lambda: can_edit_partner(user, world.partner),
        "manage_members": lambda: can_manage_partner_members(user, world.partner),
        "apply_for_partnership": lambda: can_apply_for_partnership(user, world.partner),
        "decide_partnership": lambda: can_decide_partnership(user, world.pending),
        "manage_hub_partners": lambda: can_manage_hub_partners(user, world.hub),
    }[action]()


def test_the_matrix_covers_every_role_and_action():
    assert all(len(row) == len(ACTIONS) for row in MATRIX.values())


@pytest.mark.parametrize(("role", "action", "allowed"), CELLS, ids=[f"{r}-{a}" for r, a, _ in CELLS])
def test_permission_matrix(world, role, action, allowed):
    assert _ask(world, world.users[role], action) is allowed


# The services refuse exactly where the predicates say no.
def _try_service(world: World, user, action: str) -> None:
    if action == "edit_partner":
        services.partner_update(actor=user, partner=world.partner, municipality="Ålesund")
    elif action == "manage_members":
        services.member_invite(actor=user, partner=world.partner, email="ny@example.org")
    elif action == "apply_for_partnership":
        services.partnership_apply(actor=user, partner=world.partner, hub=world.other_hub, accept_terms=True)
    elif action == "decide_partnership":
        services.partnership_decide(actor=user, partnership=world.pending, to_status=PartnershipStatus.APPROVED)
    else:
        # An action this test cannot try would otherwise pass as allowed.
        pytest.fail(f"the matrix test does not know how to try the action {action!r}")


SERVICE_ACTIONS = ("edit_partner", "manage_members", "apply_for_partnership", "decide_partnership")
SERVICE_CELLS = [(role, action, MATRIX[role][ACTIONS.index(action)]) for role in MATRIX for action in SERVICE_ACTIONS]


@pytest.mark.parametrize(("role", "action", "allowed"), SERVICE_CELLS, ids=[f"{r}-{a}" for r, a, _ in SERVICE_CELLS])
def test_services_enforce_the_matrix(world, role, action, allowed, django_capture_on_commit_callbacks):
    user = world.users[role]
    with django_capture_on_commit_callbacks(execute=False):
        if allowed:
            _try_service(world, user, action)
        else:
            with pytest.raises(PermissionDenied):
                _try_service(world, user, action)


def test_membership_predicates(world):
    partner, users = world.partner, world.users
    assert is_partner_member(users["member_of_partner"], partner)
    assert is_partner_member(users["administrator_of_partner"], partner)
    assert not is_partner_administrator(users["member_of_partner"], partner)
    assert is_partner_administrator(users["administrator_of_partner"], partner)
    assert not is_partner_member(None, partner)
    assert not is_partner_member(users["inactive_administrator_of_partner"], partner)


def test_a_suspended_partnership_is_hidden_like_a_pending_one(world):
    world.approved.status = PartnershipStatus.SUSPENDED
    world.approved.save()
    users = world.users
    assert not can_view_partnership(users["registered_user"], world.approved)
    assert not can_view_partnership(users["coordinator_of_another_hub"], world.approved)
    assert can_view_partnership(users["coordinator_of_hub"], world.approved)


def test_a_partner_approved_in_any_hub_is_public(world):
    partnership_create(partner=world.partner, hub=world.other_hub, status=PartnershipStatus.APPROVED)
    assert can_view_partner(AnonymousUser(), world.partner)


def test_a_rejected_partner_is_hidden_from_the_public(world):
    world.pending.status = PartnershipStatus.REJECTED
    world.pending.save()
    assert not can_view_partner(world.users["registered_user"], world.partner)
    assert can_view_partner(world.users["member_of_partner"], world.partner)
