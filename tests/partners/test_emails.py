"""E-mails about partnerships and invitations: who gets them, in which language, and only after commit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from partners import emails, services
from partners.models import PartnerRole, PartnershipStatus
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create, member_add, partner_create, partnership_create

pytestmark = pytest.mark.django_db
S = PartnershipStatus


@pytest.fixture
def hub():
    return hub_create(title="Framtidslab Ålesund", default_language="nb")


@pytest.fixture
def coordinator(hub):
    return coordinator_create(hub, preferred_language="en")


@pytest.fixture
def admin_en():
    return UserFactory(verified=True, preferred_language="en", display_name="Erin")


@pytest.fixture
def admin_default():
    return UserFactory(verified=True, preferred_language="", display_name="Kari")


@pytest.fixture
def partner(admin_en, admin_default):
    partner = partner_create(administrator=admin_en, name="Bø & Sønn's Verksted AS")
    member_add(partner, user=admin_default, role=PartnerRole.ADMINISTRATOR)
    member_add(partner, role=PartnerRole.MEMBER, preferred_language="en")
    member_add(partner, role=PartnerRole.ADMINISTRATOR, is_active=False)
    return partner


@pytest.fixture
def languages(monkeypatch):
    """Record the active language each recipient's message is rendered in."""
    seen = {}
    real = emails.render_to_string

    def recording(template_name, context=None, *args, **kwargs):
        recipient = (context or {}).get("recipient")
        key = recipient.email if recipient else (context or {}).get("invitation").email
        seen.setdefault(key, set()).add(translation.get_language())
        return real(template_name, context, *args, **kwargs)

    monkeypatch.setattr(emails, "render_to_string", recording)
    return seen


def test_an_application_mails_the_partner_s_active_administrators_and_the_hub_s_coordinators(
    partner, admin_en, admin_default, hub, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_apply(actor=admin_en, partner=partner, hub=hub, accept_terms=True)

    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted([admin_en.email, admin_default.email, coordinator.email])
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mailoutbox)


def test_each_administrator_gets_their_own_language_else_the_hub_s(
    partner, admin_en, admin_default, hub, mailoutbox, languages, django_capture_on_commit_callbacks
):
    admin_nn = member_add(partner, role=PartnerRole.ADMINISTRATOR, preferred_language="nn").user
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_apply(actor=admin_en, partner=partner, hub=hub, accept_terms=True)

    assert languages == {admin_en.email: {"en"}, admin_default.email: {"nb"}, admin_nn.email: {"nn"}}
    english = next(message for message in mailoutbox if message.to == [admin_en.email])
    assert english.subject == "Bø & Sønn's Verksted AS has applied to Framtidslab Ålesund"
    assert english.body.startswith("Hello Erin,")
    assert "We have received the application from Bø & Sønn's Verksted AS" in english.body


def test_without_a_preferred_language_the_hub_s_language_is_used(
    partner, admin_en, admin_default, mailoutbox, languages, django_capture_on_commit_callbacks
):
    nynorsk_hub = hub_create(default_language="nn")
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_apply(actor=admin_en, partner=partner, hub=nynorsk_hub, accept_terms=True)
    assert languages[admin_default.email] == {"nn"}
    assert languages[admin_en.email] == {"en"}


def test_the_language_of_the_request_does_not_leak_into_the_mail(
    partner, admin_en, admin_default, hub, languages, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.partnership_apply(actor=admin_en, partner=partner, hub=hub, accept_terms=True)
    assert languages[admin_default.email] == {"nb"}


@pytest.mark.parametrize(
    ("from_status", "to_status", "reason", "subject"),
    [
        (S.APPLIED, S.APPROVED, "", "Bø & Sønn's Verksted AS is now a partner of Framtidslab Ålesund"),
        (
            S.APPLIED,
            S.REJECTED,
            "Not a fit",
            "The application from Bø & Sønn's Verksted AS to Framtidslab Ålesund was not approved",
        ),
        (
            S.APPROVED,
            S.SUSPENDED,
            "Unpaid fee",
            "The partnership between Bø & Sønn's Verksted AS and Framtidslab Ålesund is suspended",
        ),
        (S.SUSPENDED, S.APPROVED, "", "Bø & Sønn's Verksted AS is now a partner of Framtidslab Ålesund"),
        (
            S.APPROVED,
            S.ENDED,
            "Moved",
            "The partnership between Bø & Sønn's Verksted AS and Framtidslab Ålesund has ended",
        ),
    ],
)
def test_every_decision_is_mailed_with_its_reason(
    settings,
    partner,
    admin_en,
    admin_default,
    hub,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
    from_status,
    to_status,
    reason,
    subject,
):
    partnership = partnership_create(partner=partner, hub=hub, status=from_status)
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_decide(actor=coordinator, partnership=partnership, to_status=to_status, reason=reason)

    assert len(mailoutbox) == 2
    english = next(message for message in mailoutbox if message.to == [admin_en.email])
    assert english.subject == subject
    assert "\n" not in english.subject
    if reason:
        assert f"Reason: {reason}" in english.body
    else:
        assert "Reason:" not in english.body
    manage_url = settings.SITE_URL + reverse("partner_manage", args=[partner.slug])
    assert manage_url in english.body


def test_no_mail_is_sent_until_the_transaction_commits(
    partner, admin_en, hub, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.partnership_apply(actor=admin_en, partner=partner, hub=hub, accept_terms=True)
        assert mailoutbox == []
    assert len(callbacks) == 2  # the e-mail, and the event other apps (notifications) listen to
    assert mailoutbox == []


def test_no_mail_when_the_surrounding_transaction_rolls_back(
    partner, admin_en, hub, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.partnership_apply(actor=admin_en, partner=partner, hub=hub, accept_terms=True)
        raise RuntimeError("something later in the same request failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not partner.partnerships.exists()


def test_no_mail_when_the_service_refuses(
    partner, admin_en, hub, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    partnership = partnership_create(partner=partner, hub=hub, status=S.APPLIED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.ENDED, reason="x")
    assert callbacks == []
    assert mailoutbox == []


def test_a_failing_mail_server_does_not_undo_the_decision(
    partner, admin_en, hub, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    partnership = partnership_create(partner=partner, hub=hub, status=S.APPLIED)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(emails.EmailMultiAlternatives, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.APPROVED)
    partnership.refresh_from_db()
    assert partnership.status == S.APPROVED


def test_an_invitation_is_mailed_to_the_invited_address_in_the_inviter_s_language(
    partner, admin_en, mailoutbox, languages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.member_invite(actor=admin_en, partner=partner, email="ny@example.org")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ny@example.org"]
    assert languages == {"ny@example.org": {"en"}}
    assert message.subject == "You are invited to join Bø & Sønn's Verksted AS on Dugnad"
    assert f"/partners/invitations/{invitation.token}/" in message.body
    assert "Erin has invited you to act for Bø & Sønn's Verksted AS" in message.body


def test_an_invitation_to_someone_with_an_account_uses_their_language(
    partner, admin_en, languages, django_capture_on_commit_callbacks
):
    UserFactory(email="ny@example.org", preferred_language="nn")
    with django_capture_on_commit_callbacks(execute=True):
        services.member_invite(actor=admin_en, partner=partner, email="ny@example.org")
    assert languages == {"ny@example.org": {"nn"}}


def test_an_invitation_from_someone_without_a_language_uses_the_site_s(
    partner, admin_default, languages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_invite(actor=admin_default, partner=partner, email="ny@example.org")
    assert languages == {"ny@example.org": {"nb"}}
