"""Who may do what with partners and partnerships: the one place these rules live.

Views, templates, the Wagtail admin and services all ask these predicates.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from cms.models import HubPage
from cms.permissions import is_hub_coordinator, is_site_administrator
from partners.models import Partner, PartnerRole, Partnership, PartnershipStatus

AnyUser = AbstractBaseUser | AnonymousUser | None


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_partner_member(user: AnyUser, partner: Partner) -> bool:
    return _active(user) and partner.members.filter(user=user).exists()


def is_partner_administrator(user: AnyUser, partner: Partner) -> bool:
    return _active(user) and partner.members.filter(user=user, role=PartnerRole.ADMINISTRATOR).exists()


def can_edit_partner(user: AnyUser, partner: Partner) -> bool:
    """Partner administrators edit their own organisation; site administrators any."""
    return is_partner_administrator(user, partner) or is_site_administrator(user)


def can_manage_partner_members(user: AnyUser, partner: Partner) -> bool:
    return can_edit_partner(user, partner)


def can_apply_for_partnership(user: AnyUser, partner: Partner) -> bool:
    """Only the organisation's own administrators apply on its behalf."""
    return is_partner_administrator(user, partner)


def can_decide_partnership(user: AnyUser, partnership: Partnership) -> bool:
    """A coordinator decides on their own hub's partnerships only."""
    return is_hub_coordinator(user, partnership.hub)


def can_view_partnership(user: AnyUser, partnership: Partnership) -> bool:
    """Approved partnerships are public; the rest only for the partner's people and the hub's coordinators."""
    if partnership.status == PartnershipStatus.APPROVED:
        return True
    return is_partner_member(user, partnership.partner) or is_hub_coordinator(user, partnership.hub)


def can_view_partner(user: AnyUser, partner: Partner) -> bool:
    """A partner is public once approved in some hub; before that only its people and deciders see it."""
    if partner.partnerships.filter(status=PartnershipStatus.APPROVED).exists():
        return True
    if is_partner_member(user, partner) or is_site_administrator(user):
        return True
    return any(is_hub_coordinator(user, partnership.hub) for partnership in partner.partnerships.select_related("hub"))


def can_manage_hub_partners(user: AnyUser, hub: HubPage) -> bool:
    """Export, import and the pending list are for the hub's coordinators."""
    return is_hub_coordinator(user, hub)
