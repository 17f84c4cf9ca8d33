"""Set-up helpers for discussion tests: threads on projects and in forums, established commenters.

``UserFactory`` makes accounts that are new today, and new accounts wait 30 s between comments:
``commenter_create`` makes a verified account a month old unless ``new=True``.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from discussions.models import ChangeType, Comment, ForumIndexPage, Thread
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create
from tests.projects.factories import project_create, project_index_create


def commenter_create(*, new: bool = False, **fields):
    """A verified user who may comment; a month old unless ``new``."""
    if not new:
        fields.setdefault("date_joined", timezone.now() - timedelta(days=30))
    return UserFactory(verified=True, **fields)


def forum_create(hub, **fields) -> ForumIndexPage:
    fields.setdefault("title", "Forum")
    fields.setdefault("slug", "forum")
    forum = ForumIndexPage(**fields)
    hub.add_child(instance=forum)
    forum.save_revision().publish()
    forum.refresh_from_db()
    return forum


def topic_create(hub, *, title="Et tema", author=None, **fields) -> Thread:
    """A forum thread saved directly (no service, no first comment)."""
    return Thread.objects.create(hub=hub, title=title, author=author, **fields)


def comment_create(thread: Thread, *, author=None, body="En kommentar.", **fields) -> Comment:
    """A comment saved directly (no service, no event), taking the thread's next sequence number."""
    thread.refresh_from_db()
    thread.last_seq += 1
    thread.save(update_fields=["last_seq"])
    fields.setdefault("html", f"<p>{body}</p>")
    fields.setdefault("last_change", ChangeType.COMMENT_CREATED)
    return Comment.objects.create(
        thread=thread, author=author or commenter_create(), body=body, seq=thread.last_seq, **fields
    )


@dataclass
class ThreadScene:
    """A hub with a forum, a published project (with its thread), a coordinator, two commenters, and
    a second hub with its own coordinator."""

    hub: object
    forum: ForumIndexPage
    project: object
    thread: Thread
    topic: Thread
    coordinator: object
    alice: object
    bob: object
    other_hub: object
    other_coordinator: object


def thread_scene_create() -> ThreadScene:
    hub = hub_create(title="Ålesund")
    forum = forum_create(hub)
    index = project_index_create(hub)
    project = project_create(index, title="Grønn havn")
    other_hub = hub_create(title="Molde", home=hub.get_parent().specific)
    return ThreadScene(
        hub=hub,
        forum=forum,
        project=project,
        thread=Thread.objects.get(project=project),
        topic=topic_create(hub, title="Sykkelveier"),
        coordinator=coordinator_create(hub),
        alice=commenter_create(display_name="Alice Berg"),
        bob=commenter_create(display_name="Bob Dahl"),
        other_hub=other_hub,
        other_coordinator=coordinator_create(other_hub),
    )


def contribution_add(user, hub):
    """Give ``user`` an accepted contribution (a visible comment two days old, in a topic of ``hub``
    kept for the purpose), so that their reports count in full (``permissions.report_weight``)."""
    thread = Thread.objects.filter(hub=hub, project=None, title="Tidligere bidrag").first()
    thread = thread or topic_create(hub, title="Tidligere bidrag")
    comment = comment_create(thread, author=user, body="Et tidligere bidrag")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=2))
    return user


def reporter_create(hub, **fields):
    """An established commenter whose reports count in full."""
    return contribution_add(commenter_create(**fields), hub)
