"""One-click unsubscribing from e-mail without logging in: a signed token in the link says who and what.

The token is signed by ``django.core.signing.Signer`` with its own salt (no timestamp), carrying
the user's id and either one ``EventKind`` or ``"all"``. It does not expire: a link in a
months-old e-mail must still work, and all it can do is stop e-mail to its own recipient. It
authenticates the request by itself, which is why the view that accepts it
(``notifications.views.unsubscribe_view``) needs no CSRF token and supports RFC 8058's one-click
``POST`` from mail clients.
"""

import logging

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse

from accounts.urls_absolute import absolute_url
from notifications.models import EmailFrequency, EmailPreference, EventKind

logger = logging.getLogger(__name__)

SALT = "notifications.unsubscribe"
ALL = "all"


class InvalidToken(Exception):
    """The link was altered, truncated, or its account no longer exists."""


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A token that stops ``kind`` (an EventKind, or ``ALL``) e-mail to user ``user_id``."""
    if kind != ALL and kind not in EventKind.values:
        raise ValueError(f"Unknown kind of notification: {kind}")
    return signing.Signer(salt=SALT).sign_object([user_id, kind])


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """(user id, kind or ``ALL``) from a token; raises ``InvalidToken`` for anything not made here."""
    try:
        user_id, kind = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidToken(str(error)) from error
    if not isinstance(user_id, int) or (kind != ALL and kind not in EventKind.values):
        raise InvalidToken("Malformed token")
    return user_id, kind


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """The absolute link for e-mails (and their ``List-Unsubscribe`` header)."""
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)]))


def unsubscribe_user(token: str):
    """The active user a token belongs to; raises ``InvalidToken`` otherwise."""
    user_id, _kind = unsubscribe_token_read(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidToken("No such account")
    return user


def unsubscribe(*, token: str) -> tuple[object, str]:
    """Stop the e-mail the token names (one kind, or every kind): its preference becomes "never".

    Returns (user, kind). Doing it twice does no harm (mail clients may repeat the one-click POST).
    """
    user = unsubscribe_user(token)
    _user_id, kind = unsubscribe_token_read(token)
    kinds = EventKind.values if kind == ALL else [kind]
    with transaction.atomic():
        EmailPreference.objects.filter(user=user, kind__in=kinds).delete()
        EmailPreference.objects.bulk_create(
            [EmailPreference(user=user, kind=k, frequency=EmailFrequency.NEVER) for k in kinds]
        )
    logger.info("User %s unsubscribed from %s e-mail", user.pk, kind)
    return user, kind
