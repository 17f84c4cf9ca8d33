"""Writes that change the dashboard's figures but not, by themselves, the content version.

Pages, partners, projects (progress updates, outcomes, outcome measurements) and discussions are
content apps of ``cms.page_cache``: their saves and deletes replace the content version already, and
the dashboard's figures (``dashboard.selectors``, in the versioned cache) with it. The indicators
app's models are not, so their saves, deletes and many-to-many changes replace it here, and so does
the indicators app's ``indicators_changed`` event (sent after bulk imports, which send no model
signals) when that app has one. A receiver that fails logs and never breaks the write.
"""

import importlib
import logging

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save

from cms.page_cache import content_changed

logger = logging.getLogger(__name__)

INDICATORS_APP = "indicators"


def _indicators_written(sender, **kwargs):
    if kwargs.get("raw"):
        return
    model = sender
    if kwargs.get("action") is not None:
        if not kwargs["action"].startswith("post_"):
            return
        model = type(kwargs["instance"])
    if model._meta.app_label != INDICATORS_APP and sender._meta.app_label != INDICATORS_APP:
        return
    try:
        content_changed(using=kwargs.get("using") or DEFAULT_DB_ALIAS)
    except Exception:
        logger.exception("Could not mark the dashboard's figures out of date")


def _indicators_event(sender, **kwargs):
    try:
        content_changed()
    except Exception:
        logger.exception("Could not mark the dashboard's figures out of date")


def connect() -> None:
    post_save.connect(_indicators_written, dispatch_uid="dashboard_indicators_post_save")
    post_delete.connect(_indicators_written, dispatch_uid="dashboard_indicators_post_delete")
    m2m_changed.connect(_indicators_written, dispatch_uid="dashboard_indicators_m2m_changed")
    try:
        events = importlib.import_module("indicators.events")
    except ImportError:  # the indicators app has no events yet: its model signals above do
        return
    signal = getattr(events, "indicators_changed", None)
    if signal is not None:
        signal.connect(_indicators_event, dispatch_uid="dashboard_indicators_changed")
