"""The permission matrix of events: every role against every action, checked against the predicates,
the services and (for the registration list and its CSV) the admin views."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.roles import SITE_ADMINISTRATORS
from events import services
from events.models import Event, EventStatus, RegistrationStatus
from events.permissions import (
    can_cancel_registration,
    can_edit_event,
    can_manage_events,
    can_register,
    can_see_registrations,
    can_view_event,
)
from partners.models import PartnerRole
from tests.accounts.factories import UserFactory
from tests.events.factories import event_create, registration_create
from tests.partners.factories import coordinator_create, hub_create, member_add, partner_create, partnership_create

pytestmark = pytest.mark.django_db

ACTIONS = ("view_draft", "create", "edit", "cancel_event", "register", "cancel_own_registration", "see_registrations")
T, F = True, False
MATRIX = {
    "anonymous": (F, F, F, F, F, F, F),
    "citizen": (F, F, F, F, T, T, F),
    "administrator_of_partner_in_hub": (F, F, F, F, T, T, F),
    "coordinator_of_hub": (T, T, T, T, T, T, T),
    "inactive_coordinator_of_hub": (F, F, F, F, F, F, F),
    "coordinator_of_another_hub": (F, F, F, F, T, T, F),
    "site_administrator": (T, T, T, T, T, T, T),
    "superuser": (T, T, T, T, T, T, T),
}
CELLS = [(role, action, allowed) for role, row in MATRIX.items() for action, allowed in zip(ACTIONS, row, strict=True)]


@pytest.fixture
def world():
    hub = hub_create()
    other_hub = hub_create(home=hub.get_parent().specific)
    partner = partner_create()
    partnership_create(partner=partner, hub=hub)
    site_administrator = UserFactory(verified=True)
    site_administrator.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    inactive = coordinator_create(hub)
    inactive.is_active = False
    inactive.save()
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(verified=True),
        "administrator_of_partner_in_hub": member_add(partner, role=PartnerRole.ADMINISTRATOR).user,
        "coordinator_of_hub": coordinator_create(hub),
        "inactive_coordinator_of_hub": inactive,
        "coordinator_of_another_hub": coordinator_create(other_hub),
        "site_administrator": site_administrator,
        "superuser": UserFactory(verified=True, superuser=True),
    }
    draft = event_create(hub, status=EventStatus.DRAFT)
    event = event_create(hub, capacity=10)
    own = {
        role: registration_create(event, user) for role, user in users.items() if user.is_authenticated
    }  # each person's own registration, for "cancel own registration"
    return {"hub": hub, "draft": draft, "event": event, "users": users, "own": own}


def _ask(world, role, action):
    user = world["users"][role]
    own = world["own"].get(role)
    return {
        "view_draft": lambda: can_view_event(user, world["draft"]),
        "create": lambda: can_manage_events(user, world["hub"]),
        "edit": lambda: can_edit_event(user, world["event"]),
        "cancel_event": lambda: can_edit_event(user, world["event"]),
        "register": lambda: can_register(user, world["event"]),
        "cancel_own_registration": lambda: own is not None and can_cancel_registration(user, own),
        "see_registrations": lambda: can_see_registrations(user, world["event"]),
    }[action]()


def _try_service(world, role, action):
    user = world["users"][role]
    now = timezone.now()
    if action == "create":
        event = Event(
            hub=world["hub"], title="Nytt", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2)
        )
        services.event_save(actor=user, event=event)
    elif action == "edit":
        event = world["event"]
        event.title = "Endret"
        services.event_save(actor=user, event=event)
    elif action == "cancel_event":
        services.event_cancel(actor=user, event=world["event"])
    elif action == "register":
        world["own"].get(role) and world["own"][role].delete()
        services.registration_create(user=user, event=world["event"])
    elif action == "cancel_own_registration":
        own = world["own"].get(role)
        if own is None:
            raise PermissionDenied
        services.registration_cancel(user=user, registration=own)
    else:
        raise ValueError(f"{action} is a read: it has no service to try")


def test_the_matrix_covers_every_role_and_action():
    assert all(len(row) == len(ACTIONS) for row in MATRIX.values())


@pytest.mark.parametrize(("role", "action", "allowed"), CELLS, ids=[f"{r}-{a}" for r, a, _ in CELLS])
def test_permission_matrix(world, role, action, allowed):
    assert _ask(world, role, action) is allowed


WRITES = [cell for cell in CELLS if cell[1] not in ("view_draft", "see_registrations")]


@pytest.mark.parametrize(("role", "action", "allowed"), WRITES, ids=[f"{r}-{a}" for r, a, _ in WRITES])
def test_services_enforce_the_matrix(world, role, action, allowed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        if allowed:
            _try_service(world, role, action)
        else:
            with pytest.raises(PermissionDenied):
                _try_service(world, role, action)


def _client_for(client, world, role):
    user = world["users"][role]
    if user.is_authenticated:
        client.force_login(user)
    return client


VIEWS = [
    (role, row[ACTIONS.index("see_registrations")])
    for role, row in MATRIX.items()
    if role != "inactive_coordinator_of_hub"
]


@pytest.mark.parametrize(("role", "allowed"), VIEWS)
@pytest.mark.parametrize("name", ["events_admin_registrations", "events_admin_registrations_csv", "events_admin_edit"])
def test_registration_list_csv_and_edit_views_follow_the_matrix(client, world, role, allowed, name):
    response = _client_for(client, world, role).get(reverse(name, args=[world["event"].pk]))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)  # the admin's login page, or a refusal


@pytest.mark.parametrize(
    ("role", "allowed"), [(role, row[0]) for role, row in MATRIX.items() if role != "inactive_coordinator_of_hub"]
)
def test_draft_event_page_follows_the_matrix(client, world, role, allowed):
    response = _client_for(client, world, role).get(f"{world['hub'].url}events/{world['draft'].pk}/")
    assert response.status_code == (200 if allowed else 404)


def test_registrations_are_listed_for_the_coordinator(client, world):
    client.force_login(world["users"]["coordinator_of_hub"])
    response = client.get(reverse("events_admin_registrations_csv", args=[world["event"].pk]))
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "name,email,status,dietary_needs,accessibility_needs,registered_at"
    assert world["users"]["citizen"].email in body
    assert RegistrationStatus.REGISTERED in body
