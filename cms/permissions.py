"""Who may do what with the site pages. Views, templates and services all ask these predicates."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.roles import SITE_ADMINISTRATORS
from cms.models import HubPage


def is_site_administrator(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Superusers and members of the "Site administrators" group run the whole installation."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=SITE_ADMINISTRATORS).exists()


def is_hub_coordinator(user: AbstractBaseUser | AnonymousUser | None, hub: HubPage) -> bool:
    """True if ``user`` coordinates ``hub``; site administrators count as coordinators of every hub."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    in_hub_group = Q(pk=hub.coordinators_group_id) if hub.coordinators_group_id else Q(pk__in=[])
    return user.groups.filter(in_hub_group | Q(name=SITE_ADMINISTRATORS)).exists()


def can_manage_hub_coordinators(user: AbstractBaseUser | AnonymousUser | None, hub: HubPage) -> bool:
    """Only site administrators appoint coordinators: a coordinator cannot widen their own circle."""
    return is_site_administrator(user)
