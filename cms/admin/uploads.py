"""A checked import file kept on the server, so the coordinator confirms a dry run without choosing it
again (the partners' CSV import, the indicators' CSV and JSON-stat import).

The file's bytes wait in the shared cache (Redis in production) for ``UPLOAD_MINUTES``, under a key
made of the import's purpose, the coordinator, the hub and a random token. The browser only ever holds the token:
a token from another person or for another hub finds nothing, and no path or file name the client
sends is ever opened.
"""

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile

UPLOAD_MINUTES = 30


@dataclass(frozen=True)
class KeptUpload:
    token: str
    name: str
    data: bytes

    def as_file(self) -> ContentFile:
        return ContentFile(self.data, name=self.name)


def _key(*, purpose: str, user_id: int, hub_id: int, token: str) -> str:
    return f"import-upload:{purpose}:{user_id}:{hub_id}:{token}"


def upload_keep(*, purpose: str, user, hub, file) -> KeptUpload:
    """Keep the (already size-checked) uploaded ``file`` for this coordinator and hub; return its token."""
    file.seek(0)
    kept = KeptUpload(
        token=secrets.token_urlsafe(24), name=str(getattr(file, "name", "") or f"{purpose}.csv"), data=file.read()
    )
    cache.set(
        _key(purpose=purpose, user_id=user.pk, hub_id=hub.pk, token=kept.token),
        {"name": kept.name, "data": kept.data},
        timeout=UPLOAD_MINUTES * 60,
    )
    return kept


def upload_get(*, purpose: str, user, hub, token: str) -> KeptUpload | None:
    """The file kept under ``token`` for this coordinator and hub, or None (expired, someone else's, made up)."""
    if not token or len(token) > 64:
        return None
    value = cache.get(_key(purpose=purpose, user_id=user.pk, hub_id=hub.pk, token=token))
    if not isinstance(value, dict):
        return None
    return KeptUpload(token=token, name=value["name"], data=value["data"])


def upload_forget(*, purpose: str, user, hub, token: str) -> None:
    cache.delete(_key(purpose=purpose, user_id=user.pk, hub_id=hub.pk, token=token))
