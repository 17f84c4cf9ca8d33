"""Permissions answered once per request: the permission modules stay the one place their rules
live, and keep what they found on the request's user.

``RequestMemoMiddleware`` (after Django's ``AuthenticationMiddleware``) gives the request's user a
fresh memo when it is loaded. A permission asks ``remembered(user, key, compute)``: on that user
``compute()`` runs once per request and key; on any other user object (a service's, a test's, a
websocket's) it runs every time, so nothing outlives the request or is shared between people.
A write that changes a person's own groups, addresses or organisations is followed by a
redirect, so the next request asks afresh.
A page asks "does this person coordinate the hub?" from the header, the follow button, every
comment and the moderation links: one query instead of one per question.
"""

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.utils.functional import SimpleLazyObject, empty

T = TypeVar("T")

MEMO_ATTRIBUTE = "_dugnad_request_memo"


def remembered(user, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for the request's user; every time for any other user object."""
    memo = getattr(user, MEMO_ATTRIBUTE, None) if user is not None else None
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def _with_memo(lazy_user: SimpleLazyObject):
    if lazy_user._wrapped is empty:
        lazy_user._setup()
    user = lazy_user._wrapped
    if user.is_authenticated:
        setattr(user, MEMO_ATTRIBUTE, {})
    return user


class RequestMemoMiddleware:
    """The request's user, still loaded only when first asked for, carries a memo for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lazy_user = request.user
        request.user = SimpleLazyObject(lambda: _with_memo(lazy_user))
        return self.get_response(request)
