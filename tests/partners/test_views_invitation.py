"""Accepting an invitation at /partners/invitations/<token>/, and on logging in (allauth's signals)."""

import secrets
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from partners.models import PartnerInvitation, PartnerMember, PartnerRole
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.partners.factories import partner_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def partner():
    return partner_create(name="Havkraft AS", administrator=UserFactory(verified=True, display_name="Anne Admin"))


def _invite(partner, email="kari@example.org", role=PartnerRole.MEMBER, **fields):
    fields.setdefault("expires_at", timezone.now() + timedelta(days=14))
    return PartnerInvitation.objects.create(
        partner=partner, email=email, role=role, token=secrets.token_urlsafe(32), **fields
    )


def test_an_unknown_token_is_404(client):
    assert client.get("/partners/invitations/no-such-token/").status_code == 404


def test_anonymous_visitors_are_offered_to_log_in_or_sign_up_and_come_back(client, partner):
    invitation = _invite(partner)
    url = invitation.get_absolute_url()

    response = client.get(url)
    post = client.post(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Havkraft AS" in html
    assert f'href="/accounts/login/?next={url}"' in html
    assert f'href="/accounts/signup/?next={url}"' in html
    assert '<form method="post" action="' + url not in html
    assert post.status_code == 302 and post.url == f"/accounts/login/?next={url}"


def test_the_invited_person_accepts_with_a_post(client, partner):
    invitation = _invite(partner, role=PartnerRole.ADMINISTRATOR)
    kari = UserFactory(verified=True, email="kari@example.org")
    client.force_login(kari)

    page = client.get(invitation.get_absolute_url()).content.decode()
    response = client.post(invitation.get_absolute_url())

    assert "Accept and join Havkraft AS" in page
    assert response.status_code == 302 and response.url == f"/partners/mine/{partner.slug}/"
    assert PartnerMember.objects.get(partner=partner, user=kari).role == PartnerRole.ADMINISTRATOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == kari
    assert "already been used" in client.get(invitation.get_absolute_url()).content.decode()


def test_someone_logged_in_with_another_address_is_told_why_they_cannot_accept(client, partner):
    invitation = _invite(partner)
    client.force_login(UserFactory(verified=True, email="ola@example.org"))

    page = client.get(invitation.get_absolute_url()).content.decode()
    response = client.post(invitation.get_absolute_url())

    assert "you are logged in as ola@example.org" in page
    assert "Accept and join" not in page
    assert response.status_code == 400
    assert "sent to another e-mail address" in response.content.decode()
    assert not PartnerMember.objects.filter(partner=partner, user__email="ola@example.org").exists()


def test_an_unverified_address_does_not_count(client, partner):
    invitation = _invite(partner)
    kari = UserFactory(email="kari@example.org")
    EmailAddress.objects.create(user=kari, email=kari.email, verified=False, primary=True)
    client.force_login(kari)

    assert "Accept and join" not in client.get(invitation.get_absolute_url()).content.decode()
    assert client.post(invitation.get_absolute_url()).status_code == 400
    assert not PartnerMember.objects.filter(user=kari).exists()


def test_an_expired_invitation_says_so(client, partner):
    invitation = _invite(partner, expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory(verified=True, email="kari@example.org"))

    page = client.get(invitation.get_absolute_url()).content.decode()
    response = client.post(invitation.get_absolute_url())

    assert "This invitation has expired." in page and "Accept and join" not in page
    assert response.status_code == 400
    assert not PartnerMember.objects.filter(user__email="kari@example.org").exists()


def test_pending_invitations_are_accepted_on_logging_in(client, partner):
    _invite(partner)
    kari = UserFactory(verified=True, email="kari@example.org")

    response = client.post("/accounts/login/", {"login": "kari@example.org", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert PartnerMember.objects.filter(partner=partner, user=kari, role=PartnerRole.MEMBER).exists()
