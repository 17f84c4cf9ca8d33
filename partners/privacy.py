"""A person's part in partners: memberships, applications they filed, terms they accepted, invitations."""

import logging

from django.db.models import Q

from partners.models import PartnerInvitation, PartnerMember, PartnerRole, Partnership, PartnershipEvent

logger = logging.getLogger(__name__)

# The log entry coordinators find on every partnership of an organisation left without administrator.
NO_ADMINISTRATOR_REASON = "The organisation's last administrator closed their account: it has no administrator now."


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    applications = Partnership.objects.filter(applied_by=user).select_related("partner", "hub", "terms")
    return {
        "memberships": [
            {"organisation": member.partner.name, "role": member.role, "joined_at": _iso(member.joined_at)}
            for member in PartnerMember.objects.filter(user=user).select_related("partner").order_by("joined_at")
        ],
        "applications": [
            {
                "organisation": partnership.partner.name,
                "hub": partnership.hub.title,
                "status": partnership.status,
                "applied_at": _iso(partnership.applied_at),
                "reason": partnership.reason,
            }
            for partnership in applications
        ],
        "consents": [
            {
                "what": "partner terms",
                "hub": partnership.hub.title,
                "terms_version": partnership.terms_id,
                "accepted_at": _iso(partnership.terms_accepted_at),
            }
            for partnership in applications
            if partnership.terms_accepted_at
        ],
        "invitations_received": [
            {"organisation": invitation.partner.name, "role": invitation.role, "sent_at": _iso(invitation.created_at)}
            for invitation in PartnerInvitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))
            .select_related("partner")
            .order_by("created_at")
        ],
    }


def erase(user, *, remove_comment_text: bool) -> None:
    """End the person's memberships; an organisation left without administrator is logged for its hubs."""
    administered = list(
        PartnerMember.objects.filter(user=user, role=PartnerRole.ADMINISTRATOR).values_list("partner_id", flat=True)
    )
    PartnerMember.objects.filter(user=user).delete()
    PartnerInvitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
    orphaned = set(administered) - set(
        PartnerMember.objects.filter(partner_id__in=administered, role=PartnerRole.ADMINISTRATOR).values_list(
            "partner_id", flat=True
        )
    )
    for partnership in Partnership.objects.filter(partner_id__in=orphaned):
        PartnershipEvent.objects.create(
            partnership=partnership,
            from_status=partnership.status,
            to_status=partnership.status,
            reason=NO_ADMINISTRATOR_REASON,
        )
        logger.warning("Partner %s has no administrator left (partnership %s)", partnership.partner_id, partnership.pk)
