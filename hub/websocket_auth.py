"""Channels' ``AuthMiddlewareStack``, without its database hop for a handshake with no session.

Channels resolves ``scope["user"]`` on every handshake with a ``database_sync_to_async`` call,
and those calls queue on the one thread asgiref keeps for a process's thread-sensitive work: a
burst of a thousand readers of a popular thread waits behind a thousand hops that, without a
session cookie, can only answer "anonymous". Here such a handshake gets ``AnonymousUser`` at once;
one with a session cookie is resolved exactly as Channels does it.
"""

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


class SessionAwareAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        if settings.SESSION_COOKIE_NAME not in scope.get("cookies", {}):
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)


def AuthMiddlewareStack(inner):
    return CookieMiddleware(SessionMiddleware(SessionAwareAuthMiddleware(inner)))
