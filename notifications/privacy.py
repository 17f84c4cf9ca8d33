"""A person's part in notifications: what they follow, their notifications and e-mail choices."""

from datetime import timedelta

from django.conf import settings

from notifications.models import EmailPreference, Follow, Inbox, Notification


def _iso(value):
    return value.isoformat() if value else None


def _target(follow: Follow) -> dict:
    for field in ("project", "thread", "partner", "goal", "hub"):
        if getattr(follow, f"{field}_id"):
            return {"kind": field, "id": getattr(follow, f"{field}_id"), "name": str(getattr(follow, field))}
    return {}


def export(user) -> dict:
    follows = Follow.objects.filter(user=user).select_related("project", "thread", "partner", "goal", "hub")
    return {
        "follows": [
            {
                **_target(follow),
                "active": follow.active,
                "automatic": follow.automatic,
                "since": _iso(follow.created_at),
            }
            for follow in follows.order_by("created_at")
        ],
        "notifications": [
            {"kind": item.kind, "data": item.data, "at": _iso(item.created_at), "read_at": _iso(item.read_at)}
            for item in Notification.objects.filter(recipient=user).order_by("seq")
        ],
        "email_preferences": {
            preference.kind: preference.frequency for preference in EmailPreference.objects.filter(user=user)
        },
    }


def erase(user, *, remove_comment_text: bool) -> None:
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    EmailPreference.objects.filter(user=user).delete()
    Inbox.objects.filter(user=user).delete()
    # Others' notifications about what this person did stay, without naming them.
    Notification.objects.filter(actor=user).update(actor=None)


def prune(now) -> int:
    """Delete notifications older than NOTIFICATIONS_RETENTION_DAYS."""
    cutoff = now - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    deleted, _by_model = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
