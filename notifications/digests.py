"""Daily and weekly digests: one e-mail per person with what they have not seen, grouped by project
and thread.

``send_digests(frequency)`` takes everyone who wants some kinds of event at that frequency and has
notifications of those kinds that were neither e-mailed nor read in the site, in batches of
people. A batch costs the same handful of queries whatever its size (one to claim its
notifications, the people and their notifications in one query, two for which projects are public,
one for suspensions, one to free what was not sent; on PostgreSQL two more so that the marks need
not wait for the disk, ``commits_unflushed``), plus one per digest sent, which marks its
notifications e-mailed as soon as the mail server accepted it: so a worker killed in the middle of
a batch never sends a digest twice (``notifications.emails``, "Each e-mail is sent once"); that
write costs far less than the SMTP exchange it follows. Someone with nothing new gets nothing. A
digest whose sending fails is tried again by ``send_digest_batch_task`` for those people only,
with the same back-off as immediate e-mails.

``manage.py send_digests daily|weekly`` (a systemd timer runs it, see deploy/README.md) queues
``send_digests_task``, which lists who has news and queues one ``send_digest_batch_task`` per
batch: every ``db_worker`` process takes batches, so a site with many people runs more than one
worker and they share the run (``docs/benchmarks.md``, "Digest e-mails", has the figures).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import TaskContext, task

from notifications.emails import (
    Sender,
    absolute_url,
    claim,
    claim_token,
    claims_release,
    commits_unflushed,
    deliverable,
    due_notifications,
    email_message,
    id_chunks,
    load,
    mark_emailed,
    message_id,
    notification_excerpt,
    notification_text,
    recipient_language,
    retry_later,
    waiting_settled,
)
from notifications.models import EmailFrequency, Notification
from notifications.unsubscribe import ALL

logger = logging.getLogger(__name__)

DIGEST_FREQUENCIES = (EmailFrequency.DAILY, EmailFrequency.WEEKLY)
BATCH_SIZE = 500
# A digest lists at most this many items, newest last; the rest are counted ("and 12 more").
MAX_ITEMS = 50


@dataclass
class DigestItem:
    text: str
    excerpt: str
    url: str
    created_at: object


@dataclass
class DigestSection:
    """A thread's items under its project (heading: the thread's title), or the project's own items."""

    heading: str
    items: list[DigestItem] = field(default_factory=list)


@dataclass
class DigestGroup:
    """A project, a forum topic, or everything else, with its sections."""

    heading: str
    sections: dict = field(default_factory=dict)


@dataclass
class DigestRun:
    frequency: str
    people: int = 0
    emails: int = 0
    notifications: int = 0
    batches: int = 0
    failed_user_ids: list[int] = field(default_factory=list)


def send_digests(
    frequency: str,
    *,
    batch_size: int = BATCH_SIZE,
    user_ids: list[int] | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    token: str = "",
) -> DigestRun:
    """Send the ``frequency`` ("daily" or "weekly") digests, to ``user_ids`` only if given.

    ``on_batch(people, emails)`` is called after each batch (the benchmark counts its queries).
    ``token`` claims the notifications (``notifications.emails.claim``): the task's id, else new.
    """
    token = token or claim_token()
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"Not a digest frequency: {frequency}")
    due = due_notifications(frequency)
    if user_ids is None:
        recipients = recipients_due(frequency)
    else:
        recipients = sorted({pk for chunk in id_chunks(sorted(set(user_ids))) for pk in _recipients_among(due, chunk)})
    run = DigestRun(frequency=frequency)
    for start in range(0, len(recipients), batch_size):
        people = recipients[start : start + batch_size]
        sent = _send_batch(frequency, due.filter(recipient_id__in=people), run, token)
        run.people += len(people)
        run.batches += 1
        if on_batch is not None:
            on_batch(len(people), sent)
    logger.info(
        "%s digests: %s e-mails about %s notifications to %s people, %s failed",
        frequency,
        run.emails,
        run.notifications,
        run.people,
        len(run.failed_user_ids),
    )
    return run


def _recipients_among(due, user_ids: list[int]) -> list[int]:
    return list(due.filter(recipient_id__in=user_ids).order_by().values_list("recipient_id", flat=True).distinct())


def _send_batch(frequency: str, due, run: DigestRun, token: str) -> int:
    notifications = load(claim(due, token).order_by("recipient_id", "created_at", "pk"))
    # Decided since it was written: not listed as waiting, and never again considered (see below).
    settled = waiting_settled(notifications)
    shown = {n.pk for n in deliverable(notifications, settled=settled)}
    by_recipient: dict[int, list[Notification]] = {}
    for n in notifications:
        if n.pk in shown:
            by_recipient.setdefault(n.recipient_id, []).append(n)
    emailed: list[int] = []
    sent = 0
    done = sorted(settled)
    texts: dict = {}
    sender = Sender()
    with commits_unflushed():
        try:
            for items in by_recipient.values():
                recipient = items[0].recipient
                hub = next((n.hub for n in items if n.hub_id), None)
                with translation.override(recipient_language(recipient, hub)):
                    context = _digest_context(frequency, items, texts)
                    message = email_message(
                        recipient=recipient,
                        subject=context["title"],
                        template="digest",
                        context=context,
                        unsubscribe_kind=ALL,
                    )
                ids = [n.pk for n in items]
                message.extra_headers["Message-ID"] = message_id(token, ids)
                if sender.send(message):
                    mark_emailed(ids)
                    sent += 1
                    emailed += ids
                else:
                    run.failed_user_ids.append(recipient.pk)
        finally:
            sender.close()
            mark_emailed(done)
            claims_release(token)
    run.emails += sent
    run.notifications += len(emailed)
    return sent


def _digest_context(frequency: str, notifications: list[Notification], texts: dict | None = None) -> dict:
    """Headings and items, in the active language: projects (with their discussion as a section),
    forum topics, then everything else, each in the order its first item happened.

    ``texts``: the items' texts already written in this batch. One event is told to thousands of
    people in the same words (per language), so each is written once per batch, not per person."""
    texts = {} if texts is None else texts
    language = translation.get_language()
    listed = notifications[-MAX_ITEMS:]
    groups: dict[tuple, DigestGroup] = {}
    for n in listed:
        project = n.project if n.project_id else (n.thread.project if n.thread_id and n.thread.project_id else None)
        if project is not None:
            group = groups.setdefault(("project", project.pk), DigestGroup(heading=project.title))
            section_key = ("thread", n.thread_id) if n.thread_id else ("project",)
            section_heading = _("Discussion: %(title)s") % {"title": n.thread.title} if n.thread_id else ""
        elif n.thread_id:
            group = groups.setdefault(("thread", n.thread_id), DigestGroup(heading=n.thread.title))
            section_key, section_heading = ("thread", n.thread_id), ""
        else:
            group = groups.setdefault(("other",), DigestGroup(heading=_("Other news")))
            section_key, section_heading = ("other",), ""
        section = group.sections.setdefault(section_key, DigestSection(heading=section_heading))
        key = (language, n.kind, n.actor_id, n.project_id, n.thread_id, n.comment_id, n.partner_id, n.goal_id)
        key += (n.url, repr(sorted(n.data.items())))
        if key not in texts:
            texts[key] = (notification_text(n), notification_excerpt(n), absolute_url(n.url or "/"))
        text, excerpt, url = texts[key]
        section.items.append(DigestItem(text=text, excerpt=excerpt, url=url, created_at=n.created_at))
    other = groups.pop(("other",), None)
    ordered = list(groups.values()) + ([other] if other else [])
    count = len(notifications)
    if frequency == EmailFrequency.DAILY:
        title = ngettext(
            "Your daily digest: %(count)s new notification", "Your daily digest: %(count)s new notifications", count
        )
    else:
        title = ngettext(
            "Your weekly digest: %(count)s new notification", "Your weekly digest: %(count)s new notifications", count
        )
    return {
        "title": title % {"count": count},
        "frequency": frequency,
        # A project's own news (updates, status) before its discussion.
        "groups": [
            {"heading": g.heading, "sections": sorted(g.sections.values(), key=lambda section: bool(section.heading))}
            for g in ordered
        ],
        "count": count,
        "more": count - len(listed),
    }


def recipients_due(frequency: str) -> list[int]:
    """Who has notifications due in a ``frequency`` digest, in id order (one query)."""
    return list(due_notifications(frequency).order_by("recipient_id").values_list("recipient_id", flat=True).distinct())


@task()
def send_digests_task(frequency: str, batch_size: int = BATCH_SIZE) -> dict:
    """Queue the ``frequency`` digests as one ``send_digest_batch_task`` per ``batch_size`` people.

    Every worker process takes batches from the queue, so several share a run; each batch is short
    (seconds), well within ``TASKS_ABANDONED_AFTER_SECONDS``, so a worker that dies costs one batch
    run again, never the whole run, and no live run is mistaken for an abandoned one.
    """
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"Not a digest frequency: {frequency}")
    recipients = recipients_due(frequency)
    batches = 0
    for start in range(0, len(recipients), batch_size):
        send_digest_batch_task.enqueue(frequency=frequency, user_ids=recipients[start : start + batch_size])
        batches += 1
    logger.info("%s digests: %s people in %s batches queued", frequency, len(recipients), batches)
    return {"people": len(recipients), "batches": batches}


@task(takes_context=True)
def send_digest_batch_task(context: TaskContext, frequency: str, user_ids: list[int], attempt: int = 1) -> dict:
    """``send_digests`` for ``user_ids`` (one batch) in a worker; those whose digest failed get it again later."""
    run = send_digests(frequency, user_ids=user_ids, batch_size=max(len(user_ids), 1), token=claim_token(context))
    if run.failed_user_ids:
        retry_later(send_digest_batch_task, attempt=attempt, frequency=frequency, user_ids=run.failed_user_ids)
    return {"people": run.people, "emails": run.emails, "failed": len(run.failed_user_ids)}
