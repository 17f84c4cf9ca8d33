"""The permission matrix: who may see, edit, report on and manage a project."""

import pytest
from django.contrib.auth.models import AnonymousUser

from projects.permissions import (
    can_edit_proposal,
    can_manage_project,
    can_post_progress_update,
    can_propose_project,
    can_view_project,
)
from tests.accounts.factories import UserFactory
from tests.projects.factories import project_create, scene_create, user_create

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "registered",
    "proposer",
    "lead_member",
    "unrelated_member",
    "coordinator",
    "other_coordinator",
    "superuser",
)
# role: (view draft, view live, edit proposal, edit live as proposal, post update, manage, propose in hub)
MATRIX = {
    "anonymous": (False, True, False, False, False, False, False),
    "registered": (False, True, False, False, False, False, False),
    "proposer": (True, True, True, False, True, False, True),
    "lead_member": (True, True, False, False, True, False, True),
    "unrelated_member": (False, True, False, False, False, False, True),
    "coordinator": (True, True, True, True, False, True, False),
    "other_coordinator": (False, True, False, False, False, False, False),
    "superuser": (True, True, True, True, False, True, False),
}


@pytest.fixture
def world():
    scene = scene_create()
    draft = project_create(
        scene.index,
        live=False,
        proposed_by=scene.proposer,
        lead_partner=scene.lead,
        partners=[scene.participant],
    )
    live = project_create(
        scene.index, proposed_by=scene.proposer, lead_partner=scene.lead, partners=[scene.participant]
    )
    users = {
        "anonymous": AnonymousUser(),
        "registered": user_create(),
        "proposer": scene.proposer,
        "lead_member": scene.lead_member,
        "unrelated_member": scene.unrelated_member,
        "coordinator": scene.coordinator,
        "other_coordinator": scene.other_coordinator,
        "superuser": UserFactory(superuser=True),
    }
    return scene, draft, live, users


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    scene, draft, live, users = world
    user = users[role]
    actual = (
        can_view_project(user, draft),
        can_view_project(user, live),
        can_edit_proposal(user, draft),
        can_edit_proposal(user, live),
        can_post_progress_update(user, live),
        can_manage_project(user, draft) and can_manage_project(user, live),
        can_propose_project(user, scene.hub),
    )
    assert actual == MATRIX[role]


def test_participating_partner_sees_the_draft_and_reports_on_the_live_project(world):
    scene, draft, live, _users = world
    assert can_view_project(scene.participant_member, draft)
    assert can_post_progress_update(scene.participant_member, live)
    assert not can_post_progress_update(scene.participant_member, draft)


def test_inactive_people_lose_everything(world):
    scene, draft, live, _users = world
    scene.coordinator.is_active = False
    scene.proposer.is_active = False
    for user in (scene.coordinator, scene.proposer):
        assert not can_view_project(user, draft)
        assert not can_edit_proposal(user, draft)
        assert not can_post_progress_update(user, live)


def test_a_proposer_cannot_propose_in_a_hub_where_their_partner_is_not_approved(world):
    scene, *_rest = world
    assert can_propose_project(scene.proposer, scene.hub)
    assert not can_propose_project(scene.proposer, scene.other_hub)


def test_a_view_restricted_live_project_is_not_public(world):
    from wagtail.models import PageViewRestriction

    scene, _draft, live, users = world
    PageViewRestriction.objects.create(page=live, restriction_type=PageViewRestriction.LOGIN)
    assert not can_view_project(users["anonymous"], live)
    assert can_view_project(scene.lead_member, live)
