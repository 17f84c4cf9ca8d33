"""Who may do what with the site pages. Views, templates and services all ask these predicates."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from accounts.request_memo import remembered
from accounts.roles import SITE_ADMINISTRATORS
from cms.models import HubPage


def is_site_administrator(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Superusers and members of the "Site administrators" group run the whole installation."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or SITE_ADMINISTRATORS in _groups(user).values()


def _groups(user) -> dict[int, str]:
    """The person's groups (id: name), read once per request: one query answers every hub's question."""
    return remembered(user, "cms:groups", lambda: dict(user.groups.values_list("pk", "name")))


def is_hub_coordinator(user: AbstractBaseUser | AnonymousUser | None, hub: HubPage) -> bool:
    """True if ``user`` coordinates ``hub``; site administrators count as coordinators of every hub."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    groups = _groups(user)
    return (hub.coordinators_group_id is not None and hub.coordinators_group_id in groups) or (
        SITE_ADMINISTRATORS in groups.values()
    )


def can_manage_hub_coordinators(user: AbstractBaseUser | AnonymousUser | None, hub: HubPage) -> bool:
    """Only site administrators appoint coordinators: a coordinator cannot widen their own circle."""
    return is_site_administrator(user)
