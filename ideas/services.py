"""Writes of ideas: post, edit, support, answer, hide, turn into a project proposal.

Each service checks permission (``ideas.permissions``), validates (``full_clean``), writes inside a
transaction and announces what happened (``ideas.events``) after the commit.
"""

import logging
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.images import reencode_uploaded_image
from accounts.names import public_name
from cms import dependency
from cms.markdown import markdown_html
from discussions.services import owned_thread_create
from goals.models import Goal
from ideas import events
from ideas.models import ANSWER_MAX_LENGTH, Idea, IdeaStatus, IdeaSupport
from ideas.permissions import (
    can_answer_idea,
    can_edit_idea,
    can_hide_idea,
    can_post_idea,
    can_support_idea,
    can_turn_into_project,
)
from projects.models import ProjectIndexPage, ProjectStatus
from projects.services import ProposalFields, project_propose

logger = logging.getLogger(__name__)

PICTURE_MAX_SIDE = 1600
SUMMARY_MAX_LENGTH = 400


def _require_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to do this."))


def _picture(upload):
    try:
        return reencode_uploaded_image(upload, max_side=PICTURE_MAX_SIDE)
    except ValidationError as error:
        raise ValidationError({"picture": error.error_list}) from error


def _set_content(idea: Idea, *, title: str, text: str) -> None:
    idea.title = (title or "").strip()
    idea.text = (text or "").strip()
    idea.html = markdown_html(idea.text)
    if idea.text and not idea.html.strip():
        raise ValidationError({"text": _("Write what your idea is about.")})


def idea_create(
    *,
    actor,
    hub,
    title: str,
    text: str,
    goals: Sequence[Goal] = (),
    picture=None,
    picture_description: str = "",
) -> Idea:
    """Post an idea in ``hub``, visible at once, with its discussion thread."""
    _require_user(actor)
    if not can_post_idea(actor, hub):
        raise PermissionDenied(_("Confirm your e-mail address before you post an idea."))
    idea = Idea(hub=hub, author=actor, picture_description=(picture_description or "").strip())
    _set_content(idea, title=title, text=text)
    content = _picture(picture) if picture else None
    idea.full_clean(exclude=["picture", "thread", "project"])
    with transaction.atomic():
        if content is not None:
            idea.picture.save(content.name, content, save=False)
        idea.thread = owned_thread_create(hub=hub, title=idea.title, author=actor)
        idea.save()
        idea.goals.set(goals)
        transaction.on_commit(lambda: events.idea_posted.send(sender=Idea, idea=idea, actor=actor))
    logger.info("Idea %s posted by %s in hub %s", idea.pk, actor.pk, hub.pk)
    return idea


def idea_update(*, actor, idea: Idea, title: str, text: str, goals: Sequence[Goal] = ()) -> Idea:
    """The author's edit, until the coordinators answer."""
    _require_user(actor)
    if not can_edit_idea(actor, idea):
        raise PermissionDenied(_("You cannot change this idea."))
    _set_content(idea, title=title, text=text)
    idea.full_clean(exclude=["picture", "thread", "project"])
    with transaction.atomic():
        idea.save()
        idea.goals.set(goals)
        if idea.thread_id:
            type(idea.thread).objects.filter(pk=idea.thread_id).update(title=idea.title[:200])
            dependency.changed(*dependency.dependencies_of(idea.thread))  # an update() sends no signal
    return idea


def idea_support(*, actor, idea: Idea) -> bool:
    """Support ``idea``; False when ``actor`` already did (one support per person)."""
    _require_user(actor)
    if not can_support_idea(actor, idea):
        raise PermissionDenied(_("You cannot support this idea."))
    try:
        with transaction.atomic():
            IdeaSupport.objects.create(idea=idea, user=actor)
    except IntegrityError:
        return False
    return True


def idea_support_withdraw(*, actor, idea: Idea) -> bool:
    """Withdraw ``actor``'s support; False when there was none."""
    _require_user(actor)
    if not can_support_idea(actor, idea):
        raise PermissionDenied(_("You cannot support this idea."))
    deleted, _rows = IdeaSupport.objects.filter(idea=idea, user=actor).delete()
    return bool(deleted)


def idea_answer(*, actor, idea: Idea, status: str, answer: str) -> Idea:
    """The coordinators' public answer: a status and a text (required for "not now": say why)."""
    _require_user(actor)
    if not can_answer_idea(actor, idea):
        raise PermissionDenied(_("Only the hub's coordinators answer ideas."))
    answer = (answer or "").strip()
    errors = {}
    if status not in IdeaStatus.values:
        errors["status"] = ValidationError(_("Choose a status."), code="invalid")
    if status == IdeaStatus.NOT_NOW and not answer:
        errors["answer"] = ValidationError(_("Say why the idea is not taken forward now."), code="required")
    if len(answer) > ANSWER_MAX_LENGTH:
        errors["answer"] = ValidationError(
            _("Keep the answer under %(max)s characters.") % {"max": ANSWER_MAX_LENGTH}, code="max_length"
        )
    if errors:
        raise ValidationError(errors)
    previous = idea.status
    idea.status = status
    idea.answer = answer
    idea.answer_html = markdown_html(answer)
    idea.answered_at = timezone.now()
    idea.answered_by = actor
    idea.full_clean(exclude=["picture", "thread", "project"])
    with transaction.atomic():
        idea.save()
        transaction.on_commit(
            lambda: events.idea_answered.send(sender=Idea, idea=idea, previous_status=previous, actor=actor)
        )
    logger.info("Idea %s answered by %s: %s", idea.pk, actor.pk, status)
    return idea


def idea_hide(*, actor, idea: Idea, reason: str) -> Idea:
    _require_user(actor)
    if not can_hide_idea(actor, idea):
        raise PermissionDenied(_("Only the hub's coordinators hide ideas."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the idea is hidden."), code="required")})
    idea.hidden_at = timezone.now()
    idea.hidden_reason = reason[:1000]
    with transaction.atomic():
        idea.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    logger.info("Idea %s hidden by %s", idea.pk, actor.pk)
    return idea


def idea_unhide(*, actor, idea: Idea) -> Idea:
    _require_user(actor)
    if not can_hide_idea(actor, idea):
        raise PermissionDenied(_("Only the hub's coordinators hide ideas."))
    idea.hidden_at = None
    idea.hidden_reason = ""
    with transaction.atomic():
        idea.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    return idea


def _summary(idea: Idea) -> str:
    text = " ".join(idea.text.split())
    return text if len(text) <= SUMMARY_MAX_LENGTH else text[: SUMMARY_MAX_LENGTH - 1].rstrip() + "…"


def idea_to_project(*, actor, idea: Idea, lead_partner, primary_goal: Goal | None, idea_url: str = "") -> object:
    """Propose a project from ``idea`` (prefilled from it, crediting its author), link both ways and
    mark the idea taken forward. The proposal goes to the hub's review workflow like any other."""
    _require_user(actor)
    if not can_turn_into_project(actor, idea):
        raise PermissionDenied(_("You cannot turn this idea into a project proposal."))
    index = ProjectIndexPage.objects.child_of(idea.hub).first()
    if index is None:
        raise ValidationError(_("This hub has no project list to propose projects in."))
    goals = list(idea.goals.all())
    if primary_goal is None and goals:
        primary_goal = goals[0]
    credit = _("Based on the idea by %(name)s") % {"name": public_name(idea.author)}
    link = f"[{credit}: {idea.title}]({idea_url})" if idea_url else f"{credit}: {idea.title}"
    fields = ProposalFields(
        title=idea.title,
        summary=_summary(idea),
        primary_goal=primary_goal,
        status=ProjectStatus.IDEA,
        lead_partner=lead_partner,
        goals=goals,
        body_text=f"{link}\n\n{idea.text}",
    )
    previous = idea.status
    with transaction.atomic():
        project = project_propose(actor=actor, index=index, fields=fields)
        idea.project = project
        idea.status = IdeaStatus.TAKEN_FORWARD
        if not idea.answered_at:
            idea.answered_at = timezone.now()
            idea.answered_by = actor
        idea.save()
        transaction.on_commit(
            lambda: events.idea_taken_into_project.send(
                sender=Idea, idea=idea, project=project, previous_status=previous, actor=actor
            )
        )
    logger.info("Idea %s turned into project proposal %s by %s", idea.pk, project.pk, actor.pk)
    return project
