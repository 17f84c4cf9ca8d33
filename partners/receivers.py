"""Hooks into allauth so that an invitation survives sign-up.

An invitation is matched by a verified address: when someone confirms an address or logs in, every
open invitation to one of their verified addresses is accepted (``invitations_accept_pending``).
Connected in ``PartnersConfig.ready``; accounts knows nothing of partners.
"""

from partners.services import invitations_accept_pending


def accept_invitations_on_login(sender, request, user, **kwargs):
    invitations_accept_pending(user=user)


def accept_invitations_on_email_confirmed(sender, request, email_address, **kwargs):
    invitations_accept_pending(user=email_address.user)
