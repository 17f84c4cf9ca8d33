"""Reads of discussions that are more than one line: a thread as its block shows it, forum topics,
where a thread lives on the site.

A thread's block costs a fixed number of queries whatever its length: the comments come in one
query with their authors and the comments they answer, and what the viewer may do is asked of
``discussions.permissions`` once per kind of comment, not once per comment.
"""

import copy
import html
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags
from django.utils.text import Truncator

from accounts.urls_absolute import page_link
from cms.restrictions import public_q
from discussions import permissions
from discussions.models import Comment, CommentingSuspension, CommentReport, ForumIndexPage, Thread
from discussions.owners import owned_q, owner_of
from discussions.rendering import Mentionable

QUOTE_LENGTH = 140


# --- Where a thread lives --------------------------------------------------------------------------


def forum_of(hub) -> ForumIndexPage | None:
    """The hub's live forum page, if it has one."""
    return ForumIndexPage.objects.live().child_of(hub).first()


def public_forum_of(hub) -> ForumIndexPage | None:
    """The hub's live forum page if everyone may see it (for the hub page's "latest discussion")."""
    return ForumIndexPage.objects.live().filter(public_q()).child_of(hub).first()


def thread_page_url(thread: Thread, request=None, *, forum: ForumIndexPage | None = None) -> str | None:
    """The URL of the page that shows ``thread`` (without a fragment): its project's page, or the
    topic's page in its hub's forum. None when there is no such page (a forum that was removed)."""
    if thread.project_id is not None:
        return _page_url(thread.project, request)
    owned = owner_of(thread)
    if owned is not None:
        owner, subject = owned
        return owner.page_url(subject, request)
    forum = forum or forum_of(thread.hub)
    if forum is None:
        return None
    base = _page_url(forum, request)
    return f"{base}{thread.pk}/" if base else None


def _page_url(page, request=None) -> str | None:
    """Relative to the request's site; without a request (notifications, e-mails), as
    ``accounts.urls_absolute.page_link`` has it, so that e-mails put it on ``SITE_URL``."""
    if request is not None:
        return page.get_url(request)
    return page_link(page) or None


def thread_url(thread: Thread, request=None) -> str | None:
    """The canonical URL of ``thread``: the project page's ``#discussion``, or the forum topic's page."""
    url = thread_page_url(thread, request)
    if url is None or (thread.project_id is None and owner_of(thread) is None):
        return url
    return f"{url}#discussion"


def comment_url(comment: Comment, request=None) -> str | None:
    """The canonical URL of one comment: its thread's page at ``#comment-<id>``."""
    url = thread_page_url(comment.thread, request)
    return f"{url}#comment-{comment.pk}" if url else None


def visible_comments() -> QuerySet[Comment]:
    """Comments that are neither deleted nor hidden (``Comment.is_visible`` as a query)."""
    return Comment.objects.filter(deleted_at__isnull=True, hidden_at__isnull=True)


def waiting_comment_q() -> Q:
    """Comments that wait for a coordinator: with open reports, or hidden by reports (the
    moderation queue and the admin dashboard list these)."""
    open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
    return Q(Exists(open_reports)) | Q(hidden_at__isnull=False, hidden_automatically=True)


def thread_for_block(thread_id: int) -> Thread | None:
    """A thread with what its block and its URL need (hub, project)."""
    return Thread.objects.select_related("hub", "project").filter(pk=thread_id).first()


def comment_with_thread(comment_id: int) -> Comment | None:
    """A comment with its thread, the thread's hub and project, its author and the comment it answers."""
    return (
        Comment.objects.select_related("thread__hub", "thread__project", "author", "reply_to__author")
        .filter(pk=comment_id)
        .first()
    )


# --- What a reader sees ----------------------------------------------------------------------------


def comment_excerpt(comment: Comment, length: int = QUOTE_LENGTH) -> str:
    """The start of a comment as plain text, for the quote above a reply (the client shortens the
    same way when the parent changes live: static/js/discussion.js ``excerpt``)."""
    text = " ".join(html.unescape(strip_tags(comment.html)).split())
    return Truncator(text).chars(length)


@dataclass
class Viewer:
    """What one person may do in one thread, asked once; ``controls`` gives it per comment."""

    user: object
    thread: Thread
    can_view: bool
    can_comment: bool
    # Whether they could comment were the thread locked / open: the browser switches the form when
    # the thread is locked or unlocked live.
    can_comment_when_open: bool
    can_comment_when_locked: bool
    can_moderate: bool
    verified: bool
    suspended: bool
    # The suspension in force when ``suspended``: its end and reason are shown to the person.
    suspension: CommentingSuspension | None = None
    # The visitor's session (password restrictions passed), for the per-comment predicates.
    session: object = None
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None and self.user.is_authenticated else None

    def controls(self, comment: Comment) -> dict[str, bool]:
        """Which controls ``comment`` shows this viewer.

        The predicates read of a comment only whether it is the viewer's own, deleted or hidden
        (and its thread, the same for all): they are asked once per such kind of comment.
        """
        own = self.user_id is not None and comment.author_id == self.user_id
        key = (own, comment.is_deleted, comment.is_hidden)
        if key not in self._memo:
            comment.thread = self.thread
            self._memo[key] = {
                "reply": self.can_comment and comment.is_visible,
                "edit": permissions.can_edit_comment(self.user, comment, self.session),
                "delete": permissions.can_delete_comment(self.user, comment),
                "report": permissions.can_report_comment(self.user, comment, self.session),
                "hide": self.can_moderate and comment.is_visible,
                "unhide": self.can_moderate and comment.is_hidden,
            }
        return self._memo[key]


def viewer_for(user, thread: Thread, session=None) -> Viewer:
    """Ask ``discussions.permissions`` what ``user`` may do in ``thread``.

    Whether they could comment were the thread in the other state (locked or open) is the same
    predicate asked of a copy of the thread in that state. Verification and suspension are asked
    only when they explain why someone cannot comment.
    """
    can_view = permissions.can_view_thread(user, thread, session)
    can_comment = can_view and permissions.can_comment(user, thread, session)
    other_state = copy.copy(thread)
    other_state.locked = not thread.locked
    can_comment_other = can_view and permissions.can_comment(user, other_state, session)
    when_open = can_comment_other if thread.locked else can_comment
    authenticated = user is not None and user.is_authenticated
    verified = when_open or (authenticated and permissions.has_verified_email(user))
    suspension = (
        permissions.current_suspension(user, thread.hub_id) if authenticated and verified and not when_open else None
    )
    return Viewer(
        user=user,
        thread=thread,
        can_view=can_view,
        can_comment=can_comment,
        can_comment_when_open=when_open,
        can_comment_when_locked=can_comment if thread.locked else can_comment_other,
        can_moderate=permissions.can_moderate_thread(user, thread),
        verified=verified,
        suspended=suspension is not None,
        suspension=suspension,
        session=session,
    )


def suspension_json(suspension: CommentingSuspension) -> dict[str, str]:
    """The suspension as the JSON error tells it to the browser."""
    return {
        "until": suspension.ends_at.isoformat(),
        "until_text": permissions.suspension_until(suspension),
        "reason": suspension.reason,
    }


@dataclass
class CommentNode:
    """A top-level comment with its replies (one level of nesting), as the block lists them."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def thread_comments(thread: Thread) -> QuerySet[Comment]:
    """A thread's comments oldest first, with their authors and the comments they answer."""
    return (
        Comment.objects.filter(thread=thread).select_related("author", "reply_to__author").order_by("created_at", "pk")
    )


def comment_tree(comments) -> list[CommentNode]:
    """Top-level comments oldest first, each with its replies oldest first.

    A reply sits under the top-level comment its chain of answers leads to (the services answer
    the top-level comment when someone replies to a reply); one whose parent is gone stands alone.
    """
    comments = list(comments)
    by_id = {comment.pk: comment for comment in comments}

    def root_of(comment: Comment) -> Comment:
        seen = {comment.pk}
        while comment.reply_to_id in by_id and comment.reply_to_id not in seen:
            comment = by_id[comment.reply_to_id]
            seen.add(comment.pk)
        return comment

    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in comments:
        root = root_of(comment)
        if root.pk == comment.pk:
            nodes[comment.pk] = CommentNode(comment)
            roots.append(nodes[comment.pk])
    for comment in comments:
        if comment.pk in nodes:
            continue
        node = nodes.get(root_of(comment).pk)
        if node is None:  # only a loop of replies, which the services never make
            nodes[comment.pk] = CommentNode(comment)
            roots.append(nodes[comment.pk])
        else:
            node.replies.append(comment)
    return roots


@dataclass
class ThreadBlock:
    thread: Thread
    last_seq: int
    nodes: list[CommentNode]
    viewer: Viewer
    comment_count: int


def thread_block(thread: Thread, user, session=None) -> ThreadBlock:
    """Everything a thread's block shows ``user``.

    ``thread`` must have been read from the database before this is called (as the views and the
    template tag do): its ``last_seq`` is then older than the comments read here, so a change that
    commits in between is both in the page and replayed by the socket (which the browser applies
    idempotently), never in neither.
    """
    last_seq = thread.last_seq
    comments = list(thread_comments(thread))
    for comment in comments:
        comment.thread = thread
    viewer = viewer_for(user, thread, session)
    return ThreadBlock(
        thread=thread,
        last_seq=last_seq,
        nodes=comment_tree(comments),
        viewer=viewer,
        comment_count=sum(1 for comment in comments if comment.is_visible),
    )


# --- The forum -------------------------------------------------------------------------------------


def forum_topics(hub) -> QuerySet[Thread]:
    """A hub's forum topics: pinned first, then by latest activity, with their authors and the
    number of comments shown.

    The number is a subquery per topic, not a join grouped by topic: PostgreSQL then counts only
    the topics a page shows (after the sort and the limit), not every comment of a busy hub."""
    visible = (
        Comment.objects.filter(thread=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True)
        .order_by()
        .values("thread")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Thread.objects.filter(hub=hub, project__isnull=True)
        .exclude(owned_q())
        .select_related("author")
        .annotate(comment_count=Coalesce(Subquery(visible), 0))
        .order_by("-pinned", "-last_activity_at", "-pk")
    )


def forum_topic(hub, thread_id: int) -> Thread | None:
    """One topic of ``hub``'s forum (not a project's thread), with its hub."""
    return (
        Thread.objects.select_related("hub", "author")
        .filter(pk=thread_id, hub=hub, project__isnull=True)
        .exclude(owned_q())
        .first()
    )


def thread_mentionable(thread: Thread) -> list[Mentionable]:
    """People one can @mention in ``thread``: those who have written in it (and who opened it)."""
    from django.contrib.auth import get_user_model

    user_ids = set(
        Comment.objects.filter(thread=thread, author__isnull=False).values_list("author_id", flat=True).distinct()
    )
    if thread.author_id:
        user_ids.add(thread.author_id)
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).only("pk", "display_name")
    return [Mentionable(user_id=user.pk, name=user.display_name) for user in users if user.display_name]


MENTION_SUGGESTIONS = 8


def mention_suggestions(thread: Thread, query: str, *, exclude_user_id: int | None = None) -> list[str]:
    """Display names (never addresses) of the thread's participants whose name, or a word of it,
    starts with ``query``; at most ``MENTION_SUGGESTIONS``, alphabetical."""
    wanted = " ".join(query.split()).casefold()
    names = set()
    for person in thread_mentionable(thread):
        if person.user_id == exclude_user_id:
            continue
        name = " ".join(person.name.split())
        folded = name.casefold()
        if not wanted or folded.startswith(wanted) or any(word.startswith(wanted) for word in folded.split()):
            names.add(name)
    return sorted(names, key=str.casefold)[:MENTION_SUGGESTIONS]
