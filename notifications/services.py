"""Following, and writing notifications in bulk. Every write to notifications goes through here.

``notify`` is called by background tasks (``notifications.tasks``), never in a request: a comment
in a thread with 10,000 followers costs its poster nothing. It writes all the notifications of an
event in one transaction with a constant number of queries (the recipients' counters are bumped
with one UPDATE, and the notifications written by one INSERT … SELECT from the counters, however
many recipients there are), and announces them to open browsers after the commit.
"""

import json
import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from notifications.emails import schedule_immediate
from notifications.models import TARGET_FIELDS, Follow, FollowTarget, Inbox, Notification

logger = logging.getLogger(__name__)

BULK_BATCH_SIZE = 2000


def target_kind(target) -> str:
    """The FollowTarget of a project page, thread, partner, goal or hub page."""
    from cms.models import HubPage
    from discussions.models import Thread
    from goals.models import Goal
    from partners.models import Partner
    from projects.models import ProjectPage

    for model, kind in (
        (ProjectPage, FollowTarget.PROJECT),
        (Thread, FollowTarget.THREAD),
        (Partner, FollowTarget.PARTNER),
        (Goal, FollowTarget.GOAL),
        (HubPage, FollowTarget.HUB),
    ):
        if isinstance(target, model):
            return kind
    raise TypeError(f"Cannot follow a {type(target).__name__}")


def _lookup(target) -> dict:
    return {TARGET_FIELDS[target_kind(target)]: target}


def follows_of(target):
    """The active follows of ``target``."""
    return Follow.objects.filter(active=True, **_lookup(target))


def is_following(user, target) -> bool:
    return bool(user and user.is_authenticated) and follows_of(target).filter(user=user).exists()


def follow(*, user, target) -> Follow:
    """``user`` follows ``target`` (again, if they had stopped)."""
    follow, created = Follow.objects.get_or_create(user=user, **_lookup(target), defaults={"active": True})
    if not created and not follow.active:
        follow.active = True
        follow.automatic = False
        follow.save(update_fields=["active", "automatic"])
    return follow


def unfollow(*, user, target) -> None:
    """Stop following; remembered, so an automatic follow does not come back."""
    Follow.objects.update_or_create(user=user, **_lookup(target), defaults={"active": False})


def follow_automatically(*, user, target) -> Follow | None:
    """Follow because of what ``user`` did (proposed, commented, is a partner), unless they have
    followed or unfollowed ``target`` before."""
    if user is None or not user.is_active:
        return None
    follow, created = Follow.objects.get_or_create(
        user=user, **_lookup(target), defaults={"active": True, "automatic": True}
    )
    return follow if created else None


def _eligible(recipient_ids: Iterable[int], *, actor_id: int | None, hub_id: int | None) -> list[int]:
    """Active people other than the actor, not suspended in the hub the event happened in."""
    from discussions.models import CommentingSuspension

    ids = set(recipient_ids)
    ids.discard(actor_id)
    if not ids:
        return []
    users = get_user_model().objects.filter(pk__in=ids, is_active=True)
    if hub_id is not None:
        now = timezone.now()
        suspended = CommentingSuspension.objects.filter(
            hub_id=hub_id, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True
        ).values("user_id")
        users = users.exclude(pk__in=suspended)
    return sorted(users.values_list("pk", flat=True))


def notify(
    *,
    kind: str,
    recipient_ids: Iterable[int],
    actor_id: int | None = None,
    hub_id: int | None = None,
    url: str = "",
    data: dict | None = None,
    **about,
) -> list[Notification]:
    """Tell every eligible recipient about one event (``about``: project, thread, comment, partner,
    goal as ids, e.g. ``comment_id=…``). The caller has already left out people who cannot see
    what it is about. Returns the notifications written."""
    ids = _eligible(recipient_ids, actor_id=actor_id, hub_id=hub_id)
    if not ids:
        return []
    with transaction.atomic():
        fields = {"kind": kind, "actor_id": actor_id, "hub_id": hub_id, "url": url, "data": data or {}, **about}
        notifications = _write(ids, fields)
        transaction.on_commit(lambda: _announce([(n.recipient_id, n.seq) for n in notifications]))
        schedule_immediate([n.pk for n in notifications])  # e-mails, after the commit
    logger.info("%s notifications of kind %s written", len(notifications), kind)
    return notifications


def _ids_relation(ids: list[int]) -> tuple[str, list] | None:
    """A one-column relation ``id`` holding ``ids``, from one query parameter whatever their number
    (None on databases other than PostgreSQL and SQLite)."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(CAST(%s AS bigint[])) AS id", [ids]
    if connection.vendor == "sqlite" and connection.features.can_return_columns_from_insert:
        return "SELECT value AS id FROM json_each(%s)", [json.dumps(ids)]
    return None


def _write(ids: list[int], fields: dict) -> list[Notification]:
    """Number and write one notification per recipient, in three statements whatever their number:
    create the missing inboxes, bump every inbox's counter, then INSERT … SELECT one notification per
    inbox, numbered with its new ``last_seq``. (``bulk_create`` would split 10,000 rows into many
    INSERTs: on SQLite Django allows 999 parameters per statement.)"""
    relation = _ids_relation(ids)
    if relation is None:
        return _write_with_orm(ids, fields)
    ids_sql, ids_params = relation
    now = timezone.now()
    inbox = connection.ops.quote_name(Inbox._meta.db_table)
    table = connection.ops.quote_name(Notification._meta.db_table)
    values = {name: value for name, value in {**fields, "created_at": now}.items() if value is not None}
    columns, placeholders, params = [], [], []
    for name, value in values.items():
        field = Notification._meta.get_field(name)
        columns.append(connection.ops.quote_name(field.column))
        is_json = field.get_internal_type() == "JSONField" and connection.vendor == "postgresql"
        placeholders.append("CAST(%s AS jsonb)" if is_json else "%s")
        params.append(json.dumps(value, cls=field.encoder) if is_json else field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {inbox} (user_id, last_seq, read_seq) SELECT ids.id, 0, 0 FROM ({ids_sql}) ids "
            "WHERE 1 = 1 ON CONFLICT (user_id) DO NOTHING",
            ids_params,
        )
        cursor.execute(
            f"UPDATE {inbox} SET last_seq = last_seq + 1 WHERE user_id IN (SELECT ids.id FROM ({ids_sql}) ids)",
            ids_params,
        )
        cursor.execute(
            f"INSERT INTO {table} (recipient_id, seq, {', '.join(columns)}) "
            f"SELECT inbox.user_id, inbox.last_seq, {', '.join(placeholders)} FROM {inbox} inbox "
            f"WHERE inbox.user_id IN (SELECT ids.id FROM ({ids_sql}) ids) RETURNING id, recipient_id, seq",
            [*params, *ids_params],
        )
        rows = sorted(cursor.fetchall(), key=lambda row: row[1])
    notifications = []
    for pk, recipient_id, seq in rows:
        notification = Notification(pk=pk, recipient_id=recipient_id, seq=seq, created_at=now, **fields)
        notification._state.adding = False
        notification._state.db = connection.alias
        notifications.append(notification)
    return notifications


def _write_with_orm(ids: list[int], fields: dict) -> list[Notification]:
    Inbox.objects.bulk_create([Inbox(user_id=user_id) for user_id in ids], ignore_conflicts=True)
    inboxes = Inbox.objects.filter(user_id__in=ids)
    inboxes.update(last_seq=F("last_seq") + 1)
    seqs = dict(inboxes.values_list("user_id", "last_seq"))
    return Notification.objects.bulk_create(
        [Notification(recipient_id=user_id, seq=seqs[user_id], **fields) for user_id in ids],
        batch_size=BULK_BATCH_SIZE,
    )


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of ``user``'s notifications read; returns how many changed."""
    with transaction.atomic():
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
        if notification_ids is not None:
            unread = unread.filter(pk__in=list(notification_ids))
        changed = unread.update(read_at=timezone.now())
        if changed:
            Inbox.objects.get_or_create(user=user)
            Inbox.objects.filter(user=user).update(last_seq=F("last_seq") + 1, read_seq=F("last_seq") + 1)
            seq = Inbox.objects.filter(user=user).values_list("last_seq", flat=True).get()
            transaction.on_commit(lambda: _announce([(user.pk, seq)]))
    return changed


def _announce(changes: list[tuple[int, int]]) -> None:
    """Tell the processes holding these people's sockets (``/ws/me/``) that their inbox changed."""
    from notifications import live

    live.publish_inbox_changes(changes)
