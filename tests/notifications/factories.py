"""Set-up helpers for notification tests: a hub with partners, a published project with its thread,
a forum topic, coordinators and citizens; followers one by one or in bulk.

Everything here is saved directly (no services, no events): the tests then act through the real
services under ``django_capture_on_commit_callbacks(execute=True)``, so the chain signal → receiver
→ task → ``notify`` runs as in production (tasks run at once under the test settings).
"""

import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from discussions.models import Thread
from notifications.models import TARGET_FIELDS, Follow, Notification
from notifications.services import target_kind
from partners.models import PartnerRole
from tests.discussions.factories import comment_create, commenter_create, forum_create, topic_create
from tests.partners.factories import member_add
from tests.projects.factories import goal, project_create, scene_create

_sequence = itertools.count(1)


def citizen_create(**fields):
    """A verified account a month old (no new-account waiting time), with a name one can @mention."""
    number = next(_sequence)
    fields.setdefault("display_name", f"Innbygger {number}")
    fields.setdefault("email", f"citizen{number}@example.org")
    return commenter_create(**fields)


def follow_create(user, target, *, active: bool = True, automatic: bool = False) -> Follow:
    return Follow.objects.create(
        user=user, active=active, automatic=automatic, **{TARGET_FIELDS[target_kind(target)]: target}
    )


def follower_create(target, **fields):
    """A new citizen following ``target``."""
    user = citizen_create(**fields)
    follow_create(user, target)
    return user


def followers_bulk_create(target, count: int) -> list[int]:
    """``count`` active accounts following ``target``, written in bulk (for query-count tests)."""
    start = next(_sequence) * 100_000
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{start + n}@example.org", display_name=f"Følger {start + n}", password="!")
            for n in range(count)
        ]
    )
    field = TARGET_FIELDS[target_kind(target)]
    Follow.objects.bulk_create([Follow(user=user, **{field: target}) for user in users])
    return [user.pk for user in users]


def kinds_by_recipient(**filters) -> dict[int, list[str]]:
    """{recipient id: [kinds]} of the notifications matching ``filters``."""
    found: dict[int, list[str]] = {}
    for recipient_id, kind in Notification.objects.filter(**filters).values_list("recipient_id", "kind"):
        found.setdefault(recipient_id, []).append(kind)
    return found


@dataclass
class NotifyScene:
    """tests.projects' scene (a hub with approved partners, their people, coordinators, a second
    hub) plus a forum, a published project led by ``lead`` with ``participant``, its thread, a
    forum topic, and two citizens who have written in the project's thread (so they can be
    @mentioned)."""

    hub: object
    index: object
    forum: object
    lead: object
    participant: object
    proposer: object
    lead_member: object
    lead_admin: object
    participant_member: object
    coordinator: object
    other_hub: object
    other_coordinator: object
    project: object
    thread: Thread
    topic: Thread
    alice: object
    bob: object


def notify_scene_create() -> NotifyScene:
    base = scene_create()
    forum = forum_create(base.hub)
    project = project_create(
        base.index,
        title="Grønn havn",
        primary_goal=goal(13),
        goals=[goal(7)],
        lead_partner=base.lead,
        partners=[base.participant],
    )
    thread = Thread.objects.get(project=project)
    alice = citizen_create(display_name="Alice Berg")
    bob = citizen_create(display_name="Bob Dahl")
    comment_create(thread, author=alice, body="Først!")
    comment_create(thread, author=bob, body="Enig.")
    return NotifyScene(
        hub=base.hub,
        index=base.index,
        forum=forum,
        lead=base.lead,
        participant=base.participant,
        proposer=base.proposer,
        lead_member=base.lead_member,
        lead_admin=member_add(base.lead, role=PartnerRole.ADMINISTRATOR).user,
        participant_member=base.participant_member,
        coordinator=base.coordinator,
        other_hub=base.other_hub,
        other_coordinator=base.other_coordinator,
        project=project,
        thread=thread,
        topic=topic_create(base.hub, title="Sykkelveier"),
        alice=alice,
        bob=bob,
    )
