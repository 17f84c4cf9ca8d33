"""Wagtail's own workflow e-mails, told apart from Dugnad's: one e-mail per event and person.

Wagtail e-mails the reviewers when something is submitted for moderation and the submitter when
it is approved or rejected, in the language of the recipient's admin preference, else in the
language active when the signal fired (the proposer's, for a proposal). Dugnad replaces those
notifiers (same signals, same ``dispatch_uid``) so that:

- a proposal (a ``ProjectPage`` with ``proposed_by``) gets no Wagtail e-mail at all: its proposer
  hears from ``projects.emails`` in their language, with links they can open, and the hub's
  coordinators from the notifications' "waiting for you" (immediately or in their digest, as
  they chose, in their language);
- everything else reviewed in the admin (hub pages, news) keeps Wagtail's e-mails, once per
  person (not twice to superusers), in each recipient's own language: Wagtail's admin preference
  if they set one, else ``User.preferred_language``, else the site's (never the language of
  whoever happened to act).
"""

from django.conf import settings
from django.utils import translation
from wagtail.admin import mail
from wagtail.models import AbstractGroupApprovalTask, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from projects.models import ProjectPage


def _is_proposal(obj) -> bool:
    specific = getattr(obj, "specific", obj)
    return isinstance(specific, ProjectPage) and specific.proposed_by_id is not None


class _DugnadNotifier:
    """Nothing for proposals; otherwise Wagtail's e-mail, rendered in each recipient's language."""

    def _content_object(self, instance):
        raise NotImplementedError

    def get_valid_recipients(self, instance, **kwargs):
        if _is_proposal(self._content_object(instance)):
            return set()
        return super().get_valid_recipients(instance, **kwargs)

    def send_emails(self, template_set, context, recipients, **kwargs):
        sent = True
        for recipient in recipients:
            # Wagtail renders in the admin preference if set, else in the active language: this one.
            with translation.override(getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE):
                sent = super().send_emails(template_set, dict(context), [recipient], **kwargs) and sent
        return sent


class TaskSubmittedNotifier(_DugnadNotifier, mail.GroupApprovalTaskStateSubmissionEmailNotifier):
    def _content_object(self, task_state):
        return task_state.workflow_state.content_object


class WorkflowSubmittedNotifier(_DugnadNotifier, mail.WorkflowStateSubmissionEmailNotifier):
    """Wagtail tells superusers of a submission twice: as the workflow's start and as its first
    group-approval task's start. The task's notice (which includes them unless
    ``WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS`` is off) is the one kept."""

    def _content_object(self, workflow_state):
        return workflow_state.content_object

    def get_valid_recipients(self, workflow_state, **kwargs):
        task_state = workflow_state.current_task_state
        task = task_state.task.specific if task_state is not None else None
        if isinstance(task, AbstractGroupApprovalTask) and getattr(
            settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True
        ):
            return set()
        return super().get_valid_recipients(workflow_state, **kwargs)


class WorkflowApprovedNotifier(_DugnadNotifier, mail.WorkflowStateApprovalEmailNotifier):
    def _content_object(self, workflow_state):
        return workflow_state.content_object


class WorkflowRejectedNotifier(_DugnadNotifier, mail.WorkflowStateRejectionEmailNotifier):
    def _content_object(self, workflow_state):
        return workflow_state.content_object


# (signal, sender, Wagtail's dispatch_uid in wagtail.admin.signal_handlers, Dugnad's notifier)
NOTIFIERS = (
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification", TaskSubmittedNotifier()),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification", WorkflowSubmittedNotifier()),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification", WorkflowApprovedNotifier()),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification", WorkflowRejectedNotifier()),
)


def connect() -> None:
    """Put Dugnad's notifiers in the place of Wagtail's, whichever app became ready first: with the
    same ``dispatch_uid``, a later ``connect`` by Wagtail adds nothing."""
    for signal, sender, dispatch_uid, notifier in NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid, weak=False)
