"""A checked CSV file kept on the server, so the coordinator confirms a dry run without choosing it again.

The file's bytes wait in the shared cache (Redis in production) for ``IMPORT_UPLOAD_MINUTES``, under
a key made of the coordinator, the hub and a random token. The browser only ever holds the token:
a token from another person or for another hub finds nothing, and no path or file name the client
sends is ever opened.
"""

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile

IMPORT_UPLOAD_MINUTES = 30
_PREFIX = "partners-import-upload"


@dataclass(frozen=True)
class KeptUpload:
    token: str
    name: str
    data: bytes

    def as_file(self) -> ContentFile:
        return ContentFile(self.data, name=self.name)


def _key(*, user_id: int, hub_id: int, token: str) -> str:
    return f"{_PREFIX}:{user_id}:{hub_id}:{token}"


def import_upload_keep(*, user, hub, file) -> KeptUpload:
    """Keep the (already size-checked) uploaded ``file`` for this coordinator and hub; return its token."""
    file.seek(0)
    kept = KeptUpload(
        token=secrets.token_urlsafe(24), name=str(getattr(file, "name", "") or "partners.csv"), data=file.read()
    )
    cache.set(
        _key(user_id=user.pk, hub_id=hub.pk, token=kept.token),
        {"name": kept.name, "data": kept.data},
        timeout=IMPORT_UPLOAD_MINUTES * 60,
    )
    return kept


def import_upload_get(*, user, hub, token: str) -> KeptUpload | None:
    """The file kept under ``token`` for this coordinator and hub, or None (expired, someone else's, made up)."""
    if not token or len(token) > 64:
        return None
    value = cache.get(_key(user_id=user.pk, hub_id=hub.pk, token=token))
    if not isinstance(value, dict):
        return None
    return KeptUpload(token=token, name=value["name"], data=value["data"])


def import_upload_forget(*, user, hub, token: str) -> None:
    cache.delete(_key(user_id=user.pk, hub_id=hub.pk, token=token))
