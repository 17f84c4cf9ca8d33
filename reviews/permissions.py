"""Who may draft a hub's Voluntary Local Review: its coordinators and the site administrators.

The draft shows only what is published, but it is a working document for the hub's coordinators,
not a public page, so nobody else may generate it.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from cms.admin.access import coordinated_hubs
from cms.models import HubPage
from cms.permissions import is_hub_coordinator

AnyUser = AbstractBaseUser | AnonymousUser | None


def can_use_reviews(user: AnyUser) -> bool:
    """The "Local review" menu item and form: for people who coordinate some hub, and site administrators."""
    return coordinated_hubs(user).exists()


def can_generate_review(user: AnyUser, hub: HubPage) -> bool:
    """A review draft of ``hub`` (HTML or PDF): its coordinators and the site administrators."""
    return is_hub_coordinator(user, hub)
