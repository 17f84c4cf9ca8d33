"""Who may do what with consultations: the one place these rules live.

Coordinators of the hub (and site administrators: ``cms.permissions.is_hub_coordinator`` counts
both) build consultations, make and void access codes, moderate free text, export the answers and
publish the summary. Anyone may see a consultation once it has opened; anyone with an active
account, or anyone holding a valid access code on their device, may answer while it is open.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cms.models import HubPage
from cms.permissions import is_hub_coordinator
from consultations.models import Consultation, ResultsPolicy

AnyUser = AbstractBaseUser | AnonymousUser | None


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage_consultations(user: AnyUser, hub: HubPage) -> bool:
    """Create and edit the consultations of ``hub``, its codes, moderation, export and summary."""
    return is_hub_coordinator(user, hub)


def can_see_consultation(user: AnyUser, consultation: Consultation, now=None) -> bool:
    """Opened consultations are public; one that has not opened yet only for its coordinators."""
    return consultation.has_opened(now) or can_manage_consultations(user, consultation.hub)


def can_answer(user: AnyUser, consultation: Consultation, *, has_code: bool = False, now=None) -> bool:
    """While it is open: people with an active account, or whoever entered a valid access code."""
    if not consultation.is_open(now):
        return False
    return has_code or _active(user)


def can_see_results(user: AnyUser, consultation: Consultation, now=None) -> bool:
    """Coordinators at any time; everyone else after the close, when the policy makes them public."""
    if can_manage_consultations(user, consultation.hub):
        return True
    return consultation.results_policy == ResultsPolicy.PUBLIC_AFTER_CLOSE and consultation.is_closed(
        now or timezone.now()
    )


def can_moderate(user: AnyUser, consultation: Consultation) -> bool:
    return can_manage_consultations(user, consultation.hub)


def can_export_responses(user: AnyUser, consultation: Consultation) -> bool:
    """One CSV row per response: coordinators only (others get counts when results are public)."""
    return can_manage_consultations(user, consultation.hub)


def can_manage_codes(user: AnyUser, consultation: Consultation) -> bool:
    return can_manage_consultations(user, consultation.hub)


def can_write_summary(user: AnyUser, consultation: Consultation) -> bool:
    return can_manage_consultations(user, consultation.hub)
