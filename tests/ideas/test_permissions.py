"""The permission matrix of ideas: every role against every action, each checked against the
predicate and against the service that relies on it, so the two cannot drift apart."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ideas import permissions, services
from ideas.models import IdeaStatus
from tests.ideas.factories import goal

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "view_hidden", "post", "edit_own", "support", "withdraw", "answer", "hide", "to_project")
T, F = True, False
MATRIX = {
    "anonymous": (T, F, F, F, F, F, F, F, F),
    "unverified_user": (T, F, F, F, F, F, F, F, F),
    "citizen": (T, F, T, F, T, T, F, F, F),
    "author": (T, T, T, T, F, F, F, F, F),
    "partner_member": (T, F, T, F, T, T, F, F, F),
    "coordinator_of_hub": (T, T, T, F, T, T, T, T, F),
    "coordinator_acting_for_partner": (T, T, T, F, T, T, T, T, T),
    "coordinator_of_another_hub": (T, F, T, F, T, T, F, F, F),
    "staff": (T, T, T, F, T, T, T, T, F),
}
CELLS = [(role, action, allowed) for role, row in MATRIX.items() for action, allowed in zip(ACTIONS, row, strict=True)]


def _user(scene, role):
    return {
        "anonymous": AnonymousUser(),
        "unverified_user": scene.unverified,
        "citizen": scene.citizen,
        "author": scene.author,
        "partner_member": scene.partner_member,
        "coordinator_of_hub": scene.coordinator,
        "coordinator_acting_for_partner": scene.coordinating_member,
        "coordinator_of_another_hub": scene.other_coordinator,
        "staff": scene.staff,
    }[role]


def _predicate(scene, user, action) -> bool:
    idea = scene.idea
    if action == "view_hidden":
        idea.hidden_at = timezone.now()
        return permissions.can_view_idea(user, idea)
    return {
        "view": lambda: permissions.can_view_idea(user, idea),
        "post": lambda: permissions.can_post_idea(user, scene.hub),
        "edit_own": lambda: permissions.can_edit_idea(user, idea),
        "support": lambda: permissions.can_support_idea(user, idea),
        "withdraw": lambda: permissions.can_support_idea(user, idea),
        "answer": lambda: permissions.can_answer_idea(user, idea),
        "hide": lambda: permissions.can_hide_idea(user, idea),
        "to_project": lambda: permissions.can_turn_into_project(user, idea),
    }[action]()


def _service(scene, user, action):
    idea = scene.idea
    calls = {
        "post": lambda: services.idea_create(actor=user, hub=scene.hub, title="Ny idé", text="Tekst"),
        "edit_own": lambda: services.idea_update(actor=user, idea=idea, title="Endret", text="Ny tekst"),
        "support": lambda: services.idea_support(actor=user, idea=idea),
        "withdraw": lambda: services.idea_support_withdraw(actor=user, idea=idea),
        "answer": lambda: services.idea_answer(actor=user, idea=idea, status=IdeaStatus.UNDER_REVIEW, answer="Ja"),
        "hide": lambda: services.idea_hide(actor=user, idea=idea, reason="Spam"),
        "to_project": lambda: services.idea_to_project(
            actor=user, idea=idea, lead_partner=scene.partner, primary_goal=goal(11)
        ),
    }
    return calls.get(action)


@pytest.mark.parametrize(("role", "action", "allowed"), CELLS)
def test_predicate(scene, role, action, allowed):
    assert _predicate(scene, _user(scene, role), action) is allowed


@pytest.mark.parametrize(("role", "action", "allowed"), [cell for cell in CELLS if not cell[1].startswith("view")])
def test_service(scene, role, action, allowed):
    call = _service(scene, _user(scene, role), action)
    if allowed:
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_the_author_turns_their_idea_into_a_project_once_it_is_taken_forward_and_they_act_for_a_partner(scene):
    from tests.partners.factories import member_add

    member_add(scene.partner, user=scene.author)
    assert not permissions.can_turn_into_project(scene.author, scene.idea)
    services.idea_answer(actor=scene.coordinator, idea=scene.idea, status=IdeaStatus.TAKEN_FORWARD, answer="")
    assert permissions.can_turn_into_project(scene.author, scene.idea)


def test_nobody_supports_or_edits_a_hidden_idea_and_the_author_cannot_edit_after_an_answer(scene):
    services.idea_answer(actor=scene.coordinator, idea=scene.idea, status=IdeaStatus.UNDER_REVIEW, answer="")
    assert not permissions.can_edit_idea(scene.author, scene.idea)
    services.idea_hide(actor=scene.coordinator, idea=scene.idea, reason="Personangrep")
    assert not permissions.can_support_idea(scene.citizen, scene.idea)
    assert not permissions.can_turn_into_project(scene.coordinating_member, scene.idea)
