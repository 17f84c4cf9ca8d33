"""The permission matrix of indicators: every role against every action, one cell per test.

The same table is checked against the services, so a predicate and the service that relies on it
cannot drift apart.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied

from accounts.roles import SITE_ADMINISTRATORS
from indicators import services
from indicators.models import Indicator
from indicators.permissions import (
    can_classify_indicator,
    can_edit_perspective,
    can_import_indicators,
    can_manage_perspectives,
)
from partners.models import PartnerRole
from tests.accounts.factories import UserFactory
from tests.indicators.factories import csv_upload, indicators_hub_create
from tests.partners.factories import coordinator_create, member_add, partner_create, partnership_create

pytestmark = pytest.mark.django_db

ACTIONS = ("import", "classify", "manage_perspectives", "edit_perspective")
T, F = True, False
MATRIX = {
    "anonymous": (F, F, F, F),
    "registered_user": (F, F, F, F),
    "administrator_of_partner_in_hub": (F, F, F, F),
    "coordinator_of_hub": (T, T, T, T),
    "inactive_coordinator_of_hub": (F, F, F, F),
    "coordinator_of_another_hub": (F, F, F, F),
    "site_administrator": (T, T, T, T),
    "superuser": (T, T, T, T),
}
CELLS = [(role, action, allowed) for role, row in MATRIX.items() for action, allowed in zip(ACTIONS, row, strict=True)]


@pytest.fixture
def world():
    hub = indicators_hub_create()
    other_hub = indicators_hub_create(home=hub.get_parent().specific)
    indicator = Indicator.objects.create(hub=hub, code="A", name="A")
    perspective = services.perspectives_ensure(hub)[0]
    partner = partner_create()
    partnership_create(partner=partner, hub=hub)
    site_administrator = UserFactory(verified=True)
    site_administrator.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    inactive = coordinator_create(hub)
    inactive.is_active = False
    inactive.save()
    users = {
        "anonymous": AnonymousUser(),
        "registered_user": UserFactory(verified=True),
        "administrator_of_partner_in_hub": member_add(partner, role=PartnerRole.ADMINISTRATOR).user,
        "coordinator_of_hub": coordinator_create(hub),
        "inactive_coordinator_of_hub": inactive,
        "coordinator_of_another_hub": coordinator_create(other_hub),
        "site_administrator": site_administrator,
        "superuser": UserFactory(verified=True, superuser=True),
    }
    return {"hub": hub, "indicator": indicator, "perspective": perspective, "users": users}


def _ask(world, user, action):
    return {
        "import": lambda: can_import_indicators(user, world["hub"]),
        "classify": lambda: can_classify_indicator(user, world["indicator"]),
        "manage_perspectives": lambda: can_manage_perspectives(user, world["hub"]),
        "edit_perspective": lambda: can_edit_perspective(user, world["perspective"]),
    }[action]()


def _try_service(world, user, action):
    if action == "import":
        services.indicators_import_csv(
            hub=world["hub"], file=csv_upload(["code;name;region_code;year;value", "A;A;1508;2020;1"]), actor=user
        )
    elif action == "classify":
        services.indicator_classify(indicator=world["indicator"], actor=user, dimension="social")
    elif action == "manage_perspectives":
        services.perspective_create(hub=world["hub"], actor=user, name="Nytt perspektiv")
    elif action == "edit_perspective":
        services.perspective_update(perspective=world["perspective"], actor=user, name="Nytt navn", sort_order=1)
    else:
        pytest.fail(f"the matrix test does not know how to try the action {action!r}")


def test_the_matrix_covers_every_role_and_action():
    assert all(len(row) == len(ACTIONS) for row in MATRIX.values())


@pytest.mark.parametrize(("role", "action", "allowed"), CELLS, ids=[f"{r}-{a}" for r, a, _ in CELLS])
def test_permission_matrix(world, role, action, allowed):
    assert _ask(world, world["users"][role], action) is allowed


@pytest.mark.parametrize(("role", "action", "allowed"), CELLS, ids=[f"{r}-{a}" for r, a, _ in CELLS])
def test_services_enforce_the_matrix(world, role, action, allowed, django_capture_on_commit_callbacks):
    user = world["users"][role]
    with django_capture_on_commit_callbacks(execute=False):
        if allowed:
            _try_service(world, user, action)
        else:
            with pytest.raises(PermissionDenied):
                _try_service(world, user, action)
