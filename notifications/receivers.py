"""Listen to what happens in the lower apps (their ``events`` modules) and enqueue the tasks that
turn it into notifications.

The events are sent after the change has committed, from the request that made it. A receiver
here does only what is cheap and must be seen at once (the automatic follows: whoever comments
sees "Following" on the page they return to), then enqueues a task with ids (``notifications.tasks``)
that finds the recipients and writes the notifications, in the worker. A failure here is logged,
never raised: the action it follows has already been saved and must not turn into an error page.
"""

import functools
import logging

from notifications import services, tasks

logger = logging.getLogger(__name__)


def _logged(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("Notifications: %s failed", receiver.__name__)

    return wrapper


@_logged
def comment_posted(sender, comment, **kwargs) -> None:
    """Commenting follows the thread (unless the person stopped following it before)."""
    services.follow_automatically(user=comment.author, target=comment.thread)
    tasks.comment_posted_fanout.enqueue(comment.pk)


@_logged
def comment_reported(sender, report, **kwargs) -> None:
    tasks.comment_reported_fanout.enqueue(report.pk)


@_logged
def progress_update_posted(sender, update, **kwargs) -> None:
    tasks.progress_update_fanout.enqueue(update.pk)


@_logged
def project_published(sender, page, first, previous_status, **kwargs) -> None:
    """On the first publication the project's partners' people follow it, and its proposer follows
    its discussion too; then the followers are told."""
    if first:
        _partners_follow(page)
        if page.proposed_by is not None:
            from discussions.models import Thread

            services.follow_automatically(user=page.proposed_by, target=page)
            thread = Thread.objects.filter(project=page).first()
            if thread is not None:
                services.follow_automatically(user=page.proposed_by, target=thread)
    if first or (previous_status and previous_status != page.status):
        tasks.project_published_fanout.enqueue(page.pk, bool(first), page.status, previous_status or "")


def _partners_follow(page) -> None:
    from django.contrib.auth import get_user_model

    from notifications import selectors

    partner_ids = selectors.project_partner_ids(page)
    if not partner_ids:
        return
    for user in get_user_model().objects.filter(pk__in=selectors.partner_member_ids(partner_ids), is_active=True):
        services.follow_automatically(user=user, target=page)


@_logged
def proposal_step(sender, page, decision, comment="", **kwargs) -> None:
    """Proposing follows the project; the coordinators, or the proposer, are told."""
    if decision == "submitted" and page.proposed_by is not None:
        services.follow_automatically(user=page.proposed_by, target=page)
    if decision in ("submitted", *tasks.DECISIONS):
        tasks.proposal_step_fanout.enqueue(page.pk, decision, comment or "")


@_logged
def partnership_applied(sender, partnership, **kwargs) -> None:
    tasks.partnership_applied_fanout.enqueue(partnership.pk)


@_logged
def partnership_decided(sender, partnership, **kwargs) -> None:
    tasks.partnership_decided_fanout.enqueue(
        partnership.pk, partnership.status, partnership.reason or "", partnership.decided_by_id
    )


@_logged
def event_published(sender, event, **kwargs) -> None:
    tasks.event_published_fanout.enqueue(event.pk)


@_logged
def event_cancelled(sender, event, **kwargs) -> None:
    tasks.event_cancelled_fanout.enqueue(event.pk)


@_logged
def registration_promoted(sender, registration, **kwargs) -> None:
    tasks.registration_promoted_fanout.enqueue(registration.pk)


@_logged
def event_reminders_due(sender, event, registration_ids, **kwargs) -> None:
    tasks.event_reminder_fanout.enqueue(event.pk, list(registration_ids))


@_logged
def consultation_opened(sender, consultation, **kwargs) -> None:
    tasks.consultation_fanout.enqueue(consultation.pk, "opened")


@_logged
def consultation_summary_published(sender, consultation, **kwargs) -> None:
    tasks.consultation_fanout.enqueue(consultation.pk, "summary")


@_logged
def idea_posted(sender, idea, **kwargs) -> None:
    """The author follows their idea's thread, so they hear of the comments on it."""
    services.follow_automatically(user=idea.author, target=idea.thread)


@_logged
def idea_answered(sender, idea, actor=None, **kwargs) -> None:
    tasks.idea_fanout.enqueue(idea.pk, "answered", getattr(actor, "pk", None))


@_logged
def idea_taken_into_project(sender, idea, project, actor=None, **kwargs) -> None:
    tasks.idea_fanout.enqueue(idea.pk, "project", getattr(actor, "pk", None))


@_logged
def challenge_phase_changed(sender, challenge, previous_phase, **kwargs) -> None:
    tasks.challenge_phase_fanout.enqueue(challenge.pk, challenge.phase)


@_logged
def challenge_question_published(sender, question, **kwargs) -> None:
    tasks.challenge_answer_fanout.enqueue(question.pk)


@_logged
def challenge_awarded(sender, challenge, **kwargs) -> None:
    tasks.challenge_award_fanout.enqueue(challenge.pk)


@_logged
def challenge_dialogue_meeting_announced(sender, meeting, **kwargs) -> None:
    tasks.challenge_meeting_fanout.enqueue(meeting.pk)


@_logged
def challenge_dialogue_summary_published(sender, series, **kwargs) -> None:
    tasks.challenge_dialogue_summary_fanout.enqueue(series.pk)


def connect() -> None:
    """Called once from ``NotificationsConfig.ready``; ``dispatch_uid`` keeps a second call harmless."""
    from challenges import events as challenge_events
    from consultations import events as consultation_events
    from discussions import events as discussion_events
    from events import events as event_events
    from ideas import events as idea_events
    from partners import events as partner_events
    from projects import events as project_events

    for signal, receiver in (
        (discussion_events.comment_posted, comment_posted),
        (discussion_events.comment_reported, comment_reported),
        (project_events.progress_update_posted, progress_update_posted),
        (project_events.project_published, project_published),
        (project_events.proposal_step, proposal_step),
        (partner_events.partnership_applied, partnership_applied),
        (partner_events.partnership_decided, partnership_decided),
        (event_events.event_published, event_published),
        (event_events.event_cancelled, event_cancelled),
        (event_events.registration_promoted, registration_promoted),
        (event_events.reminders_due, event_reminders_due),
        (consultation_events.consultation_opened, consultation_opened),
        (consultation_events.consultation_summary_published, consultation_summary_published),
        (idea_events.idea_posted, idea_posted),
        (idea_events.idea_answered, idea_answered),
        (idea_events.idea_taken_into_project, idea_taken_into_project),
        (challenge_events.challenge_phase_changed, challenge_phase_changed),
        (challenge_events.question_published, challenge_question_published),
        (challenge_events.challenge_awarded, challenge_awarded),
        (challenge_events.dialogue_meeting_announced, challenge_dialogue_meeting_announced),
        (challenge_events.dialogue_summary_published, challenge_dialogue_summary_published),
    ):
        signal.connect(receiver, dispatch_uid=f"notifications_{receiver.__name__}")
