"""E-mail about notifications: preferences, immediate e-mails, and what digests share with them.

Per person and per ``EventKind`` an ``EmailFrequency`` (``EmailPreference`` rows; without a row
``DEFAULT_FREQUENCIES`` / ``DEFAULT_FREQUENCY`` apply). A notification is e-mailed at most once
(``Notification.emailed_at``): on its own right after it was written, when its recipient wants
that kind immediately (``schedule_immediate``, called by ``notifications.services.notify`` after
its commit), or in a daily or weekly digest (``notifications.digests``). Nothing is e-mailed that
the person has already read in the site, that they can no longer see (a hidden comment, a project
taken offline), or to someone inactive or suspended in the hub it happened in (``deliverable``).

Each e-mail is sent once, even when the worker is killed in the middle of a batch. A run first
claims the notifications it will e-mail (``claim``: one UPDATE, by the task's id), then marks each
message's notifications e-mailed as soon as the mail server has accepted it, and frees what it did not
send. A worker killed mid-batch leaves its task "running" and the rest claimed: ``manage.py
db_worker`` (notifications' own) runs that task again after ``TASKS_ABANDONED_AFTER_SECONDS`` under
the same id, which takes its own claims back and sends only what was not marked. Another run never
sends what someone else has claimed (until the claim is that old). One window cannot be closed with
SMTP: killed after the server accepted a message and before the mark was written (a few
milliseconds), that message goes out again, with the same ``Message-ID`` header (``message_id``),
by which mail servers and clients recognise a repeat.

Sending happens in background tasks (django-tasks). django-tasks does not retry: a send that fails
(mail server down) re-enqueues what is left with a growing delay and an attempt counter
(``retry_later``), and gives up, logged, after ``MAX_ATTEMPTS``. Nothing here ever raises into the
request or the transaction that caused the notification.

Every message has a plain-text and an HTML part in the recipient's language (their preferred
language, else the hub's, else the site's), a one-click unsubscribe link that works without
logging in (``notifications.unsubscribe``) and the ``List-Unsubscribe`` headers (RFC 2369, 8058).
"""

import contextlib
import logging
import smtplib
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from accounts.urls_absolute import absolute_url
from notifications.models import (
    DEFAULT_FREQUENCIES,
    DEFAULT_FREQUENCY,
    EmailFrequency,
    EmailPreference,
    EventKind,
    Notification,
)
from notifications.unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)

# A failed send is tried again after 1, 5, 25 and 125 minutes, then given up.
MAX_ATTEMPTS = 5
RETRY_FIRST_DELAY = timedelta(minutes=1)
RETRY_FACTOR = 5
# Immediate e-mails are sent by tasks of at most this many notifications each.
IMMEDIATE_TASK_SIZE = 100
# What a notification's text needs besides pages, joined in its query (see ``load``).
RELATED = ("recipient", "actor", "thread", "comment", "partner", "goal")
# Kinds addressed by role to the people a draft or a hidden comment is shown to: the proposer and
# partners of a proposal, the hub's coordinators (who moderate hidden comments and review drafts).
ROLE_KINDS = {EventKind.DECISION, EventKind.WAITING}
# Decisions on one's own application or proposal are e-mailed by the app that decides
# (partners.emails, projects.emails), with the coordinator's reason: never a second time from here.
EMAILED_BY_SOURCE = {EventKind.DECISION}
# A send fails with these when the mail server is unreachable or refuses; anything else is a bug.
SEND_ERRORS = (smtplib.SMTPException, OSError)
EXCERPT_CHARS = 280


# --- Preferences ---------------------------------------------------------------------------------


def default_frequency(kind: str) -> str:
    return DEFAULT_FREQUENCIES.get(kind, DEFAULT_FREQUENCY)


def email_frequencies(user) -> dict[str, str]:
    """How often ``user`` wants e-mail about each kind of event, defaults filled in, in EventKind order."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, default_frequency(kind)) for kind in EventKind.values}


def email_preferences_save(*, user, frequencies: dict[str, str]) -> None:
    """Store a frequency for every kind at once (all or nothing); a kind left out keeps its current one.

    Every kind gets a row, so a later change of the defaults does not change what someone chose.
    """
    if not (user and user.is_authenticated and user.is_active):
        raise ValidationError(_("Log in to choose your e-mail."), code="not_logged_in")
    unknown = set(frequencies) - set(EventKind.values)
    invalid = {f for f in frequencies.values() if f not in EmailFrequency.values}
    if unknown or invalid:
        raise ValidationError(_("Unknown kind of notification or frequency."), code="invalid")
    wanted = {**email_frequencies(user), **frequencies}
    with transaction.atomic():
        EmailPreference.objects.filter(user=user).delete()
        EmailPreference.objects.bulk_create(
            [EmailPreference(user=user, kind=kind, frequency=frequency) for kind, frequency in wanted.items()]
        )
    logger.info("User %s saved e-mail preferences", user.pk)


def frequency_expression():
    """For a Notification queryset: how often its recipient wants e-mail about its kind (SQL)."""
    chosen = EmailPreference.objects.filter(user_id=OuterRef("recipient_id"), kind=OuterRef("kind")).values(
        "frequency"
    )[:1]
    default = Case(
        *[When(kind=kind, then=Value(frequency)) for kind, frequency in DEFAULT_FREQUENCIES.items()],
        default=Value(DEFAULT_FREQUENCY),
        output_field=CharField(),
    )
    return Coalesce(Subquery(chosen, output_field=CharField()), default, output_field=CharField())


def due_notifications(frequency: str) -> QuerySet:
    """Notifications not yet e-mailed nor read, of active people who want their kind at ``frequency``."""
    return (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True)
        .exclude(kind__in=EMAILED_BY_SOURCE)
        .annotate(email_frequency=frequency_expression())
        .filter(email_frequency=frequency)
    )


# --- Sending once --------------------------------------------------------------------------------


def claim_token(context: TaskContext | None = None) -> str:
    """Who claims: the task's id (the same when a dead worker's task is run again), else a new one."""
    return str(context.task_result.id) if context is not None else uuid.uuid4().hex


def claim(notifications: QuerySet, token: str) -> QuerySet:
    """Claim for ``token`` those of ``notifications`` that are free (unclaimed, claimed by ``token``
    already, or claimed longer than TASKS_ABANDONED_AFTER_SECONDS ago by a run that died) and not
    e-mailed; return them. One UPDATE, committed at once: the claim must outlive this run."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.TASKS_ABANDONED_AFTER_SECONDS)
    free = Q(email_claim="") | Q(email_claim=token) | Q(email_claimed_at__lt=stale)
    wanted = notifications.values("pk")
    # The conditions on the updated rows themselves, so that PostgreSQL checks them again on a row
    # another run claimed meanwhile (READ COMMITTED re-reads a row it waited for): one claim wins.
    Notification.objects.filter(free, Q(pk__in=Subquery(wanted)), emailed_at__isnull=True).update(
        email_claim=token, email_claimed_at=now
    )
    return notifications.filter(email_claim=token)


def claims_release(token: str) -> None:
    """Free what ``token`` claimed and did not send (a failed send, to be tried again by another run)."""
    Notification.objects.filter(email_claim=token, emailed_at__isnull=True).update(
        email_claim="", email_claimed_at=None
    )


def message_id(token: str, notification_ids: list[int]) -> str:
    """The ``Message-ID`` of the message about these notifications sent by ``token``'s run: the same
    when the run is repeated after its worker died, so a repeat can be recognised by receivers."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "dugnad.localhost"
    return f"<dugnad.{token}.{min(notification_ids)}@{domain}>"


# --- Loading -------------------------------------------------------------------------------------


def load(notifications: QuerySet) -> list[Notification]:
    """The notifications with what their e-mail needs, in three queries however many there are.

    Projects and hubs are Wagtail pages, costly to build (several times a plain row): they are
    loaded once per distinct page and shared, rather than joined into every row.
    """
    loaded = list(
        notifications.select_related(*RELATED).defer("comment__html", "recipient__password", "actor__password")
    )
    project_ids = {pid for n in loaded if (pid := n.project_id or (n.thread.project_id if n.thread_id else None))}
    hub_ids = {n.hub_id for n in loaded if n.hub_id}
    project_model = Notification._meta.get_field("project").related_model
    hub_model = Notification._meta.get_field("hub").related_model
    projects = project_model.objects.in_bulk(project_ids) if project_ids else {}
    hubs = hub_model.objects.only("default_language").in_bulk(hub_ids) if hub_ids else {}
    for n in loaded:
        if n.project_id:
            n.project = projects[n.project_id]
        if n.thread_id and n.thread.project_id:
            n.thread.project = projects[n.thread.project_id]
        if n.hub_id:
            n.hub = hubs[n.hub_id]
    return loaded


# --- Who may still be told -----------------------------------------------------------------------


def waiting_settled(notifications: list[Notification]) -> set[int]:
    """The ids of those "waiting for you" notifications whose action is no longer open: the
    application decided, the proposal's review finished (or sent back to its proposer), the comment
    no longer reported or hidden by reports. The same selectors as the admin dashboard's panels, so
    an e-mail never calls "waiting" what the dashboard no longer lists. At most three queries."""
    from discussions.models import Comment
    from discussions.selectors import waiting_comment_q
    from partners.selectors import pending_partnerships
    from projects.selectors import proposals_awaiting_review

    waiting = [n for n in notifications if n.kind == EventKind.WAITING]
    subjects: dict[str, set[int]] = {"partnership": set(), "proposal": set(), "report": set()}
    for n in waiting:
        subject = n.data.get("subject")
        if subject == "partnership" and n.data.get("partnership_id"):
            subjects["partnership"].add(n.data["partnership_id"])
        elif subject == "proposal" and n.project_id:
            subjects["proposal"].add(n.project_id)
        elif subject == "report" and n.comment_id:
            subjects["report"].add(n.comment_id)
    still_open = {
        "partnership": set(pending_partnerships().filter(pk__in=subjects["partnership"]).values_list("pk", flat=True))
        if subjects["partnership"]
        else set(),
        "proposal": proposals_awaiting_review(subjects["proposal"]),
        "report": set(
            Comment.objects.filter(waiting_comment_q(), pk__in=subjects["report"]).values_list("pk", flat=True)
        )
        if subjects["report"]
        else set(),
    }
    settled = set()
    for n in waiting:
        subject = n.data.get("subject")
        key = {"partnership": n.data.get("partnership_id"), "proposal": n.project_id, "report": n.comment_id}.get(
            subject
        )
        if subject in still_open and key not in still_open[subject]:
            settled.add(n.pk)
    return settled


def deliverable(notifications: list[Notification], *, settled: set[int] | None = None) -> list[Notification]:
    """The notifications whose recipient may still be told: what they are about is still visible to
    them, they are not suspended in its hub, and what waits for them still waits (``settled``:
    ``waiting_settled``'s answer, computed here if not given). A constant number of queries for any
    number of notifications (fetched with ``load``).

    - A hidden or deleted comment is told about only to coordinators (``WAITING``: a report).
    - A project that is not live, or is behind a view restriction, only in ``ROLE_KINDS``: a decision
      on one's own proposal, a proposal waiting for review. Those were addressed, by role, to people
      who see the draft.
    """
    from wagtail.models import PageViewRestriction

    from discussions.models import CommentingSuspension

    if not notifications:
        return []
    if settled is None:
        settled = waiting_settled(notifications)
    # Public as Wagtail's ``PageQuerySet.public()`` has it: live, and under no view restriction.
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    public = {
        project.pk
        for n in notifications
        if (project := _project(n)) is not None and project.live and not project.path.startswith(restricted)
    }
    now = timezone.now()
    suspended = set(
        CommentingSuspension.objects.filter(
            user_id__in={n.recipient_id for n in notifications},
            starts_at__lte=now,
            ends_at__gt=now,
            lifted_at__isnull=True,
        ).values_list("user_id", "hub_id")
    )
    # Forum topics in forums not everyone may see: told only to those who pass without a session.
    from cms.restrictions import audience_allows
    from discussions.permissions import forum_audiences

    on_topics = any(n.thread_id and n.thread.project_id is None for n in notifications)
    forums = forum_audiences() if on_topics else {}
    allowed: dict[tuple[int, int], bool] = {}
    kept = []
    for n in notifications:
        if (n.recipient_id, n.hub_id) in suspended or n.pk in settled:
            continue
        if n.thread_id and n.thread.project_id is None and n.thread.hub_id in forums:
            key = (n.recipient_id, n.thread.hub_id)
            if key not in allowed:
                allowed[key] = audience_allows(forums[n.thread.hub_id], n.recipient)
            if not allowed[key]:
                continue
        if n.comment_id and not n.comment.is_visible and n.kind != EventKind.WAITING:
            continue
        project = _project(n)
        if project is not None and project.pk not in public and n.kind not in ROLE_KINDS:
            continue
        kept.append(n)
    return kept


def _project(n: Notification):
    return n.project if n.project_id else (n.thread.project if n.thread_id and n.thread.project_id else None)


# --- Texts ---------------------------------------------------------------------------------------


def recipient_language(user, hub=None) -> str:
    """The recipient's preferred language, else the hub's, else the site's (as partners' and projects' e-mails)."""
    return user.preferred_language or (hub.default_language if hub is not None else "") or settings.LANGUAGE_CODE


def _actor(n: Notification) -> str:
    # The display name only: a person's e-mail address is never put in someone else's mailbox.
    return (n.actor.display_name if n.actor_id else "") or _("Someone")


def _status_label(project, value: str) -> str:
    choices = dict(type(project)._meta.get_field("status").flatchoices)
    return str(choices.get(value, value))


def notification_text(n: Notification) -> str:
    """One sentence saying what happened, in the active language (for subjects, lists and digests).

    Reads ``data["status"]`` (project status changes; partnership decisions) and ``data["decision"]``
    (proposal decisions: approved, changes_requested, cancelled).
    """
    project = _project(n)
    names = {
        "actor": _actor(n),
        "thread": n.thread.title if n.thread_id else "",
        "project": project.title if project is not None else "",
        "partner": n.partner.name if n.partner_id else "",
    }
    kind = n.kind
    if kind == EventKind.COMMENT:
        return _("%(actor)s commented in “%(thread)s”") % names
    if kind == EventKind.REPLY:
        return _("%(actor)s replied to your comment in “%(thread)s”") % names
    if kind == EventKind.MENTION:
        return _("%(actor)s mentioned you in “%(thread)s”") % names
    if kind == EventKind.PROJECT_UPDATE:
        return _("New progress update on “%(project)s”") % names
    if kind == EventKind.PROJECT_STATUS:
        if project is not None and n.data.get("status"):
            return _("“%(project)s” is now: %(status)s") % {**names, "status": _status_label(project, n.data["status"])}
        return _("“%(project)s” has a new status") % names
    if kind == EventKind.NEW_PROJECT:
        return _("New project: “%(project)s”") % names
    if kind in (EventKind.NEW_EVENT, EventKind.EVENT_REMINDER, EventKind.EVENT_REGISTRATION):
        return _event_text(n)
    if kind == EventKind.DECISION:
        return _decision_text(n, names)
    if kind == EventKind.CONSULTATION:
        title = n.data.get("title", "")
        if n.data.get("event") == "summary":
            return _("What we heard: the results of “%(title)s” are published") % {"title": title}
        return _("New consultation: “%(title)s”. Tell us what you think") % {"title": title}
    if kind == EventKind.IDEA:
        return _idea_text(n)
    if kind == EventKind.CHALLENGE:
        return _challenge_text(n)
    if kind == EventKind.WAITING:
        if n.comment_id:
            return _("A comment in “%(thread)s” was reported and waits for you") % names
        if project is not None:
            return _("The proposal “%(project)s” waits for your review") % names
        if n.partner_id:
            return _("The application from %(partner)s waits for your decision") % names
        return _("Something waits for you")
    return _("Something new happened")


def _event_text(n: Notification) -> str:
    """Reads ``data["title"]``, ``data["starts_at"]`` (ISO 8601) and ``data["subject"]``."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils.formats import date_format

    names = {"event": n.data.get("title", ""), "when": ""}
    if starts_at := n.data.get("starts_at"):
        with contextlib.suppress(ValueError):
            moment = datetime.fromisoformat(starts_at).astimezone(ZoneInfo("Europe/Oslo"))
            names["when"] = date_format(moment, "DATETIME_FORMAT")
    if n.kind == EventKind.NEW_EVENT:
        return _("New event: “%(event)s”, %(when)s") % names
    if n.kind == EventKind.EVENT_REMINDER:
        return _("Reminder: “%(event)s” is tomorrow, %(when)s") % names
    if n.data.get("subject") == "promoted":
        return _("A seat became free: you are now registered for “%(event)s”, %(when)s") % names
    if n.data.get("subject") == "cancelled":
        return _("“%(event)s” (%(when)s) is cancelled") % names
    return _("There is news about your registration for “%(event)s”") % names


def _idea_text(n: Notification) -> str:
    from ideas.models import IdeaStatus

    title = n.data.get("title", "")
    if n.data.get("event") == "project":
        return _("The idea “%(idea)s” became a project proposal") % {"idea": title}
    status = n.data.get("status", "")
    label = str(dict(IdeaStatus.choices).get(status, status))
    return _("The idea “%(idea)s” was answered: %(status)s") % {"idea": title, "status": label}


def _challenge_text(n: Notification) -> str:
    data = n.data or {}
    title = data.get("title", "")
    subject = data.get("subject")
    if subject == "phase":
        from challenges.models import Phase

        phase = dict(Phase.choices).get(data.get("phase"), data.get("phase", ""))
        return _("The challenge “%(title)s” is now in the phase: %(phase)s") % {"title": title, "phase": phase}
    if subject == "answer":
        return _("A new answer in the market dialogue of “%(title)s”") % {"title": title}
    if subject == "won":
        return _("Your solution won the challenge “%(title)s”") % {"title": title}
    if subject == "result":
        scores = "; ".join(f"{name}: {value}" for name, value in data.get("criteria") or [])
        text = _("The challenge “%(title)s” was awarded to another solution. Your total: %(total)s.") % {
            "title": title,
            "total": data.get("total") or "–",
        }
        if scores:
            text += " " + _("Your scores: %(scores)s.") % {"scores": scores}
        if data.get("reasons"):
            text += " " + _("Reasons: %(reasons)s") % {"reasons": data["reasons"]}
        return text
    if subject == "meeting":
        return _("A dialogue meeting for the challenge “%(title)s”: %(meeting)s") % {
            "title": title,
            "meeting": data.get("meeting", ""),
        }
    if subject == "summary":
        return _("The summary of the one-to-one meetings on “%(title)s” is published") % {"title": title}
    return _("News about the challenge “%(title)s”") % {"title": title}


def _decision_text(n: Notification, names: dict) -> str:
    decision = n.data.get("decision") or n.data.get("status") or ""
    if names["project"]:
        texts = {
            "approved": _("Your proposal “%(project)s” was approved"),
            "changes_requested": _("Changes were requested to your proposal “%(project)s”"),
            "cancelled": _("The review of your proposal “%(project)s” was cancelled"),
        }
        return texts.get(decision, _("There is news about your proposal “%(project)s”")) % names
    if names["partner"]:
        texts = {
            "approved": _("%(partner)s is now an approved partner"),
            "rejected": _("The application from %(partner)s was not approved"),
            "suspended": _("The partnership of %(partner)s is suspended"),
            "ended": _("The partnership of %(partner)s has ended"),
        }
        return texts.get(decision, _("There is news about the partnership of %(partner)s")) % names
    return _("A decision was made that concerns you")


def notification_excerpt(n: Notification) -> str:
    """The start of the comment a notification is about, if it is still visible, or a decision's
    comment or reason (``data["comment"]``, ``data["reason"]``); else empty."""
    if n.comment_id:
        text = n.comment.body if n.comment.is_visible else ""
    elif n.kind == EventKind.DECISION:
        text = n.data.get("comment") or n.data.get("reason") or ""
    else:
        text = ""
    # One line: it is quoted in a list of items.
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


# --- Messages ------------------------------------------------------------------------------------


def email_message(
    *, recipient, subject: str, template: str, context: dict, unsubscribe_kind: str
) -> EmailMultiAlternatives:
    """A message from ``notifications/email/<template>_body.{txt,html}``, rendered in the active
    language, with the unsubscribe link (for ``unsubscribe_kind``: a kind or "all") and headers.
    Call it inside ``translation.override(recipient_language(...))``."""
    link = unsubscribe_url(user_id=recipient.pk, kind=unsubscribe_kind)
    context = {
        **context,
        "recipient": recipient,
        "unsubscribe_url": link,
        "settings_url": absolute_url(reverse("notifications:email_settings")),
        "site_url": absolute_url("/"),
    }
    text = render_to_string(f"notifications/email/{template}_body.txt", context)
    html = render_to_string(f"notifications/email/{template}_body.html", context)
    # No mailbox takes unsubscribe requests, so the header has the https link only (RFC 8058 needs it).
    message = EmailMultiAlternatives(
        # One line: a header with a newline in it is refused by Django.
        subject=" ".join(subject.split()),
        body=text,
        to=[recipient.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message


class Sender:
    """Sends messages one by one over one connection, and says which went out. A failed send closes
    the connection (the next send opens a fresh one) instead of raising."""

    def __init__(self):
        self.connection = get_connection()

    def send(self, message: EmailMultiAlternatives) -> bool:
        message.connection = self.connection
        try:
            message.send()
        except SEND_ERRORS as error:
            logger.warning("Sending to %s failed: %r", ", ".join(message.to), error)
            self.close()
            return False
        return True

    def close(self) -> None:
        with contextlib.suppress(SEND_ERRORS):
            self.connection.close()


def id_chunks(ids: list[int]) -> Iterator[list[int]]:
    """``ids`` in pieces small enough for one ``pk__in`` query: one piece, unless there are more
    than SQLite's limit on a statement's parameters (32,766 by default since SQLite 3.32, 999
    before; ``features.max_query_params`` says 999 whatever the version) or 50,000 elsewhere."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        size = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 100
    else:
        size = 50_000
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def mark_emailed(notification_ids: list[int]) -> None:
    """Record that these notifications went out (or never will), and free their claim."""
    now = timezone.now()
    for chunk in id_chunks(notification_ids):
        Notification.objects.filter(pk__in=chunk).update(emailed_at=now, email_claim="", email_claimed_at=None)


@contextlib.contextmanager
def commits_unflushed() -> Iterator[None]:
    """Around a run's sending: on PostgreSQL its commits (the marks, one per message) do not wait
    for the write-ahead log to reach the disk (``synchronous_commit`` off for this connection until
    the end). A mark is still visible to every other run the moment it is committed, so a killed
    worker sends nothing twice; the run just no longer waits for a disk flush per message. Only a
    crash of the database server itself within a fraction of a second of a mark (three times
    ``wal_writer_delay``) could lose it: that message would go out again with the same
    ``Message-ID``, as in the window SMTP leaves open (above). Two queries per run."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        # A broken connection is closed and replaced anyway, with the server's setting.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def retry_later(planned_task, *, attempt: int, **kwargs) -> None:
    """Enqueue ``planned_task`` again after a delay that grows with ``attempt``, unless that was the last."""
    if attempt >= MAX_ATTEMPTS:
        logger.error("Giving up on %s after %s attempts: %s", planned_task.name, attempt, kwargs)
        return
    delay = RETRY_FIRST_DELAY * RETRY_FACTOR ** (attempt - 1)
    if planned_task.get_backend().supports_defer:
        planned_task = planned_task.using(run_after=timezone.now() + delay)
    planned_task.enqueue(attempt=attempt + 1, **kwargs)
    logger.info("%s: attempt %s failed, trying again in %s", planned_task.name, attempt, delay)


# --- Immediate e-mails ---------------------------------------------------------------------------


def schedule_immediate(notification_ids: Iterable[int]) -> None:
    """After the current transaction commits, enqueue the e-mails of those of these notifications
    whose recipients want their kind immediately. A failure here is logged, never raised."""
    ids = list(notification_ids)
    if ids:
        transaction.on_commit(lambda: _enqueue_immediate(ids), robust=True)


def _enqueue_immediate(notification_ids: list[int]) -> None:
    wanted = []
    for chunk in id_chunks(notification_ids):
        wanted += due_notifications(EmailFrequency.IMMEDIATELY).filter(pk__in=chunk).values_list("pk", flat=True)
    for start in range(0, len(wanted), IMMEDIATE_TASK_SIZE):
        send_immediate_emails.enqueue(notification_ids=sorted(wanted[start : start + IMMEDIATE_TASK_SIZE]))


@task(takes_context=True)
def send_immediate_emails(context: TaskContext, notification_ids: list[int], attempt: int = 1) -> dict:
    """Send one e-mail per notification that is still due; those that fail are tried again later.
    Each is marked e-mailed as soon as it went out (see "Each e-mail is sent once" above)."""
    token = claim_token(context)
    due = load(
        claim(due_notifications(EmailFrequency.IMMEDIATELY).filter(pk__in=notification_ids), token).order_by("pk")
    )
    settled = waiting_settled(due)
    # What no longer waits will never be e-mailed: recorded as done, so that no later run loads it again.
    sent, failed = [], []
    sender = Sender()
    with commits_unflushed():
        try:
            for n in deliverable(due, settled=settled):
                with translation.override(recipient_language(n.recipient, n.hub)):
                    text = notification_text(n)
                    message = email_message(
                        recipient=n.recipient,
                        subject=text,
                        template="immediate",
                        context={
                            "notification": n,
                            "text": text,
                            "excerpt": notification_excerpt(n),
                            "url": absolute_url(n.url or "/"),
                            "kind_label": EventKind(n.kind).label,
                        },
                        unsubscribe_kind=n.kind,
                    )
                message.extra_headers["Message-ID"] = message_id(token, [n.pk])
                if sender.send(message):
                    mark_emailed([n.pk])
                    sent.append(n.pk)
                else:
                    failed.append(n.pk)
        finally:
            sender.close()
            mark_emailed(sorted(settled))
            claims_release(token)
    if failed:
        retry_later(send_immediate_emails, attempt=attempt, notification_ids=failed)
    return {"sent": len(sent), "failed": len(failed)}
