"""The permission matrix of consultations: every role against every action, one cell per test.

Write actions are checked against the services too, so a predicate and the service that relies on it
cannot drift apart. A "code holder" is an anonymous visitor who entered a valid access code.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import SITE_ADMINISTRATORS
from consultations import permissions, services
from consultations.models import ResultsPolicy
from consultations.services import Respondent
from partners.models import PartnerRole
from tests.accounts.factories import UserFactory
from tests.consultations.factories import code_create, consultation_create
from tests.partners.factories import coordinator_create, hub_create, member_add, partner_create, partnership_create

pytestmark = pytest.mark.django_db

ACTIONS = (
    "see_open",
    "see_unopened",
    "answer",
    "edit_own_answer",
    "results_before_close_public_policy",
    "results_after_close_public_policy",
    "results_after_close_coordinators_policy",
    "moderate",
    "export_responses",
    "manage_codes",
    "write_summary",
)
T, F = True, False
MATRIX = {
    "anonymous": (T, F, F, F, F, T, F, F, F, F, F),
    "code_holder": (T, F, T, T, F, T, F, F, F, F, F),
    "citizen": (T, F, T, T, F, T, F, F, F, F, F),
    "partner_member": (T, F, T, T, F, T, F, F, F, F, F),
    "coordinator_of_hub": (T, T, T, T, T, T, T, T, T, T, T),
    "coordinator_of_another_hub": (T, F, T, T, F, T, F, F, F, F, F),
    "site_administrator": (T, T, T, T, T, T, T, T, T, T, T),
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
    users = {
        "anonymous": AnonymousUser(),
        "code_holder": AnonymousUser(),
        "citizen": UserFactory(verified=True),
        "partner_member": member_add(partner, role=PartnerRole.MEMBER).user,
        "coordinator_of_hub": coordinator_create(hub),
        "coordinator_of_another_hub": coordinator_create(other_hub),
        "site_administrator": site_administrator,
    }
    now = timezone.now()
    return {
        "hub": hub,
        "users": users,
        "open": consultation_create(hub),
        "unopened": consultation_create(hub, open_now=False),
        "closed_public": consultation_create(hub, closed=True),
        "closed_private": consultation_create(hub, closed=True, results_policy=ResultsPolicy.COORDINATORS),
        "now": now,
    }


def _check(world, role: str, action: str) -> bool:
    user = world["users"][role]
    has_code = role == "code_holder"
    open_one = world["open"]
    if action == "see_open":
        return permissions.can_see_consultation(user, open_one)
    if action == "see_unopened":
        return permissions.can_see_consultation(user, world["unopened"])
    if action in ("answer", "edit_own_answer"):
        return permissions.can_answer(user, open_one, has_code=has_code)
    if action == "results_before_close_public_policy":
        return permissions.can_see_results(user, open_one)
    if action == "results_after_close_public_policy":
        return permissions.can_see_results(user, world["closed_public"])
    if action == "results_after_close_coordinators_policy":
        return permissions.can_see_results(user, world["closed_private"])
    if action == "moderate":
        return permissions.can_moderate(user, open_one)
    if action == "export_responses":
        return permissions.can_export_responses(user, open_one)
    if action == "manage_codes":
        return permissions.can_manage_codes(user, open_one)
    return permissions.can_write_summary(user, open_one)


@pytest.mark.parametrize(("role", "action", "allowed"), CELLS)
def test_matrix(world, role, action, allowed):
    assert _check(world, role, action) is allowed


def _service(world, role: str, action: str):
    """Run the service behind a write action as ``role``."""
    user = world["users"][role]
    consultation = world["open"]
    if action == "answer":
        code = code_create(consultation) if role == "code_holder" else None
        return services.response_submit(
            consultation=consultation,
            respondent=Respondent(user=None if code else user, code=code, session_key="device" if code else ""),
            answers={},
        )
    if action == "manage_codes":
        return services.code_create(
            actor=user,
            consultation=consultation,
            label="7B",
            expires_at=timezone.now() + timedelta(days=1),
            max_answers=5,
        )
    if action == "write_summary":
        return services.summary_publish(actor=user, consultation=consultation, summary="Vi hørte deg.")
    raise AssertionError(action)


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [cell for cell in CELLS if cell[1] in ("answer", "manage_codes", "write_summary")],
)
def test_services_follow_the_matrix(world, role, action, allowed):
    if allowed:
        _service(world, role, action)
    else:
        with pytest.raises((PermissionDenied, ValidationError)) as caught:
            _service(world, role, action)
        assert caught.type is PermissionDenied
