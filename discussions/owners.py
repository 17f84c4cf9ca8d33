"""Threads that belong to something of a higher app (an idea; later a challenge).

``discussions`` may not import the apps above it, so they lend it what it needs to know about their
threads through the Wagtail hook ``register_thread_owner``: a function returning a ``ThreadOwner``.
Such a thread has no project; it is not a forum topic (the forum leaves it out), its page is its
owner's page, and it is visible exactly when its owner says so. The owner is found through the
reverse one-to-one accessor ``related_name`` (``Idea.thread`` → ``thread.idea``), which Django
caches on the thread, so asking twice costs one query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from wagtail import hooks


@dataclass(frozen=True)
class ThreadOwner:
    # The reverse accessor of the owner's one-to-one field onto Thread ("idea").
    related_name: str
    # (owner object, request or None) -> the URL of the owner's page, or None.
    page_url: Callable
    # (owner object) -> the page whose audience (publication, view restrictions) the thread follows.
    audience_page: Callable
    # (user, owner object) -> whether the user may see the owner (a hidden idea, say), besides the audience.
    can_view: Callable


@cache
def thread_owners() -> tuple[ThreadOwner, ...]:
    return tuple(hook() for hook in hooks.get_hooks("register_thread_owner"))


def owner_fields(prefix: str = "") -> list[str]:
    """``select_related`` names that load each thread's owner with it, so a list of threads (or of
    comments, with ``prefix="thread__"``) asks no query per thread to learn it has none."""
    return [f"{prefix}{owner.related_name}" for owner in thread_owners()]


def owned_q() -> Q:
    """Threads that belong to a higher app's object (to be left out of the forum)."""
    q = Q(pk__in=[])
    for owner in thread_owners():
        q |= Q(**{f"{owner.related_name}__isnull": False})
    return q


def owner_of(thread) -> tuple[ThreadOwner, object] | None:
    """The owner kind and object of ``thread``, or None for a project's thread or a forum topic."""
    if thread.project_id is not None or thread.pk is None:
        return None
    for owner in thread_owners():
        try:
            subject = getattr(thread, owner.related_name)
        except ObjectDoesNotExist:
            continue
        if subject is not None:
            return owner, subject
    return None
