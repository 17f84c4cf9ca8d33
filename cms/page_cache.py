"""The content version behind the anonymous full-page cache (``hub.page_cache``).

Every cached page is stored together with the content version that was current when its rendering
began; a cached page is served only while that version is still current. Any write that can
change what a visitor sees on a public page therefore calls ``content_changed()`` once its
transaction commits, and every cached page is out of date at once. There is no per-page
invalidation to get wrong: a change anywhere costs one re-render of each page, which is cheap next
to serving a stale page.

Two ways lead here:

- Services call ``content_changed()`` directly (it defers itself to ``transaction.on_commit``).
  That is required for writes that send no model signals: ``QuerySet.update()``,
  ``bulk_create()``, raw SQL.
- ``connect_signals()`` (from ``CmsConfig.ready``) catches ordinary saves and deletes of the models
  public pages are built from (``CONTENT_APPS`` and ``CONTENT_MODELS``) and Wagtail's publish,
  unpublish and move signals, so that Wagtail's admin, snippets and settings need no code of ours.

The version is a random token in the shared cache, never a counter: if the key is evicted or the
cache is cleared, a fresh token can never coincide with the version of an old cached page.
"""

import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

CONTENT_VERSION_KEY = "dugnad:content-version"

# Every model of these apps feeds public pages (or is cheap enough to count as if it did).
CONTENT_APPS = frozenset(
    {"cms", "goals", "partners", "indicators", "projects", "discussions", "challenges", "taggit", "wagtaildocs"}
)
# Models of other apps that public pages show, as "app_label.ModelName" (lower case).
# Renditions are left out on purpose: rendering a page creates them, and a page that invalidated
# the cache by being rendered would never be served from it.
CONTENT_MODELS = frozenset(
    {
        "wagtailcore.page",
        "wagtailcore.site",
        "wagtailcore.pageviewrestriction",
        "wagtailcore.collectionviewrestriction",
        "wagtailcore.locale",
        "wagtailimages.image",
        "wagtailredirects.redirect",
    }
)


def content_version() -> str:
    """The current content version, created if the cache has none (first request, eviction)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = content_version_reset()
    return version


def content_version_reset() -> str:
    """Create a version if there is none and return whichever version won (another process may race)."""
    cache.add(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(CONTENT_VERSION_KEY) or ""


def _bump() -> None:
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached public page out of date, now and again once the current transaction commits.

    The bump after the commit is the guarantee: a page rendered while the transaction was open
    read the old data, and whatever version it was stored under is replaced after the commit, so
    no page can stay cached from data that a commit has since changed or a rollback undone. The
    bump now makes the change visible at once to later requests on this connection, and to tests,
    whose transactions never commit. Within one transaction the bump after the commit is
    scheduled only once, however often this is called.
    """
    _bump()
    connection = connections[using]
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", ())
        if any(entry[1] is _bump for entry in pending):
            return
        transaction.on_commit(_bump, using=using)


def is_content_model(model) -> bool:
    meta = model._meta
    if meta.app_label in CONTENT_APPS:
        return True
    # Specific page types live in their own apps; the check for Page covers every one of them.
    return any(
        f"{parent._meta.app_label}.{parent._meta.model_name}" in CONTENT_MODELS for parent in meta.get_parent_list()
    ) or (f"{meta.app_label}.{meta.model_name}" in CONTENT_MODELS)


def _on_model_change(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata: fixtures are loaded before any page is served
        return
    if kwargs.get("created") and issubclass(sender, (BaseSiteSetting, BaseGenericSetting)):
        # Rendering a page creates a site's settings with their defaults on its first visit; the
        # page was rendered with exactly those, and editing them later is a save like any other.
        return
    model = sender
    if kwargs.get("action") is not None:  # m2m_changed: sender is the through model
        if not kwargs["action"].startswith("post_"):
            return
        model = type(kwargs["instance"])
    if is_content_model(model) or (kwargs.get("action") is not None and is_content_model(sender)):
        content_changed(using=kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_page_signal(sender, **kwargs):
    content_changed()


def connect_signals() -> None:
    """Connect the model and Wagtail signals (``CmsConfig.ready``)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_model_change, dispatch_uid="cms_page_cache_post_save")
    post_delete.connect(_on_model_change, dispatch_uid="cms_page_cache_post_delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="cms_page_cache_m2m_changed")
    page_published.connect(_on_page_signal, dispatch_uid="cms_page_cache_published")
    page_unpublished.connect(_on_page_signal, dispatch_uid="cms_page_cache_unpublished")
    post_page_move.connect(_on_page_signal, dispatch_uid="cms_page_cache_moved")
