"""Wagtail's rendition cache, on the default cache, without writing back what a page already had.

``Image.get_rendition`` stores every rendition it returns in the cache, including one it has just
taken from the image's prefetched renditions (which Wagtail marks ``_from_cache``): on a list page
that pickles each image with all its prefetched renditions on every ``{% image %}``, for nothing,
since the next request prefetches them again. This backend drops those writes and passes every
other call to the default cache, so renditions that were not prefetched are still cached.
"""

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache


def _already_had(value) -> bool:
    return bool(getattr(value, "_from_cache", False))


class RenditionCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    @property
    def _cache(self) -> BaseCache:
        return caches[DEFAULT_CACHE_ALIAS]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not _already_had(value):
            self._cache.set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = {key: value for key, value in data.items() if not _already_had(value)}
        return self._cache.set_many(data, timeout, version) if data else []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._cache.add(key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._cache.get(key, default, version)

    def get_many(self, keys, version=None):
        return self._cache.get_many(keys, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._cache.touch(key, timeout, version)

    def delete(self, key, version=None):
        return self._cache.delete(key, version)

    def delete_many(self, keys, version=None):
        return self._cache.delete_many(keys, version)

    def has_key(self, key, version=None):
        return self._cache.has_key(key, version)

    def clear(self):
        return self._cache.clear()
