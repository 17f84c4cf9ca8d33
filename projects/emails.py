"""E-mails to a project's proposer about its review, sent after the change that causes them has committed.

The proposer gets them in their preferred language, or else in the hub's. ``projects.receivers``
schedules them from Wagtail's workflow signals, so the same messages go out whether a
coordinator acts in the admin or code drives the workflow.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.urls_absolute import page_absolute_url
from projects.models import ProjectPage

logger = logging.getLogger(__name__)

# What happened, each with a template pair ``projects/email/<event>_{subject,body}.txt``.
SUBMITTED = "submitted"
CHANGES_REQUESTED = "changes_requested"
PUBLISHED = "published"
CANCELLED = "cancelled"
EVENTS = (SUBMITTED, CHANGES_REQUESTED, PUBLISHED, CANCELLED)


def proposal_email_send(*, page_id: int, event: str, comment: str = "", resubmitted: bool = False) -> None:
    """Tell the proposer what happened to their proposal; does nothing if the page or proposer is gone."""
    page = ProjectPage.objects.select_related("proposed_by").filter(pk=page_id).first()
    if page is None or page.proposed_by is None or not page.proposed_by.is_active:
        return
    if event == CANCELLED and (page.live or page.current_workflow_state is not None):
        # Publishing directly or restarting a review cancels the old one first; the next mail says what matters.
        return
    proposer, hub = page.proposed_by, page.get_hub()
    language = proposer.preferred_language or (hub.default_language if hub else "") or settings.LANGUAGE_CODE
    context = {
        "page": page,
        "hub": hub,
        "recipient": proposer,
        "comment": comment.strip(),
        "resubmitted": resubmitted,
        "page_url": _page_url(page),
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"projects/email/{event}_subject.txt", context).split())
        body = render_to_string(f"projects/email/{event}_body.txt", context)
    EmailMultiAlternatives(subject=subject, body=body, to=[proposer.email]).send()
    logger.info("Project %s: proposer told (%s)", page.pk, event)


def _page_url(page: ProjectPage) -> str:
    """Where the proposer sees the project: its public page once live, else the proposal's page."""
    if page.live:
        return page_absolute_url(page)
    index = page.get_parent().specific
    index_url = page_absolute_url(index)
    return index_url.rstrip("/") + "/" + index.reverse_subpage("proposal", args=[page.pk])


def proposal_email_schedule(*, page: ProjectPage, event: str, comment: str = "", resubmitted: bool = False) -> None:
    """Send after commit; a failing mail server is logged and does not undo a review decision."""
    if event not in EVENTS:
        raise ValueError(event)
    page_id = page.pk
    transaction.on_commit(
        lambda: proposal_email_send(page_id=page_id, event=event, comment=comment, resubmitted=resubmitted),
        robust=True,
    )
