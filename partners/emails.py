"""E-mails about partners, sent after the change that causes them has committed.

Each recipient gets the message in their own preferred language, or else in the hub's.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.urls_absolute import absolute_url
from partners.models import PartnerInvitation, PartnerRole, PartnershipEvent

logger = logging.getLogger(__name__)


def _send(*, recipient_email: str, language: str, template: str, context: dict) -> None:
    """Render and send one plain-text message in ``language`` (the site's default if empty)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        # A subject is one line: a header with a newline in it is refused by Django.
        subject = " ".join(render_to_string(f"partners/email/{template}_subject.txt", context).split())
        body = render_to_string(f"partners/email/{template}_body.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[recipient_email])
    message.send()


def partnership_email_send(event_id: int) -> None:
    """Tell the partner's administrators what happened to their partnership."""
    event = PartnershipEvent.objects.select_related("partnership__partner", "partnership__hub", "actor").get(
        pk=event_id
    )
    partnership = event.partnership
    administrators = partnership.partner.members.filter(role=PartnerRole.ADMINISTRATOR, user__is_active=True)
    for member in administrators.select_related("user"):
        _send(
            recipient_email=member.user.email,
            language=member.user.preferred_language or partnership.hub.default_language,
            template="partnership_status",
            context={
                "event": event,
                "partnership": partnership,
                "partner": partnership.partner,
                "hub": partnership.hub,
                "recipient": member.user,
                "organisation_url": absolute_url(reverse("partner_manage", args=[partnership.partner.slug])),
            },
        )
    logger.info("Partnership %s: %s notified", partnership.pk, event.to_status)


def partnership_email_schedule(event: PartnershipEvent) -> None:
    """Send after commit; a failing mail server is logged, and does not turn a saved decision into an error."""
    transaction.on_commit(lambda: partnership_email_send(event.pk), robust=True)


def invitation_email_send(invitation_id: int) -> None:
    """Send the invitation: in the invitee's language if they have an account, else the inviter's."""
    invitation = PartnerInvitation.objects.select_related("partner", "invited_by").get(pk=invitation_id)
    inviter = invitation.invited_by
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    _send(
        recipient_email=invitation.email,
        language=(invitee.preferred_language if invitee else "")
        or (inviter.preferred_language if inviter else "")
        or settings.LANGUAGE_CODE,
        template="invitation",
        context={
            "invitation": invitation,
            "partner": invitation.partner,
            "inviter": inviter,
            "accept_url": absolute_url(invitation.get_absolute_url()),
        },
    )


def invitation_email_schedule(invitation: PartnerInvitation) -> None:
    transaction.on_commit(lambda: invitation_email_send(invitation.pk), robust=True)
