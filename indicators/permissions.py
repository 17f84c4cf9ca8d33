"""Who may do what with a hub's indicators: the one place these rules live.

Importing series, classifying an indicator and editing the hub's list of perspectives are for the
hub's coordinators and the site administrators (``cms.permissions.is_hub_coordinator`` counts
both). Reading indicators is public (the indicator pages are built by another part of the app).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from cms.models import HubPage
from cms.permissions import is_hub_coordinator
from indicators.models import Indicator, Perspective

AnyUser = AbstractBaseUser | AnonymousUser | None


def can_import_indicators(user: AnyUser, hub: HubPage) -> bool:
    """Upload CSV or JSON-stat series into ``hub``."""
    return is_hub_coordinator(user, hub)


def can_classify_indicator(user: AnyUser, indicator: Indicator) -> bool:
    """Set goals, targets, dimension, perspective, quality and UN indicators of one indicator."""
    return is_hub_coordinator(user, indicator.hub)


def can_manage_perspectives(user: AnyUser, hub: HubPage) -> bool:
    """Add, rename, reorder and remove the perspectives of ``hub``."""
    return is_hub_coordinator(user, hub)


def can_edit_perspective(user: AnyUser, perspective: Perspective) -> bool:
    return can_manage_perspectives(user, perspective.hub)
