"""Tell a project's proposer what happens to their proposal, at every step of the review.

Coordinators review in the Wagtail admin, which reports each step through Wagtail's signals;
listening here means the proposer hears about it however the step was taken. The receivers only
*schedule* e-mails (``transaction.on_commit`` in ``projects.emails``), so a step that is rolled
back never reaches anyone's inbox. Connected in ``ProjectsConfig.ready``.
"""

from django.db import transaction
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.signals import page_published, task_submitted, workflow_cancelled, workflow_rejected

from projects import emails, events
from projects.models import ProjectPage


def _proposed_project(obj) -> ProjectPage | None:
    """The ProjectPage behind a workflow's object, if it came from a proposal; None for anything else."""
    if obj is None:
        return None
    specific = getattr(obj, "specific", obj)
    if isinstance(specific, ProjectPage) and specific.proposed_by_id is not None:
        return specific
    return None


def proposal_submitted(sender, instance: TaskState, user=None, **kwargs) -> None:
    """A review step started: on the first submission and when an edited proposal goes back for review."""
    page = _proposed_project(instance.workflow_state.content_object)
    if page is None:
        return
    resubmitted = instance.workflow_state.task_states.filter(status=TaskState.STATUS_REJECTED).exists()
    emails.proposal_email_schedule(page=page, event=emails.SUBMITTED, resubmitted=resubmitted)
    _announce(page, "submitted")


def proposal_changes_requested(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    """A coordinator asked for changes; their comment is on the rejected task state."""
    page = _proposed_project(instance.content_object)
    if page is None:
        return
    task_state = instance.current_task_state
    comment = task_state.specific.get_comment() if task_state else ""
    emails.proposal_email_schedule(page=page, event=emails.CHANGES_REQUESTED, comment=comment or "")
    _announce(page, "changes_requested", comment or "")


def proposal_cancelled(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    page = _proposed_project(instance.content_object)
    if page is not None:
        emails.proposal_email_schedule(page=page, event=emails.CANCELLED)
        _announce(page, "cancelled")


def project_first_published(sender, instance, revision=None, **kwargs) -> None:
    """The first publication, whether through the review or by a coordinator directly, with any approval comment."""
    page = _proposed_project(instance)
    if page is None or page.first_published_at is None or page.first_published_at != page.last_published_at:
        return
    comment = _approval_comment(page)
    emails.proposal_email_schedule(page=page, event=emails.PUBLISHED, comment=comment)
    _announce(page, "approved", comment)


def _announce(page: ProjectPage, decision: str, comment: str = "") -> None:
    """Tell other apps (notifications) about a step of a proposal's review, once it has committed."""
    transaction.on_commit(
        lambda: events.proposal_step.send(sender=ProjectPage, page=page, decision=decision, comment=comment)
    )


# Wagtail's log actions of an actual publication (a scheduled one included, not its scheduling).
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def project_published(sender, instance, revision=None, **kwargs) -> None:
    """Every publication of a project, for other apps (notifications): whether it was the first, and
    the status of the version published before (Wagtail logs this publication only after the signal,
    so the latest logged publication is the previous one)."""
    page = instance
    first = page.first_published_at is not None and page.first_published_at == page.last_published_at
    previous_status = "" if first else _previously_published_status(page)
    transaction.on_commit(
        lambda: events.project_published.send(
            sender=ProjectPage, page=page, first=first, previous_status=previous_status
        )
    )


def _previously_published_status(page: ProjectPage) -> str:
    """The status in the previously published revision; the current one if that is unknown (a
    publication that was not logged), so that nobody is told of a change that may not be one."""
    entry = (
        PageLogEntry.objects.filter(page_id=page.pk, action__in=PUBLISH_ACTIONS, revision__isnull=False)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None:
        return page.status
    return entry.revision.content.get("status") or page.status


def _approval_comment(page: ProjectPage) -> str:
    state = WorkflowState.objects.for_instance(page).select_related("current_task_state").order_by("-pk").first()
    if state is None or state.status != WorkflowState.STATUS_APPROVED or state.current_task_state is None:
        return ""
    return state.current_task_state.comment or ""


def connect() -> None:
    """Called once from ``ProjectsConfig.ready``; ``dispatch_uid`` keeps a second call harmless."""
    task_submitted.connect(proposal_submitted, dispatch_uid="projects_proposal_submitted")
    workflow_rejected.connect(proposal_changes_requested, dispatch_uid="projects_proposal_changes_requested")
    workflow_cancelled.connect(proposal_cancelled, dispatch_uid="projects_proposal_cancelled")
    page_published.connect(project_first_published, dispatch_uid="projects_first_published")
    page_published.connect(project_published, sender=ProjectPage, dispatch_uid="projects_published_event")
