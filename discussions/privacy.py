"""A person's part in discussions: their comments with every version, reports they filed, suspensions."""

from discussions.models import Comment, CommentingSuspension, CommentReport
from discussions.services import comments_erase_for


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    comments = (
        Comment.objects.filter(author=user)
        .select_related("thread")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    return {
        "comments": [
            {
                "id": comment.pk,
                "thread": comment.thread.title,
                "text": comment.body,
                "posted_at": _iso(comment.created_at),
                "edited_at": _iso(comment.edited_at),
                "deleted_at": _iso(comment.deleted_at),
                "hidden_at": _iso(comment.hidden_at),
                "earlier_versions": [
                    {"text": revision.body, "written_at": _iso(revision.written_at)}
                    for revision in comment.revisions.all()
                ],
            }
            for comment in comments
        ],
        "reports_filed": [
            {"comment": report.comment_id, "reason": report.reason, "note": report.note, "at": _iso(report.created_at)}
            for report in CommentReport.objects.filter(reporter=user).order_by("created_at")
        ],
        "commenting_suspensions": [
            {"from": _iso(item.starts_at), "until": _iso(item.ends_at), "reason": item.reason}
            for item in CommentingSuspension.objects.filter(user=user).order_by("starts_at")
        ],
    }


def erase(user, *, remove_comment_text: bool) -> None:
    comments_erase_for(user=user, remove_text=remove_comment_text)
