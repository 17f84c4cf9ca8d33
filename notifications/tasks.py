"""Fan-out: background tasks that turn one event into the notifications of everyone concerned.

``notifications.receivers`` enqueues these after the change that caused them has committed, with
ids only (task arguments are stored as JSON by the database backend). Each task loads the current
state, so something hidden, deleted, unpublished or decided in the meantime is not announced, and
writes all of the event's notifications in one transaction (``services.notify``: a bulk write whose
query count does not grow with the number of recipients).

One person gets at most one notification per event, of the most specific kind: someone mentioned
in a reply to their own comment gets the mention, not also the reply and the comment.

What the ``data`` of each kind holds (the texts are written from it in the reader's language):

- comment, reply, mention: ``{}`` (``thread``, ``comment`` and, in a project's thread, ``project`` are set)
- project_update: ``{"update_id": id}``
- project_status: ``{"status": new, "previous_status": old}``
- new_project: ``{}``
- consultation: ``{"consultation_id": id, "title": text, "event": "opened" | "summary"}`` (``project``
  set when the consultation is about one)
- decision: ``{"subject": "proposal", "decision": "approved" | "changes_requested", "comment": text}``
  or ``{"subject": "partnership", "status": PartnershipStatus, "reason": text}`` (``partner`` set)
- challenge: ``{"subject": "phase", "title": t, "phase": p}``, ``{"subject": "answer", "title": t}``,
  ``{"subject": "won", "title": t}`` or ``{"subject": "result", "title": t, "total": "7.20" | None,
  "criteria": [[name, "7.00"], ...], "reasons": text}`` (a submitter's own scores, to them alone),
  ``{"subject": "meeting", "title": t, "meeting": event title, "starts_at": ISO 8601}`` (a dialogue
  meeting announced) or ``{"subject": "summary", "title": t, "series": series title}`` (the summary
  of one-to-one meetings published)
- new_event, event_reminder: ``{"event_id": id, "title": text, "starts_at": ISO 8601}`` (``hub`` and,
  for a project's event, ``project`` set)
- event_registration: the same and ``"subject": "promoted" | "cancelled"`` (a seat from the waiting
  list; the event was cancelled)
- waiting: ``{"subject": "proposal"}`` (``project`` set), ``{"subject": "partnership",
  "partnership_id": id}`` (``partner`` set) or ``{"subject": "report", "report_id": id, "reason":
  ReportReason}`` (``thread`` and ``comment`` set)
- idea: ``{"idea_id": id, "title": the idea's title, "event": "answered" | "project", "status": IdeaStatus}``
  (``project`` set for "project")
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from notifications import selectors, services
from notifications.models import EventKind, Notification

logger = logging.getLogger(__name__)

COMMENT_KINDS = (EventKind.MENTION, EventKind.REPLY, EventKind.COMMENT)
DECISIONS = ("changes_requested", "approved")


def _admin_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@task()
def comment_posted_fanout(comment_id: int) -> int:
    """A new comment: mentioned people (mention), the author of the comment answered (reply), the
    thread's followers (comment), among those who can see the thread. Nothing for a comment that
    has been hidden or deleted since it was posted."""
    from discussions.models import Comment

    comment = Comment.objects.select_related("thread__project", "thread__hub", "reply_to").filter(pk=comment_id).first()
    if comment is None or not comment.is_visible:
        return 0
    if Notification.objects.filter(comment_id=comment_id, kind__in=COMMENT_KINDS).exists():
        return 0  # already fanned out (a task run twice)
    thread = comment.thread
    viewers = selectors.thread_viewers_q(thread)
    mentioned = set(comment.mentions.values_list("pk", flat=True))
    answered = {comment.reply_to.author_id} if comment.reply_to_id and comment.reply_to.author_id else set()
    named = set(selectors.visible_user_ids(mentioned | answered, viewers)) if mentioned | answered else set()
    followers = set(selectors.visible_user_ids(selectors.thread_follower_ids(thread), viewers))
    mention_ids = mentioned & named
    reply_ids = (answered & named) - mention_ids
    comment_ids = followers - mention_ids - reply_ids
    about = {
        "actor_id": comment.author_id,
        "hub_id": thread.hub_id,
        "url": selectors.comment_url(comment),
        "thread_id": thread.pk,
        "comment_id": comment.pk,
        "project_id": thread.project_id,
    }
    with transaction.atomic():
        written = [
            *services.notify(kind=EventKind.MENTION, recipient_ids=mention_ids, **about),
            *services.notify(kind=EventKind.REPLY, recipient_ids=reply_ids, **about),
            *services.notify(kind=EventKind.COMMENT, recipient_ids=comment_ids, **about),
        ]
        return len(written)


@task()
def comment_reported_fanout(report_id: int) -> int:
    """A report waits for the hub's coordinators (hidden comments too: that is when it matters)."""
    from discussions.models import CommentReport

    report = (
        CommentReport.objects.select_related("comment__thread__project", "comment__thread__hub")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.resolved_at is not None or report.comment.is_deleted:
        return 0
    comment = report.comment
    thread = comment.thread
    coordinators = selectors.visible_user_ids(
        selectors.hub_coordinator_ids(thread.hub), selectors.thread_viewers_q(thread)
    )
    return len(
        services.notify(
            kind=EventKind.WAITING,
            recipient_ids=coordinators,
            actor_id=report.reporter_id,
            hub_id=thread.hub_id,
            url=selectors.comment_url(comment),
            data={"subject": "report", "report_id": report.pk, "reason": report.reason},
            thread_id=thread.pk,
            comment_id=comment.pk,
            project_id=thread.project_id,
        )
    )


@task()
def progress_update_fanout(update_id: int) -> int:
    """A progress update, for the project's followers who can see the project."""
    from projects.models import ProgressUpdate

    update = ProgressUpdate.objects.select_related("project").filter(pk=update_id).first()
    if update is None:
        return 0
    page = update.project
    hub = page.get_hub()
    followers = selectors.visible_user_ids(selectors.project_follower_ids(page.pk), selectors.project_viewers_q(page))
    return len(
        services.notify(
            kind=EventKind.PROJECT_UPDATE,
            recipient_ids=followers,
            actor_id=update.author_id,
            hub_id=hub.pk if hub else None,
            url=selectors.project_url(page),
            data={"update_id": update.pk},
            project_id=page.pk,
        )
    )


@task()
def project_published_fanout(page_id: int, first: bool, status: str, previous_status: str) -> int:
    """The first publication: a new project for the followers of its goals, hub and partners (its
    proposer hears of it as a decision instead). A later one with another status: the project's
    followers."""
    from projects.models import ProjectPage

    page = ProjectPage.objects.filter(pk=page_id).first()
    if page is None or not page.live:
        return 0
    if first:
        kind, audience, data = EventKind.NEW_PROJECT, selectors.new_project_audience_ids(page), {}
    elif previous_status and previous_status != status:
        kind, audience = EventKind.PROJECT_STATUS, selectors.project_follower_ids(page.pk)
        data = {"status": status, "previous_status": previous_status}
    else:
        return 0
    recipients = set(selectors.visible_user_ids(audience, selectors.project_viewers_q(page)))
    if first:
        recipients.discard(page.proposed_by_id)
    hub = page.get_hub()
    return len(
        services.notify(
            kind=kind,
            recipient_ids=recipients,
            actor_id=selectors.last_logged_user_id(page.pk, selectors.PUBLISH_ACTIONS),
            hub_id=hub.pk if hub else None,
            url=selectors.project_url(page),
            data=data,
            project_id=page.pk,
        )
    )


@task()
def proposal_step_fanout(page_id: int, decision: str, comment: str = "") -> int:
    """A proposal submitted waits for the hub's coordinators; a decision on it goes to its proposer."""
    from projects.models import ProjectPage

    page = ProjectPage.objects.filter(pk=page_id).first()
    if page is None or page.proposed_by_id is None:
        return 0
    hub = page.get_hub()
    common = {"hub_id": hub.pk if hub else None, "project_id": page.pk}
    if decision == "submitted":
        coordinators = selectors.visible_user_ids(selectors.hub_coordinator_ids(hub), selectors.project_viewers_q(page))
        return len(
            services.notify(
                kind=EventKind.WAITING,
                recipient_ids=coordinators,
                actor_id=page.proposed_by_id,
                url=_admin_url("wagtailadmin_pages:edit", page.pk),
                data={"subject": "proposal"},
                **common,
            )
        )
    if decision not in DECISIONS:
        return 0
    actions = selectors.PUBLISH_ACTIONS if decision == "approved" else ("wagtail.workflow.reject",)
    return len(
        services.notify(
            kind=EventKind.DECISION,
            recipient_ids=[page.proposed_by_id],
            actor_id=selectors.last_logged_user_id(page.pk, actions),
            url=selectors.project_url(page),
            data={"subject": "proposal", "decision": decision, "comment": comment or ""},
            **common,
        )
    )


@task()
def partnership_applied_fanout(partnership_id: int) -> int:
    """An application waits for the hub's coordinators (nobody else: it is not public)."""
    from partners.models import Partnership, PartnershipStatus

    partnership = Partnership.objects.select_related("hub").filter(pk=partnership_id).first()
    if partnership is None or partnership.status != PartnershipStatus.APPLIED:
        return 0  # decided already: nothing waits
    return len(
        services.notify(
            kind=EventKind.WAITING,
            recipient_ids=selectors.hub_coordinator_ids(partnership.hub),
            actor_id=partnership.applied_by_id,
            hub_id=partnership.hub_id,
            url=_admin_url("partnership_admin:inspect", partnership.pk),
            data={"subject": "partnership", "partnership_id": partnership.pk},
            partner_id=partnership.partner_id,
        )
    )


@task()
def partnership_decided_fanout(partnership_id: int, status: str, reason: str, actor_id: int | None) -> int:
    """A coordinator's decision, for the partner's administrators (who applied and speak for it)."""
    from partners.models import Partnership

    partnership = Partnership.objects.select_related("partner").filter(pk=partnership_id).first()
    if partnership is None:
        return 0
    return len(
        services.notify(
            kind=EventKind.DECISION,
            recipient_ids=selectors.partner_administrator_ids(partnership.partner_id),
            actor_id=actor_id,
            hub_id=partnership.hub_id,
            url=_admin_url("partner_manage", partnership.partner.slug),
            data={"subject": "partnership", "status": status, "reason": reason or ""},
            partner_id=partnership.partner_id,
        )
    )


# --- Events --------------------------------------------------------------------------------------


def _event_data(event, **extra) -> dict:
    return {"event_id": event.pk, "title": event.title, "starts_at": event.starts_at.isoformat(), **extra}


def _event_about(event) -> dict:
    return {"hub_id": event.hub_id, "url": selectors.event_url(event), "project_id": event.project_id}


@task()
def event_published_fanout(event_id: int) -> int:
    """A new published event, for the followers of its hub and its project (once per event)."""
    from events.models import Event, EventStatus

    event = Event.objects.select_related("hub", "project", "created_by").filter(pk=event_id).first()
    if event is None or event.status != EventStatus.PUBLISHED:
        return 0
    if Notification.objects.filter(kind=EventKind.NEW_EVENT, data__event_id=event.pk).exists():
        return 0  # already fanned out (a task run twice)
    audience = selectors.new_event_audience_ids(event)
    viewers = selectors.project_viewers_q(event.project) if event.project_id else None
    return len(
        services.notify(
            kind=EventKind.NEW_EVENT,
            recipient_ids=selectors.visible_user_ids(audience, viewers),
            actor_id=event.created_by_id,
            data=_event_data(event),
            **_event_about(event),
        )
    )


@task()
def event_cancelled_fanout(event_id: int) -> int:
    """A cancelled event, for everyone registered or waiting."""
    from events.models import Event, EventStatus, RegistrationStatus

    event = Event.objects.select_related("hub").filter(pk=event_id).first()
    if event is None or event.status != EventStatus.CANCELLED:
        return 0
    recipients = event.registrations.filter(
        status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
    ).values_list("user_id", flat=True)
    return len(
        services.notify(
            kind=EventKind.EVENT_REGISTRATION,
            recipient_ids=list(recipients),
            data=_event_data(event, subject="cancelled"),
            **_event_about(event),
        )
    )


@task()
def registration_promoted_fanout(registration_id: int) -> int:
    """The first on the waiting list got a seat."""
    from events.models import Registration, RegistrationStatus

    registration = Registration.objects.select_related("event__hub").filter(pk=registration_id).first()
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return 0
    event = registration.event
    return len(
        services.notify(
            kind=EventKind.EVENT_REGISTRATION,
            recipient_ids=[registration.user_id],
            data=_event_data(event, subject="promoted"),
            **_event_about(event),
        )
    )


@task()
def event_reminder_fanout(event_id: int, registration_ids: list[int]) -> int:
    """The reminder the day before, for those of ``registration_ids`` who still hold a seat."""
    from events.models import Event, EventStatus, RegistrationStatus

    event = Event.objects.select_related("hub").filter(pk=event_id).first()
    if event is None or event.status != EventStatus.PUBLISHED:
        return 0
    recipients = event.registrations.filter(pk__in=registration_ids, status=RegistrationStatus.REGISTERED)
    return len(
        services.notify(
            kind=EventKind.EVENT_REMINDER,
            recipient_ids=list(recipients.values_list("user_id", flat=True)),
            data=_event_data(event),
            **_event_about(event),
        )
    )


@task()
def consultation_fanout(consultation_id: int, event: str) -> int:
    """A consultation opened, or its summary was published: for the followers of its hub and of its
    project (if any) who can see them."""
    from accounts.urls_absolute import page_link
    from consultations.models import Consultation
    from notifications.models import Follow

    consultation = Consultation.objects.select_related("hub", "project").filter(pk=consultation_id).first()
    if consultation is None or event not in ("opened", "summary"):
        return 0
    if event == "summary" and consultation.summary_published_at is None:
        return 0
    hub = consultation.hub
    if not hub.live:
        return 0
    about = Q(hub_id=hub.pk)
    viewers = None
    if consultation.project_id:
        about |= Q(project_id=consultation.project_id)
        viewers = selectors.project_viewers_q(consultation.project)
    recipient_ids = selectors.visible_user_ids(Follow.objects.filter(about, active=True).values("user_id"), viewers)
    suffix = "results/" if event == "summary" else ""
    return len(
        services.notify(
            kind=EventKind.CONSULTATION,
            recipient_ids=recipient_ids,
            hub_id=hub.pk,
            url=f"{page_link(hub)}consultations/{consultation.pk}/{suffix}",
            data={"consultation_id": consultation.pk, "title": consultation.title, "event": event},
            project_id=consultation.project_id,
        )
    )


@task()
def idea_fanout(idea_id: int, event: str, actor_id: int | None) -> int:
    """An idea answered by the coordinators or turned into a project proposal: its author and its
    supporters who can see the hub are told (nobody while the idea is hidden)."""
    from accounts.urls_absolute import page_link
    from cms.restrictions import audience_users_q, page_audience
    from ideas.models import Idea

    idea = Idea.objects.select_related("hub").filter(pk=idea_id).first()
    if idea is None or idea.is_hidden:
        return 0
    audience = set(idea.supports.values_list("user_id", flat=True))
    if idea.author_id:
        audience.add(idea.author_id)
    recipients = selectors.visible_user_ids(audience, audience_users_q(page_audience(idea.hub)))
    about = {"project_id": idea.project_id} if event == "project" and idea.project_id else {}
    return len(
        services.notify(
            kind=EventKind.IDEA,
            recipient_ids=recipients,
            actor_id=actor_id,
            hub_id=idea.hub_id,
            url=f"{page_link(idea.hub)}ideas/{idea.pk}/",
            data={"idea_id": idea.pk, "title": idea.title, "event": event, "status": idea.status},
            **about,
        )
    )


# --- Challenges -----------------------------------------------------------------------------------


def _tell_challenge_followers(challenge, *, anchor: str = "", **data) -> int:
    """One ``CHALLENGE`` notification for each follower of ``challenge``; how many were made."""
    followers = list(challenge.follows.values_list("user_id", flat=True))
    return len(
        services.notify(
            kind=EventKind.CHALLENGE,
            recipient_ids=followers,
            hub_id=challenge.hub_id,
            url=f"{challenge.url}{anchor}",
            data={"title": challenge.title, **data},
        )
    )


@task()
def challenge_phase_fanout(challenge_id: int, phase: str) -> int:
    """A challenge moved on: its followers are told, if it is still published and in that phase."""
    from challenges.models import Challenge

    challenge = Challenge.objects.select_related("hub").filter(pk=challenge_id).first()
    if challenge is None or not challenge.is_published or challenge.phase != phase:
        return 0
    return _tell_challenge_followers(challenge, subject="phase", phase=phase)


@task()
def challenge_answer_fanout(question_id: int) -> int:
    """A question published with its answer: every follower at once (equal treatment)."""
    from challenges.models import Question

    question = Question.objects.select_related("challenge__hub").filter(pk=question_id).first()
    if question is None or not question.is_published or not question.challenge.is_published:
        return 0
    return _tell_challenge_followers(question.challenge, anchor="#questions", subject="answer")


@task()
def challenge_award_fanout(challenge_id: int) -> int:
    """The award: the winner's submitter is told they won; every other submitter is told their own
    total and scores per criterion and the reasons, each in a notification of their own."""
    from challenges.models import Challenge, DecisionAction
    from challenges.selectors import submission_totals

    challenge = Challenge.objects.select_related("hub").filter(pk=challenge_id).first()
    if challenge is None or challenge.awarded_submission_id is None:
        return 0
    entry = challenge.decision_log.filter(action=DecisionAction.AWARDED).order_by("-pk").first()
    reasons = entry.reasons if entry is not None else ""
    criteria = {c.pk: c.name for c in challenge.criteria.all()}
    written = 0
    with transaction.atomic():
        for row in submission_totals(challenge):
            submission = row.submission
            if submission.submitter_id is None:
                continue
            if submission.pk == challenge.awarded_submission_id:
                data = {"subject": "won", "title": challenge.title}
            else:
                data = {
                    "subject": "result",
                    "title": challenge.title,
                    "total": str(row.total) if row.total is not None else None,
                    "criteria": [[criteria.get(c, ""), str(v)] for c, v in row.per_criterion.items()],
                    "reasons": reasons,
                }
            written += len(
                services.notify(
                    kind=EventKind.CHALLENGE,
                    recipient_ids=[submission.submitter_id],
                    url=challenge.url,
                    data=data,
                )
            )
    return written


@task()
def challenge_meeting_fanout(meeting_id: int) -> int:
    """A dialogue meeting announced: the challenge's followers, if both are still public."""
    from challenges.models import DialogueMeeting
    from events.models import EventStatus

    meeting = DialogueMeeting.objects.select_related("challenge__hub", "event").filter(pk=meeting_id).first()
    if meeting is None or not meeting.challenge.is_published or meeting.event.status != EventStatus.PUBLISHED:
        return 0
    challenge, event = meeting.challenge, meeting.event
    return _tell_challenge_followers(
        challenge, anchor="#dialogue", subject="meeting", meeting=event.title, starts_at=event.starts_at.isoformat()
    )


@task()
def challenge_dialogue_summary_fanout(series_id: int) -> int:
    """The summary of a series of one-to-one meetings, published: the challenge's followers."""
    from challenges.models import SlotSeries

    series = SlotSeries.objects.select_related("challenge__hub").filter(pk=series_id).first()
    if series is None or not series.summary_published or not series.challenge.is_published:
        return 0
    return _tell_challenge_followers(series.challenge, anchor="#dialogue", subject="summary", series=series.title)
