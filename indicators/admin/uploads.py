"""A checked indicators file kept on the server, so "Import" after "Check" needs no second upload.

The same rules as ``partners.import_uploads`` (which this app may not import: both sit on one
layer): the bytes wait in the shared cache for ``UPLOAD_MINUTES`` under a key made of the person,
the hub and a random token; the browser only holds the token, so a token from someone else or for
another hub finds nothing.
"""

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile

UPLOAD_MINUTES = 30
_PREFIX = "indicators-import-upload"


@dataclass(frozen=True)
class KeptUpload:
    token: str
    name: str
    data: bytes

    def as_file(self) -> ContentFile:
        return ContentFile(self.data, name=self.name)


def _key(*, user_id: int, hub_id: int, token: str) -> str:
    return f"{_PREFIX}:{user_id}:{hub_id}:{token}"


def upload_keep(*, user, hub, file) -> KeptUpload:
    file.seek(0)
    kept = KeptUpload(
        token=secrets.token_urlsafe(24), name=str(getattr(file, "name", "") or "indicators"), data=file.read()
    )
    cache.set(
        _key(user_id=user.pk, hub_id=hub.pk, token=kept.token),
        {"name": kept.name, "data": kept.data},
        timeout=UPLOAD_MINUTES * 60,
    )
    return kept


def upload_get(*, user, hub, token: str) -> KeptUpload | None:
    if not token or len(token) > 64:
        return None
    value = cache.get(_key(user_id=user.pk, hub_id=hub.pk, token=token))
    if not isinstance(value, dict):
        return None
    return KeptUpload(token=token, name=value["name"], data=value["data"])


def upload_forget(*, user, hub, token: str) -> None:
    cache.delete(_key(user_id=user.pk, hub_id=hub.pk, token=token))
