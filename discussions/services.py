"""Every write to discussions goes through here: permission, validation, one transaction, a log
line, and the live event published after the commit (``discussions.live``).

Each change takes the thread's next sequence number inside the transaction that makes it: the
thread's row is updated first, which holds its lock until the commit, so numbers are handed out in
the order the changes commit.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cms import dependency
from cms.restrictions import audience_allows, page_audience
from discussions import events, live, selectors
from discussions.models import (
    ChangeType,
    Comment,
    CommentingSuspension,
    CommentReport,
    CommentRevision,
    ModerationAction,
    ModerationActionKind,
    ReportReason,
    Thread,
)
from discussions.permissions import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_moderate_thread,
    can_open_topic,
    can_report_comment,
    current_suspension,
    has_verified_email,
    is_hidden_only_by_coordinators,
    report_weight,
    suspension_message,
    why_not_comment,
)
from discussions.rendering import render_comment

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = 200
REASON_MAX_LENGTH = 1000
SUSPENSION_MAX_DAYS = 366


class CommentRateLimited(Exception):
    """Too soon after the author's last comment: the message says how long to wait."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class CommentLimits:
    interval: timedelta
    max_links: int | None


def _require_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to do this."))


def _next_seq(thread: Thread) -> int:
    """Take the thread's next sequence number. Call inside the transaction of the change."""
    Thread.objects.filter(pk=thread.pk).update(last_seq=F("last_seq") + 1)
    thread.last_seq = Thread.objects.filter(pk=thread.pk).values_list("last_seq", flat=True).get()
    return thread.last_seq


def limits_for(actor) -> CommentLimits:
    """Accounts younger than ``DISCUSSIONS_NEW_ACCOUNT_HOURS`` wait longer and post fewer links."""
    young = timezone.now() - actor.date_joined < timedelta(hours=settings.DISCUSSIONS_NEW_ACCOUNT_HOURS)
    if young:
        return CommentLimits(
            interval=timedelta(seconds=settings.DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS),
            max_links=settings.DISCUSSIONS_NEW_ACCOUNT_MAX_LINKS,
        )
    return CommentLimits(interval=timedelta(seconds=settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS), max_links=None)


def _check_rate(actor, limits: CommentLimits) -> None:
    last = Comment.objects.filter(author=actor).order_by("-created_at").values_list("created_at", flat=True).first()
    if last is None:
        return
    wait = last + limits.interval - timezone.now()
    if wait > timedelta(0):
        seconds = max(1, int(wait.total_seconds() + 0.999))
        message = ngettext(
            "You are commenting too fast. Wait %(seconds)s second and send again: your text is kept.",
            "You are commenting too fast. Wait %(seconds)s seconds and send again: your text is kept.",
            seconds,
        ) % {"seconds": seconds}
        raise CommentRateLimited(message, retry_after=seconds)


def _rendered(actor, thread: Thread, body: str, limits: CommentLimits):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ValidationError(_("Write something before you send."), code="required")})
    maximum = settings.DISCUSSIONS_COMMENT_MAX_LENGTH
    if len(body) > maximum:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("Keep your comment under %(max)s characters (it has %(length)s).")
                    % {"max": maximum, "length": len(body)},
                    code="max_length",
                )
            }
        )
    rendered = render_comment(body, mentionable=selectors.thread_mentionable(thread))
    if limits.max_links is not None and rendered.link_count > limits.max_links:
        raise ValidationError(
            {
                "body": ValidationError(
                    ngettext(
                        "New accounts may post at most %(max)s link per comment for their first day.",
                        "New accounts may post at most %(max)s links per comment for their first day.",
                        limits.max_links,
                    )
                    % {"max": limits.max_links},
                    code="too_many_links",
                )
            }
        )
    if not rendered.html:
        raise ValidationError({"body": ValidationError(_("Write something before you send."), code="required")})
    return body, rendered


def comment_post(*, actor: User, thread: Thread, body: str, reply_to: Comment | None = None, session=None) -> Comment:
    """Post ``body`` in ``thread`` (as a reply to ``reply_to``); raises PermissionDenied,
    ValidationError (field ``body`` or ``reply_to``) or CommentRateLimited. ``session`` is the
    actor's, where the password restrictions they passed are recorded (``can_view_thread``)."""
    _require_user(actor)
    if not can_comment(actor, thread, session):
        raise PermissionDenied(why_not_comment(actor, thread))
    if reply_to is not None:
        if reply_to.thread_id != thread.pk:
            raise ValidationError({"reply_to": _("You can only reply to a comment in the same thread.")})
        # One level of nesting: a reply to a reply answers the same top-level comment.
        if reply_to.reply_to_id is not None:
            reply_to = reply_to.reply_to
        if reply_to.is_deleted:
            raise ValidationError({"reply_to": _("That comment has been deleted; write a new comment instead.")})
    limits = limits_for(actor)
    body, rendered = _rendered(actor, thread, body, limits)
    with transaction.atomic():
        # The rate check and the insert happen under a lock on the author's row, so parallel posts by
        # one person queue up and each sees the comments committed before it (PostgreSQL: FOR UPDATE
        # waits, and the check then reads the committed rows; SQLite: transactions begin IMMEDIATE,
        # one writer at a time). Whatever the cache backend.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True).first()
        _check_rate(actor, limits)
        seq = _next_seq(thread)
        now = timezone.now()
        comment = Comment.objects.create(
            thread=thread,
            author=actor,
            reply_to=reply_to,
            body=body,
            html=rendered.html,
            seq=seq,
            last_change=ChangeType.COMMENT_CREATED,
        )
        comment.mentions.set(rendered.mentioned_user_ids - {actor.pk})
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
        transaction.on_commit(lambda: live.publish_comment_change(comment))
        transaction.on_commit(lambda: events.comment_posted.send(sender=Comment, comment=comment))
    logger.info("Comment %s posted in thread %s (seq %s) by user %s", comment.pk, thread.pk, seq, actor.pk)
    return comment


def comment_edit(*, actor: User, comment: Comment, body: str, session=None) -> Comment:
    """Replace the text of one's own comment; the earlier wording is kept for moderators."""
    _require_user(actor)
    if not can_edit_comment(actor, comment, session):
        raise PermissionDenied(_("You can only edit your own comments, while the thread is open."))
    limits = limits_for(actor)
    body, rendered = _rendered(actor, comment.thread, body, limits)
    if body == comment.body:
        return comment
    with transaction.atomic():
        CommentRevision.objects.create(
            comment=comment, body=comment.body, written_at=comment.edited_at or comment.created_at
        )
        comment.body = body
        comment.html = rendered.html
        comment.edited_at = timezone.now()
        comment.seq = _next_seq(comment.thread)
        comment.last_change = ChangeType.COMMENT_EDITED
        comment.save(update_fields=["body", "html", "edited_at", "seq", "last_change"])
        comment.mentions.set(rendered.mentioned_user_ids - {actor.pk})
        transaction.on_commit(lambda: live.publish_comment_change(comment))
    logger.info("Comment %s edited (seq %s)", comment.pk, comment.seq)
    return comment


def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """The author deletes their comment: it shows as "comment deleted"; replies keep their place."""
    _require_user(actor)
    if not can_delete_comment(actor, comment):
        raise PermissionDenied(_("You can only delete your own comments."))
    with transaction.atomic():
        comment.deleted_at = timezone.now()
        comment.seq = _next_seq(comment.thread)
        comment.last_change = ChangeType.COMMENT_DELETED
        comment.save(update_fields=["deleted_at", "seq", "last_change"])
        transaction.on_commit(lambda: live.publish_comment_change(comment))
    logger.info("Comment %s deleted by its author (seq %s)", comment.pk, comment.seq)
    return comment


def comments_erase_for(*, user, remove_text: bool) -> int:
    """Erase a person who closed their account from their comments; returns how many changed.

    Comments stay in their place and show "Deleted user" (the account row is anonymised by
    accounts). With ``remove_text`` each comment is also deleted as its author would, and its text and
    every earlier version are wiped, not only hidden. Called by ``discussions.privacy.erase``.
    """
    changed = 0
    with transaction.atomic():
        Comment.mentions.through.objects.filter(user_id=user.pk).delete()
        if remove_text:
            for comment in Comment.objects.select_for_update().filter(author=user).select_related("thread"):
                comment.revisions.all().delete()
                comment.body = comment.html = ""
                fields = ["body", "html"]
                if comment.deleted_at is None:
                    comment.deleted_at = timezone.now()
                    comment.seq = _next_seq(comment.thread)
                    comment.last_change = ChangeType.COMMENT_DELETED
                    fields += ["deleted_at", "seq", "last_change"]
                    transaction.on_commit(lambda comment=comment: live.publish_comment_change(comment))
                comment.save(update_fields=fields)
                changed += 1
        # Pages show the author's name, which is now "Deleted user".
        dependency.changed(dependency.person(user.pk))
    logger.info("Erased user %s from %s comments (text removed: %s)", user.pk, changed, remove_text)
    return changed


def _reason(reason: str, *, required: bool = True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": ValidationError(_("Say why, for the moderation log."), code="required")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX_LENGTH}})
    return reason


def _log(*, actor, kind: str, thread: Thread, comment=None, user=None, reason: str = "") -> ModerationAction:
    return ModerationAction.objects.create(
        hub_id=thread.hub_id, actor=actor, kind=kind, thread=thread, comment=comment, user=user, reason=reason
    )


def _hide(comment: Comment, *, automatically: bool) -> None:
    comment.hidden_at = timezone.now()
    comment.hidden_automatically = automatically
    comment.seq = _next_seq(comment.thread)
    comment.last_change = ChangeType.COMMENT_HIDDEN
    comment.save(update_fields=["hidden_at", "hidden_automatically", "seq", "last_change"])
    transaction.on_commit(lambda: live.publish_comment_change(comment))


def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """A coordinator hides a comment: it disappears live for everyone, leaving a placeholder; its
    open reports are resolved."""
    if not can_moderate_thread(actor, comment.thread):
        raise PermissionDenied(_("Only the hub's coordinators moderate its discussions."))
    reason = _reason(reason)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_hidden and not comment.hidden_automatically:
            raise ValidationError(_("This comment is already hidden."))
        if comment.is_hidden:
            # Hidden by reports: the coordinator confirms it; nothing changes for readers.
            Comment.objects.filter(pk=comment.pk).update(hidden_automatically=False)
            comment.hidden_automatically = False
        else:
            _hide(comment, automatically=False)
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        _log(
            actor=actor,
            kind=ModerationActionKind.HIDE,
            thread=comment.thread,
            comment=comment,
            user=comment.author,
            reason=reason,
        )
    logger.info("Comment %s hidden by user %s", comment.pk, actor.pk)
    return comment


def comment_unhide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """A coordinator shows a hidden comment again (live for everyone); its open reports are dismissed."""
    if not can_moderate_thread(actor, comment.thread):
        raise PermissionDenied(_("Only the hub's coordinators moderate its discussions."))
    reason = _reason(reason)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not comment.is_hidden:
            raise ValidationError(_("This comment is not hidden."))
        comment.hidden_at = None
        comment.hidden_automatically = False
        comment.seq = _next_seq(comment.thread)
        comment.last_change = ChangeType.COMMENT_UNHIDDEN
        comment.save(update_fields=["hidden_at", "hidden_automatically", "seq", "last_change"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        _log(
            actor=actor,
            kind=ModerationActionKind.UNHIDE,
            thread=comment.thread,
            comment=comment,
            user=comment.author,
            reason=reason,
        )
        transaction.on_commit(lambda: live.publish_comment_change(comment))
    logger.info("Comment %s shown again by user %s", comment.pk, actor.pk)
    return comment


def reports_dismiss(*, actor: User, comment: Comment, reason: str) -> int:
    """A coordinator finds nothing wrong: open reports are resolved and the comment stays (or is shown
    again if reports had hidden it). Returns how many reports were resolved."""
    if not can_moderate_thread(actor, comment.thread):
        raise PermissionDenied(_("Only the hub's coordinators moderate its discussions."))
    reason = _reason(reason, required=False)
    if comment.is_hidden and comment.hidden_automatically:
        resolved = comment.reports.filter(resolved_at__isnull=True).count()
        comment_unhide(actor=actor, comment=comment, reason=reason or _("Reports dismissed"))
        return resolved
    with transaction.atomic():
        resolved = comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        if not resolved:
            # Decided meanwhile (or a second click): nothing to dismiss, nothing to log.
            raise ValidationError(_("This comment has no open reports."))
        _log(
            actor=actor,
            kind=ModerationActionKind.DISMISS_REPORTS,
            thread=comment.thread,
            comment=comment,
            reason=reason,
        )
    return resolved


def comment_report(*, actor: User, comment: Comment, reason: str, note: str = "", session=None) -> CommentReport:
    """Report a comment. When ``DISCUSSIONS_REPORTS_TO_HIDE`` different people have open reports on
    it, it is hidden until a coordinator decides (logged as the site's own action)."""
    _require_user(actor)
    if not can_report_comment(actor, comment, session):
        raise PermissionDenied(_("You cannot report this comment."))
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    note = (note or "").strip()
    if len(note) > REASON_MAX_LENGTH:
        raise ValidationError({"note": _("Keep the note under %(max)s characters.") % {"max": REASON_MAX_LENGTH}})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("thread").get(pk=comment.pk)
        if comment.reports.filter(reporter=actor).exists():
            raise ValidationError(_("You have already reported this comment. The coordinators will look at it."))
        report = CommentReport.objects.create(comment=comment, reporter=actor, reason=reason, note=note)
        transaction.on_commit(lambda: events.comment_reported.send(sender=CommentReport, report=report))
        reporters = [
            open_report.reporter
            for open_report in comment.reports.filter(resolved_at__isnull=True).select_related("reporter")
        ]
        open_reports = len(reporters)
        weight = sum(report_weight(reporter, comment.thread.hub) for reporter in reporters)
        _flag_report_burst(comment)
        if (
            comment.is_visible
            and weight >= settings.DISCUSSIONS_REPORTS_TO_HIDE
            and not is_hidden_only_by_coordinators(comment)
        ):
            _hide(comment, automatically=True)
            _log(
                actor=None,
                kind=ModerationActionKind.AUTO_HIDE,
                thread=comment.thread,
                comment=comment,
                user=comment.author,
                reason=ngettext("Reported by %(count)s person", "Reported by %(count)s people", open_reports)
                % {"count": open_reports},
            )
            logger.info("Comment %s hidden after %s reports", comment.pk, open_reports)
    return report


def reports_on_author_recently(author_id: int, hub_id: int) -> int:
    """Reports filed in the last ``DISCUSSIONS_REPORT_BURST_MINUTES`` on ``author_id``'s comments in a hub."""
    since = timezone.now() - timedelta(minutes=settings.DISCUSSIONS_REPORT_BURST_MINUTES)
    return CommentReport.objects.filter(
        comment__author_id=author_id, comment__thread__hub_id=hub_id, created_at__gte=since
    ).count()


def _flag_report_burst(comment: Comment) -> None:
    """When the reports on one person's comments in a hub reach ``DISCUSSIONS_REPORT_BURST`` within
    the window, tell the coordinators once (``events.reports_burst``; the queue lists such people
    while the burst lasts): a pile-on, or sock puppets, or someone who needs a coordinator now."""
    if comment.author_id is None:
        return
    count = reports_on_author_recently(comment.author_id, comment.thread.hub_id)
    if count == settings.DISCUSSIONS_REPORT_BURST:
        author, hub = comment.author, comment.thread.hub
        logger.warning("Report burst: %s reports on user %s's comments in hub %s", count, author.pk, hub.pk)
        transaction.on_commit(
            lambda: events.reports_burst.send(sender=CommentReport, hub=hub, user=author, count=count)
        )


def _set_lock(*, actor, thread: Thread, locked: bool, reason: str) -> Thread:
    if not can_moderate_thread(actor, thread):
        raise PermissionDenied(_("Only the hub's coordinators moderate its discussions."))
    reason = _reason(reason, required=locked)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if thread.locked == locked:
            raise ValidationError(_("This thread is already locked.") if locked else _("This thread is not locked."))
        seq = _next_seq(thread)
        Thread.objects.filter(pk=thread.pk).update(locked=locked, lock_seq=seq)
        thread.locked, thread.lock_seq = locked, seq
        _log(
            actor=actor,
            kind=ModerationActionKind.LOCK if locked else ModerationActionKind.UNLOCK,
            thread=thread,
            reason=reason,
        )
        dependency.changed(*dependency.dependencies_of(thread))  # an update() sends no signal
        transaction.on_commit(lambda: live.publish_thread_change(thread))
    return thread


def thread_lock(*, actor: User, thread: Thread, reason: str) -> Thread:
    """Stop all commenting in ``thread`` (its coordinators still may); browsers learn of it live."""
    return _set_lock(actor=actor, thread=thread, locked=True, reason=reason)


def thread_unlock(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _set_lock(actor=actor, thread=thread, locked=False, reason=reason)


def thread_pin(*, actor: User, thread: Thread, pinned: bool) -> Thread:
    """Pinned forum topics are listed first."""
    if not can_moderate_thread(actor, thread):
        raise PermissionDenied(_("Only the hub's coordinators moderate its discussions."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(pinned=pinned)
        thread.pinned = pinned
        _log(actor=actor, kind=ModerationActionKind.PIN if pinned else ModerationActionKind.UNPIN, thread=thread)
        dependency.changed(*dependency.dependencies_of(thread))  # an update() sends no signal
    return thread


def user_suspend(*, actor: User, hub, user, ends_at: datetime, reason: str) -> CommentingSuspension:
    """A coordinator stops ``user`` commenting in ``hub`` until ``ends_at``."""
    from cms.permissions import is_hub_coordinator

    if not is_hub_coordinator(actor, hub):
        raise PermissionDenied(_("Only the hub's coordinators moderate its discussions."))
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot suspend yourself."))
    if is_hub_coordinator(user, hub):
        raise ValidationError(_("Coordinators of the hub cannot be suspended from it."))
    reason = _reason(reason)
    now = timezone.now()
    if ends_at <= now:
        raise ValidationError({"ends_at": _("The suspension must end in the future.")})
    if ends_at > now + timedelta(days=SUSPENSION_MAX_DAYS):
        raise ValidationError({"ends_at": _("Suspend for at most a year; the person can be suspended again later.")})
    with transaction.atomic():
        suspension = CommentingSuspension.objects.create(
            hub=hub, user=user, ends_at=ends_at, reason=reason, created_by=actor
        )
        ModerationAction.objects.create(
            hub=hub, actor=actor, kind=ModerationActionKind.SUSPEND, user=user, reason=reason
        )
    logger.info("User %s suspended from commenting in hub %s until %s by %s", user.pk, hub.pk, ends_at, actor.pk)
    return suspension


def suspension_lift(*, actor: User, suspension: CommentingSuspension, reason: str = "") -> CommentingSuspension:
    from cms.permissions import is_hub_coordinator

    if not is_hub_coordinator(actor, suspension.hub):
        raise PermissionDenied(_("Only the hub's coordinators moderate its discussions."))
    if suspension.lifted_at is not None:
        raise ValidationError(_("This suspension has already been lifted."))
    reason = _reason(reason, required=False)
    with transaction.atomic():
        suspension.lifted_at = timezone.now()
        suspension.save(update_fields=["lifted_at"])
        ModerationAction.objects.create(
            hub_id=suspension.hub_id,
            actor=actor,
            kind=ModerationActionKind.LIFT_SUSPENSION,
            user_id=suspension.user_id,
            reason=reason,
        )
    return suspension


def topic_open(*, actor: User, forum, title: str, body: str, session=None) -> tuple[Thread, Comment]:
    """Open a forum topic in ``forum``'s hub with its first comment; all or nothing."""
    _require_user(actor)
    if not audience_allows(page_audience(forum), actor, session):
        raise PermissionDenied(_("You cannot open a topic in this forum."))
    hub = forum.get_hub()
    if hub is None or not can_open_topic(actor, hub):
        suspension = current_suspension(actor, hub.pk) if hub is not None and has_verified_email(actor) else None
        if suspension is not None:
            raise PermissionDenied(suspension_message(suspension, topic=True))
        raise PermissionDenied(_("Confirm your e-mail address before you open a topic."))
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = ValidationError(_("Give the topic a title."), code="required")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Keep the title under %(max)s characters.") % {"max": TITLE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        thread = Thread.objects.create(hub=hub, title=title, author=actor)
        comment = comment_post(actor=actor, thread=thread, body=body, session=session)
    return thread, comment


def project_thread_ensure(project) -> Thread:
    """The project's thread, made on first need (when the project is first published)."""
    thread = Thread.objects.filter(project=project).first()
    if thread is not None:
        return thread
    hub = project.get_hub()
    with transaction.atomic():
        thread, _created = Thread.objects.get_or_create(
            project=project, defaults={"hub": hub, "title": project.title[:TITLE_MAX_LENGTH]}
        )
    return thread


def owned_thread_create(*, hub, title: str, author=None) -> Thread:
    """A thread for something of a higher app (an idea), which stores it in its own one-to-one field
    and registers itself as the thread's owner (``discussions.owners``). The caller checks who may
    make it and holds the transaction."""
    thread = Thread(hub=hub, title=(title or "").strip()[:TITLE_MAX_LENGTH], author=author)
    thread.full_clean()
    thread.save()
    return thread
