"""Who may do what with ideas: the one place these rules live (views, templates and services ask).

- Anyone who may see the hub sees its ideas; a hidden idea only its author and the hub's coordinators.
- Registered people with a verified e-mail address post ideas and support others' ideas (not their
  own: the count says how many *others* back it), unless suspended from taking part in the hub.
- The author edits their idea until the coordinators have answered it.
- The hub's coordinators (and site administrators) answer, set the status and hide abusive ideas.
- A project proposal is made from an idea by someone who may propose projects in the hub (a member
  of an approved partner): a coordinator at any time, the author once the idea is taken forward.
"""

from cms.permissions import is_hub_coordinator
from discussions.permissions import AnyUser, has_verified_email, is_suspended
from ideas.models import Idea, IdeaStatus
from projects.permissions import can_propose_project


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_author(user: AnyUser, idea: Idea) -> bool:
    return _active(user) and idea.author_id is not None and idea.author_id == user.pk


def can_moderate_ideas(user: AnyUser, hub) -> bool:
    return is_hub_coordinator(user, hub)


def can_view_idea(user: AnyUser, idea: Idea) -> bool:
    """The hub's own visibility is checked by the hub route; this adds hidden ideas."""
    if not idea.is_hidden:
        return True
    return is_author(user, idea) or can_moderate_ideas(user, idea.hub)


def can_post_idea(user: AnyUser, hub) -> bool:
    return has_verified_email(user) and not is_suspended(user, hub.pk)


def can_edit_idea(user: AnyUser, idea: Idea) -> bool:
    return (
        is_author(user, idea)
        and not idea.is_hidden
        and idea.status == IdeaStatus.NEW
        and idea.answered_at is None
        and has_verified_email(user)
    )


def can_support_idea(user: AnyUser, idea: Idea) -> bool:
    """Supporting (and withdrawing one's support) of a visible idea not yet turned into a project."""
    return (
        not idea.is_hidden
        and idea.project_id is None
        and not is_author(user, idea)
        and has_verified_email(user)
        and not is_suspended(user, idea.hub_id)
    )


def can_answer_idea(user: AnyUser, idea: Idea) -> bool:
    return can_moderate_ideas(user, idea.hub)


def can_hide_idea(user: AnyUser, idea: Idea) -> bool:
    return can_moderate_ideas(user, idea.hub)


def can_turn_into_project(user: AnyUser, idea: Idea) -> bool:
    if idea.is_hidden or idea.project_id is not None or not can_propose_project(user, idea.hub):
        return False
    if can_moderate_ideas(user, idea.hub):
        return True
    return is_author(user, idea) and idea.status == IdeaStatus.TAKEN_FORWARD
