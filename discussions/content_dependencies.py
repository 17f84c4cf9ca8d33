"""Which dependency keys (``cms.dependency``) writes to discussions replace: the thread, the page it
belongs to (a project's), and what the hub's lists show of discussions (``hub_discussions``) — not
the hub's other pages, nor other threads."""

from cms import dependency
from discussions.models import Comment, CommentingSuspension, CommentReport, CommentRevision, ModerationAction, Thread


def thread_keys(thread: Thread) -> set[str]:
    keys = {dependency.thread(thread.pk), dependency.hub_discussions(thread.hub_id)}
    if thread.project_id is not None:
        keys.add(dependency.page(thread.project_id))
    return keys


def _comment(comment: Comment) -> set[str]:
    thread = Thread.objects.filter(pk=comment.thread_id).only("pk", "hub_id", "project_id").first()
    return thread_keys(thread) if thread is not None else {dependency.thread(comment.thread_id)}


dependency.register(Thread, thread_keys)
dependency.register(Comment, _comment)
# The history of edits, reports, suspensions and the moderation log are for coordinators only.
dependency.never_public(CommentRevision, CommentReport, CommentingSuspension, ModerationAction)
