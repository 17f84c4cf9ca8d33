"""Who sees the indicators section of the Wagtail admin, and which hubs' indicators.

Coordinators are not given Django model permissions: what they see follows from the hubs they
coordinate (``cms.admin.access.coordinated_hubs``); site administrators see every hub.
"""

from django.shortcuts import get_object_or_404

from cms.admin.access import coordinated_hubs
from cms.models import HubPage
from indicators.models import Indicator, Perspective
from indicators.permissions import can_classify_indicator, can_edit_perspective, can_manage_perspectives


def can_use_indicators_admin(user) -> bool:
    """The section is for site administrators and coordinators of some hub (remembered per request)."""
    cached = getattr(user, "_can_use_indicators_admin", None)
    if cached is None:
        cached = coordinated_hubs(user).exists()
        if user is not None:
            user._can_use_indicators_admin = cached
    return cached


def hub_for(user, hub_id: int) -> HubPage | None:
    """The hub, if this person manages its indicators; None means "refuse with 403"."""
    hub = get_object_or_404(HubPage, pk=hub_id)
    return hub if can_manage_perspectives(user, hub) else None


def indicator_for(user, pk: int) -> Indicator | None:
    indicator = get_object_or_404(Indicator.objects.select_related("hub", "perspective"), pk=pk)
    return indicator if can_classify_indicator(user, indicator) else None


def perspective_for(user, pk: int) -> Perspective | None:
    perspective = get_object_or_404(Perspective.objects.select_related("hub"), pk=pk)
    return perspective if can_edit_perspective(user, perspective) else None
