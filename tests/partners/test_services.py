"""The partner services: each one's happy path, refusals, validation and atomicity."""

import logging
import re
from datetime import timedelta
from decimal import Decimal
from itertools import product

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.images import get_image_model

from accounts.models import User
from goals.models import Goal
from partners import services
from partners.models import (
    PARTNERSHIP_TRANSITIONS,
    Partner,
    PartnerInvitation,
    PartnerKind,
    PartnerMember,
    PartnerRole,
    Partnership,
    PartnershipEvent,
    PartnershipStatus,
    PartnerTerms,
)
from tests.accounts.factories import UserFactory
from tests.accounts.images import SVG, picture_bytes, upload
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    logo_image_create,
    member_add,
    partner_create,
    partner_terms_create,
    partnership_create,
)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the messages' English wording; the site's default language is Bokmål."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
Image = get_image_model()
S = PartnershipStatus


def _media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _nothing_saved(settings):
    assert not Partner.objects.exists()
    assert not PartnerMember.objects.exists()
    assert not Image.objects.exists()
    assert _media_files(settings) == []


def _create(actor, **fields):
    fields.setdefault("name", "Sunnmøre Sol AS")
    fields.setdefault("kind", PartnerKind.BUSINESS)
    fields.setdefault("organisation_number", "923609016")
    return services.partner_create(actor=actor, **fields)


def _logo(**kwargs):
    return upload(picture_bytes(**kwargs), name="logo.png")


# --- partner_create -------------------------------------------------------------------------------


def test_partner_create_registers_the_organisation_with_its_creator_as_administrator(settings, caplog):
    user = UserFactory(verified=True)
    goal_7, goal_13 = Goal.objects.get(number=7), Goal.objects.get(number=13)
    caplog.set_level(logging.INFO, logger="partners.services")

    partner = _create(
        user,
        organisation_number=" 923 609 016 ",
        website="https://sol.example.no/",
        description='<p style="color:red">Vi lager <strong>solceller</strong>.</p>',
        public_email="post@sol.example.no",
        municipality="Ålesund",
        latitude="62.472251",
        longitude="6,15492",
        goals=[goal_7, goal_13],
        focus_themes=["Energi", " solkraft ", ""],
        logo_upload=_logo(size=(1600, 400)),
    )

    partner.refresh_from_db()
    assert partner.slug == "sunnmre-sol-as" or partner.slug.startswith("sunnm")
    assert partner.organisation_number == "923609016"
    assert partner.description == "<p>Vi lager <strong>solceller</strong>.</p>"
    assert (partner.latitude, partner.longitude) == (Decimal("62.47225"), Decimal("6.15492"))
    assert set(partner.goals.values_list("number", flat=True)) == {7, 13}
    assert set(partner.focus_themes.names()) == {"Energi", "solkraft"}
    assert list(partner.members.values_list("user", "role")) == [(user.pk, PartnerRole.ADMINISTRATOR)]
    logo = partner.logo
    assert logo.collection.name == services.LOGO_COLLECTION_NAME
    assert max(logo.width, logo.height) == services.LOGO_MAX_SIDE
    assert logo.file_size and logo.file_hash
    assert logo.uploaded_by_user == user
    assert len(_media_files(settings)) == 1
    assert f"Partner {partner.pk} created by user {user.pk}" in caplog.text


def test_two_organisations_with_the_same_name_get_different_slugs():
    user = UserFactory(verified=True)
    first = _create(user, organisation_number="923609016")
    second = _create(user, organisation_number="974760673")
    assert first.slug != second.slug
    assert second.slug.startswith(first.slug)


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_partner_create_needs_a_logged_in_user(actor, settings):
    with pytest.raises(PermissionDenied):
        _create(actor)
    _nothing_saved(settings)


def test_partner_create_refuses_an_inactive_user(settings):
    with pytest.raises(PermissionDenied):
        _create(UserFactory(is_active=False))
    _nothing_saved(settings)


@pytest.mark.parametrize(
    ("number", "code"),
    [("923609017", "organisation_number_check_digit"), ("12345", "organisation_number_format")],
)
def test_a_wrong_organisation_number_is_refused_and_nothing_is_saved(number, code, settings):
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), organisation_number=number, logo_upload=_logo())
    assert caught.value.error_dict["organisation_number"][0].code == code
    _nothing_saved(settings)


def test_an_organisation_number_is_required_except_for_a_citizen_initiative(settings):
    user = UserFactory(verified=True)
    with pytest.raises(ValidationError) as caught:
        _create(user, organisation_number="")
    assert "organisation_number" in caught.value.message_dict
    _nothing_saved(settings)

    partner = _create(user, organisation_number="", kind=PartnerKind.CITIZEN_INITIATIVE)
    assert partner.organisation_number == ""


def test_a_duplicate_organisation_number_is_refused_with_a_clear_message():
    existing = partner_create(organisation_number="923609016")
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), organisation_number="923 609 016")
    assert caught.value.message_dict["organisation_number"] == [
        "An organisation with this organisation number is already registered."
    ]
    assert list(Partner.objects.all()) == [existing]
    assert not PartnerMember.objects.exists()


def test_the_database_constraint_decides_a_race_for_the_same_organisation_number(settings, monkeypatch):
    """Two people register the same organisation at once: both pass full_clean, the constraint refuses one."""
    existing = partner_create(organisation_number="923609016")
    # Both registrations passed validation before either was saved.
    monkeypatch.setattr(services, "_validate", lambda partner: partner.full_clean(validate_constraints=False))

    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), organisation_number="923609016", logo_upload=_logo())

    assert caught.value.message_dict["organisation_number"] == [
        "An organisation with this organisation number is already registered."
    ]
    assert list(Partner.objects.all()) == [existing]
    assert not PartnerMember.objects.exists()
    assert not Image.objects.exists()
    assert _media_files(settings) == [], "the stored logo file must be removed with the rolled-back row"


def test_an_oversized_logo_is_refused_at_the_logo_field_and_nothing_is_saved(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 2_000
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), logo_upload=_logo(size=(200, 200), noise=True))
    assert caught.value.error_dict["logo"][0].code == "too_large"
    _nothing_saved(settings)


@pytest.mark.parametrize(
    "bad_upload",
    [
        upload(SVG, name="logo.svg", content_type="image/svg+xml"),
        upload(b"%PDF-1.4 not a picture", name="logo.png"),
        upload(b"", name="empty.png"),
        upload(picture_bytes()[:40], name="truncated.png"),
    ],
    ids=["svg", "pdf", "empty", "truncated"],
)
def test_a_logo_that_is_not_a_picture_is_refused_and_nothing_is_saved(bad_upload, settings):
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), logo_upload=bad_upload)
    assert set(caught.value.error_dict) == {"logo"}
    assert caught.value.error_dict["logo"][0].code in {"unsupported", "empty", "corrupt"}
    _nothing_saved(settings)


@pytest.mark.parametrize(
    ("description", "found"),
    [
        ("<p>Hei</p><script>alert(1)</script>", "<script>"),
        ('<p>Hei <img src="x" onerror="alert(1)"></p>', "onerror"),
        ('<p onclick="steal()">Klikk</p>', "onclick"),
        ("<svg/onload=alert(1)>", "onload"),
    ],
)
def test_scripts_and_event_handlers_in_the_description_are_refused_with_a_specific_message(
    description, found, settings
):
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), description=description, logo_upload=_logo())
    error = caught.value.error_dict["description"][0]
    assert error.code == "active_content"
    assert found in error.messages[0]
    _nothing_saved(settings)


def test_other_unsafe_markup_in_the_description_is_removed_silently():
    partner = _create(
        UserFactory(verified=True),
        description='<p style="x">Les <a href="javascript:alert(1)">mer</a></p><iframe src="https://x.example"></iframe>',
    )
    assert partner.description == '<p>Les <a rel="noopener noreferrer nofollow">mer</a></p>'


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("62.5", None, None),
        (None, "6.1", None),
        ("91", "6.1", "latitude"),
        ("62.5", "-181", "longitude"),
        ("nord", "6.1", "latitude"),
    ],
)
def test_bad_coordinates_are_refused(latitude, longitude, field, settings):
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), latitude=latitude, longitude=longitude)
    if field:
        assert field in caught.value.message_dict
    else:
        assert "both latitude and longitude" in " ".join(caught.value.messages)
    _nothing_saved(settings)


def test_empty_coordinates_mean_none():
    partner = _create(UserFactory(verified=True), latitude="", longitude=" ")
    assert partner.latitude is None and partner.longitude is None


def test_an_invalid_website_or_e_mail_is_refused(settings):
    with pytest.raises(ValidationError) as caught:
        _create(UserFactory(verified=True), website="not a url", public_email="not-an-address")
    assert {"website", "public_email"} <= set(caught.value.message_dict)
    _nothing_saved(settings)


# --- partner_update -------------------------------------------------------------------------------


@pytest.fixture
def administrator():
    return UserFactory(verified=True)


@pytest.fixture
def partner(administrator):
    return partner_create(administrator=administrator, name="Fjordkraft Lab AS")


def test_partner_update_changes_the_profile(partner, administrator, caplog):
    caplog.set_level(logging.INFO, logger="partners.services")
    services.partner_update(
        actor=administrator,
        partner=partner,
        name="Fjordkraft Lab",
        description="<p>Ny <em>tekst</em></p>",
        municipality="Giske",
        goals=[Goal.objects.get(number=14)],
        focus_themes=["Hav"],
    )
    partner.refresh_from_db()
    assert (partner.name, partner.description, partner.municipality) == (
        "Fjordkraft Lab",
        "<p>Ny <em>tekst</em></p>",
        "Giske",
    )
    assert list(partner.goals.values_list("number", flat=True)) == [14]
    assert list(partner.focus_themes.names()) == ["Hav"]
    assert f"Partner {partner.pk} updated by user {administrator.pk}" in caplog.text


def test_partner_update_leaves_goals_and_themes_alone_unless_given(partner, administrator):
    partner.goals.set([Goal.objects.get(number=1)])
    partner.focus_themes.set(["Mat"])
    services.partner_update(actor=administrator, partner=partner, municipality="Sula")
    assert list(partner.goals.values_list("number", flat=True)) == [1]
    assert list(partner.focus_themes.names()) == ["Mat"]


@pytest.mark.parametrize("role", ["member", "other_administrator", "coordinator", "anonymous"])
def test_only_the_partner_s_administrators_edit_it(partner, role):
    hub = hub_create()
    actor = {
        "member": lambda: member_add(partner).user,
        "other_administrator": lambda: member_add(partner_create(), role=PartnerRole.ADMINISTRATOR).user,
        "coordinator": lambda: coordinator_create(hub),
        "anonymous": AnonymousUser,
    }[role]()
    with pytest.raises(PermissionDenied):
        services.partner_update(actor=actor, partner=partner, name="Kapret")
    partner.refresh_from_db()
    assert partner.name == "Fjordkraft Lab AS"


def test_a_failed_update_saves_nothing(partner, administrator):
    partner.goals.set([Goal.objects.get(number=1)])
    with pytest.raises(ValidationError):
        services.partner_update(
            actor=administrator,
            partner=partner,
            name="Nytt navn",
            organisation_number="923609017",
            goals=[Goal.objects.get(number=2)],
        )
    partner.refresh_from_db()
    assert partner.name == "Fjordkraft Lab AS"
    assert list(partner.goals.values_list("number", flat=True)) == [1]


def test_update_to_an_organisation_number_already_registered_is_refused(partner, administrator):
    partner_create(organisation_number="923609016")
    with pytest.raises(ValidationError, match="already registered"):
        services.partner_update(actor=administrator, partner=partner, organisation_number="923609016")


def test_update_refuses_fields_that_are_not_editable(partner, administrator):
    with pytest.raises(ValueError, match="slug"):
        services.partner_update(actor=administrator, partner=partner, slug="kapret")


def test_replacing_the_logo_deletes_the_old_one_we_stored(
    partner, administrator, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.partner_update(actor=administrator, partner=partner, logo_upload=_logo())
    first = partner.logo
    with django_capture_on_commit_callbacks(execute=True):
        services.partner_update(actor=administrator, partner=partner, logo_upload=_logo(size=(20, 20)))
    partner.refresh_from_db()
    assert partner.logo_id != first.pk
    assert list(Image.objects.values_list("pk", flat=True)) == [partner.logo_id]
    assert len(_media_files(settings)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.partner_update(actor=administrator, partner=partner, remove_logo=True)
    partner.refresh_from_db()
    assert partner.logo is None
    assert not Image.objects.exists()
    assert _media_files(settings) == []


def test_removing_a_logo_chosen_from_elsewhere_keeps_the_image(partner, administrator):
    shared = logo_image_create()
    partner.logo = shared
    partner.save()
    services.partner_update(actor=administrator, partner=partner, remove_logo=True)
    assert Image.objects.filter(pk=shared.pk).exists()


def test_a_bad_logo_on_update_changes_nothing(partner, administrator, settings):
    with pytest.raises(ValidationError) as caught:
        services.partner_update(
            actor=administrator, partner=partner, name="Nytt", logo_upload=upload(SVG, name="x.svg")
        )
    assert "logo" in caught.value.error_dict
    partner.refresh_from_db()
    assert partner.name == "Fjordkraft Lab AS"
    assert not Image.objects.exists()
    assert _media_files(settings) == []


def test_a_script_in_an_updated_description_is_refused(partner, administrator):
    with pytest.raises(ValidationError) as caught:
        services.partner_update(actor=administrator, partner=partner, description="<script>x()</script>")
    assert caught.value.error_dict["description"][0].code == "active_content"
    partner.refresh_from_db()
    assert partner.description == ""


# --- Invitations ------------------------------------------------------------------------------------


def _invite(partner, administrator, email="Kari@Example.org", role=PartnerRole.MEMBER):
    return services.member_invite(actor=administrator, partner=partner, email=email, role=role)


def test_member_invite_creates_an_invitation_valid_for_fourteen_days(
    partner, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = _invite(partner, administrator)
    assert invitation.email == "kari@example.org"
    assert invitation.invited_by == administrator
    assert len(invitation.token) >= 32
    assert timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    assert len(callbacks) == 1  # the invitation e-mail, after commit


def test_a_new_invitation_replaces_the_open_one_for_the_same_address(partner, administrator):
    first = _invite(partner, administrator)
    second = _invite(partner, administrator, email="kari@example.org", role=PartnerRole.ADMINISTRATOR)
    assert list(PartnerInvitation.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.token != second.token


def test_a_member_cannot_invite(partner):
    member = member_add(partner).user
    with pytest.raises(PermissionDenied):
        _invite(partner, member)
    assert not PartnerInvitation.objects.exists()


@pytest.mark.parametrize(("email", "role"), [("ikke-en-adresse", PartnerRole.MEMBER), ("a@example.org", "owner")])
def test_member_invite_validates_address_and_role(partner, administrator, email, role):
    with pytest.raises(ValidationError):
        _invite(partner, administrator, email=email, role=role)
    assert not PartnerInvitation.objects.exists()


def test_inviting_someone_who_is_already_a_member_is_refused(partner, administrator):
    member = member_add(partner).user
    with pytest.raises(ValidationError, match="already a member"):
        _invite(partner, administrator, email=member.email.upper())


def test_invitation_accept_makes_the_verified_invitee_a_member(partner, administrator):
    invitation = _invite(partner, administrator, role=PartnerRole.ADMINISTRATOR)
    kari = UserFactory(email="kari@example.org", verified=True)

    member = services.invitation_accept(user=kari, invitation=invitation)

    assert (member.partner, member.user, member.role) == (partner, kari, PartnerRole.ADMINISTRATOR)
    invitation.refresh_from_db()
    assert invitation.accepted_by == kari and invitation.accepted_at is not None


def test_an_invitation_for_another_address_is_refused(partner, administrator):
    invitation = _invite(partner, administrator)
    other = UserFactory(email="ola@example.org", verified=True)
    with pytest.raises(PermissionDenied, match="another e-mail address"):
        services.invitation_accept(user=other, invitation=invitation)
    assert not PartnerMember.objects.filter(user=other).exists()


def test_an_invitation_to_an_unverified_address_is_refused(partner, administrator):
    invitation = _invite(partner, administrator)
    kari = UserFactory(email="kari@example.org")
    EmailAddress.objects.create(user=kari, email="kari@example.org", verified=False, primary=True)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=kari, invitation=invitation)


def test_an_invitation_to_a_secondary_verified_address_is_accepted(partner, administrator):
    invitation = _invite(partner, administrator)
    kari = UserFactory(email="kari.privat@example.org", verified=True)
    EmailAddress.objects.create(user=kari, email="Kari@Example.org", verified=True, primary=False)
    assert services.invitation_accept(user=kari, invitation=invitation).user == kari


def test_an_expired_invitation_is_refused(partner, administrator):
    invitation = _invite(partner, administrator)
    PartnerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    kari = UserFactory(email="kari@example.org", verified=True)
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(user=kari, invitation=invitation)
    assert not PartnerMember.objects.filter(user=kari).exists()


def test_an_invitation_is_used_once(partner, administrator):
    invitation = _invite(partner, administrator)
    stale_copy = PartnerInvitation.objects.get(pk=invitation.pk)
    kari = UserFactory(email="kari@example.org", verified=True)
    services.invitation_accept(user=kari, invitation=invitation)

    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(user=kari, invitation=invitation)
    # The same with an object loaded before the first use: the database row decides.
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(user=kari, invitation=stale_copy)
    assert PartnerMember.objects.filter(user=kari).count() == 1


def test_accepting_needs_a_logged_in_user(partner, administrator):
    invitation = _invite(partner, administrator)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=AnonymousUser(), invitation=invitation)


def test_an_administrator_invitation_promotes_an_existing_member_and_a_member_one_never_demotes(partner, administrator):
    other_admin = member_add(partner, role=PartnerRole.ADMINISTRATOR).user
    kari = UserFactory(email="kari@example.org", verified=True)
    member_add(partner, user=kari)
    invitation = PartnerInvitation.objects.create(
        partner=partner,
        email=kari.email,
        role=PartnerRole.ADMINISTRATOR,
        token="t1",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert services.invitation_accept(user=kari, invitation=invitation).role == PartnerRole.ADMINISTRATOR

    invitation = PartnerInvitation.objects.create(
        partner=partner,
        email=other_admin.email,
        role=PartnerRole.MEMBER,
        token="t2",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert services.invitation_accept(user=other_admin, invitation=invitation).role == PartnerRole.ADMINISTRATOR


def test_invitations_accept_pending_accepts_only_usable_invitations_to_verified_addresses(administrator, partner):
    second_partner = partner_create(administrator=administrator)
    expired_partner = partner_create(administrator=administrator)
    other_address_partner = partner_create(administrator=administrator)
    _invite(partner, administrator)
    _invite(second_partner, administrator, role=PartnerRole.ADMINISTRATOR)
    expired = _invite(expired_partner, administrator)
    PartnerInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    _invite(other_address_partner, administrator, email="ola@example.org")
    kari = UserFactory(email="kari@example.org", verified=True)

    members = services.invitations_accept_pending(user=kari)

    assert {(m.partner, m.role) for m in members} == {
        (partner, PartnerRole.MEMBER),
        (second_partner, PartnerRole.ADMINISTRATOR),
    }
    assert services.invitations_accept_pending(user=kari) == []


def test_invitations_accept_pending_ignores_unverified_and_anonymous_users(partner, administrator):
    _invite(partner, administrator)
    kari = UserFactory(email="kari@example.org")  # no verified address
    assert services.invitations_accept_pending(user=kari) == []
    assert services.invitations_accept_pending(user=AnonymousUser()) == []
    assert not PartnerMember.objects.filter(user=kari).exists()


def test_an_invitation_survives_sign_up_and_is_accepted_when_the_address_is_confirmed(
    client, partner, administrator, mailoutbox
):
    """Invited before having an account: sign up with the address, confirm it, and you are a member."""
    _invite(partner, administrator, role=PartnerRole.ADMINISTRATOR)
    password = "a-long-and-unusual-passphrase"
    client.post(
        reverse("account_signup"),
        {"email": "kari@example.org", "display_name": "Kari", "password1": password, "password2": password},
    )
    kari = User.objects.get(email="kari@example.org")
    assert not PartnerMember.objects.filter(user=kari).exists(), "not before the address is verified"

    confirm_path = re.search(r"/accounts/confirm-email/[^/\s]+/", mailoutbox[-1].body).group(0)
    response = client.post(confirm_path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=kari).verified
    member = PartnerMember.objects.get(user=kari)
    assert (member.partner, member.role) == (partner, PartnerRole.ADMINISTRATOR)
    assert PartnerInvitation.objects.get().accepted_by == kari


def test_an_invitation_is_accepted_when_an_existing_user_logs_in(client, partner, administrator):
    kari = UserFactory(email="kari@example.org", verified=True)
    _invite(partner, administrator)
    from tests.accounts.factories import DEFAULT_PASSWORD

    response = client.post(reverse("account_login"), {"login": "kari@example.org", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert PartnerMember.objects.filter(user=kari, partner=partner, role=PartnerRole.MEMBER).exists()


# --- member_remove and member_role_change -------------------------------------------------------------


def test_an_administrator_removes_a_member(partner, administrator, caplog):
    caplog.set_level(logging.INFO, logger="partners.services")
    member = member_add(partner)
    services.member_remove(actor=administrator, member=member)
    assert not PartnerMember.objects.filter(pk=member.pk).exists()
    assert f"removed member {member.user_id} from partner {partner.pk}" in caplog.text


def test_a_member_cannot_remove_anyone(partner, administrator):
    member = member_add(partner)
    with pytest.raises(PermissionDenied):
        services.member_remove(actor=member.user, member=PartnerMember.objects.get(user=administrator))
    assert PartnerMember.objects.count() == 2


def test_an_administrator_of_another_partner_cannot_remove_members(partner):
    member = member_add(partner)
    outsider = member_add(partner_create(), role=PartnerRole.ADMINISTRATOR).user
    with pytest.raises(PermissionDenied):
        services.member_remove(actor=outsider, member=member)


def test_the_last_administrator_cannot_be_removed(partner, administrator):
    own = PartnerMember.objects.get(user=administrator)
    with pytest.raises(ValidationError) as caught:
        services.member_remove(actor=administrator, member=own)
    assert caught.value.code == "last_administrator"
    assert PartnerMember.objects.filter(pk=own.pk).exists()


def test_with_two_administrators_one_may_go(partner, administrator):
    second = member_add(partner, role=PartnerRole.ADMINISTRATOR)
    services.member_remove(actor=administrator, member=second)
    with pytest.raises(ValidationError):
        services.member_remove(actor=administrator, member=PartnerMember.objects.get(user=administrator))


def test_a_stale_role_does_not_bypass_the_last_administrator_rule(partner, administrator):
    second = member_add(partner)
    stale = PartnerMember.objects.get(pk=second.pk)
    PartnerMember.objects.filter(pk=second.pk).update(role=PartnerRole.ADMINISTRATOR)
    PartnerMember.objects.filter(user=administrator).delete()
    with pytest.raises(ValidationError):
        services.member_remove(actor=second.user, member=stale)


def test_member_role_change_promotes_and_demotes_but_keeps_one_administrator(partner, administrator):
    member = member_add(partner)
    services.member_role_change(actor=administrator, member=member, role=PartnerRole.ADMINISTRATOR)
    assert PartnerMember.objects.get(pk=member.pk).role == PartnerRole.ADMINISTRATOR

    own = PartnerMember.objects.get(user=administrator)
    services.member_role_change(actor=administrator, member=own, role=PartnerRole.MEMBER)
    with pytest.raises(ValidationError) as caught:
        services.member_role_change(actor=member.user, member=member, role=PartnerRole.MEMBER)
    assert caught.value.code == "last_administrator"
    assert PartnerMember.objects.get(pk=member.pk).role == PartnerRole.ADMINISTRATOR


def test_member_role_change_is_for_administrators_and_known_roles(partner, administrator):
    member = member_add(partner)
    with pytest.raises(PermissionDenied):
        services.member_role_change(actor=member.user, member=member, role=PartnerRole.ADMINISTRATOR)
    with pytest.raises(ValidationError):
        services.member_role_change(actor=administrator, member=member, role="owner")
    assert PartnerMember.objects.get(pk=member.pk).role == PartnerRole.MEMBER


# --- Partnerships -------------------------------------------------------------------------------------


@pytest.fixture
def hub():
    return hub_create()


@pytest.fixture
def coordinator(hub):
    return coordinator_create(hub)


def test_partnership_apply_records_the_application(partner, administrator, hub, caplog):
    caplog.set_level(logging.INFO, logger="partners.services")
    partnership = services.partnership_apply(actor=administrator, partner=partner, hub=hub, accept_terms=False)
    partnership.refresh_from_db()
    assert partnership.status == S.APPLIED
    assert partnership.applied_by == administrator
    assert partnership.applied_at is not None
    assert partnership.terms is None and partnership.terms_accepted_at is None
    event = PartnershipEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor) == ("", S.APPLIED, administrator)
    assert f"Partner {partner.pk} applied to hub {hub.pk}" in caplog.text


def test_applying_requires_accepting_the_hub_s_terms_when_it_has_some(partner, administrator, hub):
    partner_terms_create(hub)
    with pytest.raises(ValidationError) as caught:
        services.partnership_apply(actor=administrator, partner=partner, hub=hub, accept_terms=False)
    assert "accept_terms" in caught.value.message_dict
    assert not Partnership.objects.exists()
    assert not PartnershipEvent.objects.exists()


def test_the_newest_terms_are_accepted_and_the_moment_recorded(partner, administrator, hub):
    partner_terms_create(hub, text="<p>Versjon 1</p>")
    newest = partner_terms_create(hub, text="<p>Versjon 2</p>")
    partner_terms_create(hub_create(home=hub.get_parent().specific), text="<p>Annen hub</p>")
    before = timezone.now()
    partnership = services.partnership_apply(actor=administrator, partner=partner, hub=hub, accept_terms=True)
    partnership.refresh_from_db()
    assert partnership.terms == newest
    assert before <= partnership.terms_accepted_at <= timezone.now()
    assert partnership.terms_accepted_at == partnership.applied_at


def test_only_the_partner_s_administrators_apply(partner, hub, coordinator):
    member = member_add(partner).user
    for actor in (member, coordinator, AnonymousUser(), UserFactory(superuser=True)):
        with pytest.raises(PermissionDenied):
            services.partnership_apply(actor=actor, partner=partner, hub=hub, accept_terms=True)
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("status", [S.APPLIED, S.APPROVED, S.SUSPENDED])
def test_no_second_application_while_one_is_open_or_approved(partner, administrator, hub, status):
    partnership_create(partner=partner, hub=hub, status=status)
    with pytest.raises(ValidationError):
        services.partnership_apply(actor=administrator, partner=partner, hub=hub, accept_terms=True)
    assert Partnership.objects.get().status == status
    assert not PartnershipEvent.objects.exists()


@pytest.mark.parametrize("status", [S.REJECTED, S.ENDED])
def test_a_rejected_or_ended_partner_may_apply_again(partner, administrator, hub, coordinator, status):
    old = partnership_create(partner=partner, hub=hub, status=status, decided_by=coordinator, reason="Ikke nå")
    partnership = services.partnership_apply(actor=administrator, partner=partner, hub=hub, accept_terms=True)
    assert partnership.pk == old.pk
    partnership.refresh_from_db()
    assert partnership.status == S.APPLIED
    assert (partnership.decided_by, partnership.decided_at, partnership.reason) == (None, None, "")
    event = PartnershipEvent.objects.get()
    assert (event.from_status, event.to_status) == (status, S.APPLIED)


ALL_PAIRS = list(product(S.values, S.values))


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_partnership_decide_transition_table(partner, hub, coordinator, from_status, to_status, caplog):
    """Every pair of statuses: allowed exactly when the issue's state machine allows it (and never back to applied)."""
    caplog.set_level(logging.INFO, logger="partners.services")
    partnership = partnership_create(partner=partner, hub=hub, status=from_status)
    allowed = to_status != S.APPLIED and to_status in PARTNERSHIP_TRANSITIONS[from_status]
    expected_allowed = (from_status, to_status) in {
        (S.APPLIED, S.APPROVED),
        (S.APPLIED, S.REJECTED),
        (S.APPROVED, S.SUSPENDED),
        (S.SUSPENDED, S.APPROVED),
        (S.APPROVED, S.ENDED),
        (S.SUSPENDED, S.ENDED),
    }
    assert allowed is expected_allowed

    if allowed:
        result = services.partnership_decide(
            actor=coordinator, partnership=partnership, to_status=to_status, reason=" Fordi. "
        )
        assert result.status == to_status
        assert result.decided_by == coordinator
        assert result.decided_at is not None
        assert result.reason == "Fordi."
        event = PartnershipEvent.objects.get()
        assert (event.from_status, event.to_status, event.actor, event.reason) == (
            from_status,
            to_status,
            coordinator,
            "Fordi.",
        )
        assert f"Partnership {partnership.pk}: {from_status} -> {to_status}" in caplog.text
    else:
        with pytest.raises(ValidationError):
            services.partnership_decide(
                actor=coordinator, partnership=partnership, to_status=to_status, reason="Fordi."
            )
        partnership.refresh_from_db()
        assert partnership.status == from_status
        assert partnership.decided_by is None
        assert not PartnershipEvent.objects.exists()


@pytest.mark.parametrize(
    ("from_status", "to_status"), [(S.APPLIED, S.REJECTED), (S.APPROVED, S.SUSPENDED), (S.APPROVED, S.ENDED)]
)
@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reject_suspend_and_end_need_a_reason(partner, hub, coordinator, from_status, to_status, reason):
    partnership = partnership_create(partner=partner, hub=hub, status=from_status)
    with pytest.raises(ValidationError) as caught:
        services.partnership_decide(actor=coordinator, partnership=partnership, to_status=to_status, reason=reason)
    assert "reason" in caught.value.message_dict
    partnership.refresh_from_db()
    assert partnership.status == from_status
    assert not PartnershipEvent.objects.exists()


@pytest.mark.parametrize(("from_status", "to_status"), [(S.APPLIED, S.APPROVED), (S.SUSPENDED, S.APPROVED)])
def test_approving_needs_no_reason(partner, hub, coordinator, from_status, to_status):
    partnership = partnership_create(partner=partner, hub=hub, status=from_status)
    assert (
        services.partnership_decide(actor=coordinator, partnership=partnership, to_status=to_status).status == to_status
    )


def test_a_reason_longer_than_the_field_is_refused(partner, hub, coordinator):
    partnership = partnership_create(partner=partner, hub=hub, status=S.APPLIED)
    with pytest.raises(ValidationError) as caught:
        services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.REJECTED, reason="x" * 2001)
    assert "reason" in caught.value.message_dict


def test_an_unknown_status_is_refused(partner, hub, coordinator):
    partnership = partnership_create(partner=partner, hub=hub, status=S.APPLIED)
    with pytest.raises(ValidationError):
        services.partnership_decide(actor=coordinator, partnership=partnership, to_status="archived")


def test_a_coordinator_decides_only_in_their_own_hub(partner, hub, administrator):
    partnership = partnership_create(partner=partner, hub=hub, status=S.APPLIED)
    other_coordinator = coordinator_create(hub_create(home=hub.get_parent().specific))
    for actor in (other_coordinator, administrator, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.partnership_decide(actor=actor, partnership=partnership, to_status=S.APPROVED)
    partnership.refresh_from_db()
    assert partnership.status == S.APPLIED


def test_a_decision_is_checked_against_the_stored_status_not_a_stale_object(partner, hub, coordinator):
    partnership = partnership_create(partner=partner, hub=hub, status=S.APPLIED)
    stale = Partnership.objects.get(pk=partnership.pk)
    services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.REJECTED, reason="Nei")
    with pytest.raises(ValidationError):
        services.partnership_decide(actor=coordinator, partnership=stale, to_status=S.APPROVED)
    assert Partnership.objects.get().status == S.REJECTED


def test_the_whole_life_of_a_partnership_is_logged(partner, administrator, hub, coordinator):
    partnership = services.partnership_apply(actor=administrator, partner=partner, hub=hub, accept_terms=True)
    services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.APPROVED)
    services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.SUSPENDED, reason="Pause")
    services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.APPROVED)
    services.partnership_decide(actor=coordinator, partnership=partnership, to_status=S.ENDED, reason="Slutt")
    services.partnership_apply(actor=administrator, partner=partner, hub=hub, accept_terms=True)
    assert list(partnership.events.values_list("from_status", "to_status")) == [
        ("", S.APPLIED),
        (S.APPLIED, S.APPROVED),
        (S.APPROVED, S.SUSPENDED),
        (S.SUSPENDED, S.APPROVED),
        (S.APPROVED, S.ENDED),
        (S.ENDED, S.APPLIED),
    ]


# --- Partner terms ------------------------------------------------------------------------------------


def test_a_coordinator_publishes_sanitised_terms_and_the_newest_is_current(hub, coordinator):
    assert services.current_partner_terms(hub) is None
    services.partner_terms_publish(actor=coordinator, hub=hub, text="<p>Første</p>")
    terms = services.partner_terms_publish(
        actor=coordinator, hub=hub, text='<p onclick="x()">Andre</p><script>y</script>'
    )
    assert terms.text == "<p>Andre</p>"
    assert terms.created_by == coordinator
    assert services.current_partner_terms(hub) == terms


def test_only_the_hub_s_coordinators_publish_its_terms(hub, administrator):
    other = coordinator_create(hub_create(home=hub.get_parent().specific))
    for actor in (other, administrator, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.partner_terms_publish(actor=actor, hub=hub, text="<p>Vilkår</p>")
    assert not PartnerTerms.objects.exists()


def test_empty_terms_are_refused(hub, coordinator):
    with pytest.raises(ValidationError):
        services.partner_terms_publish(actor=coordinator, hub=hub, text="<script>x</script>")
    assert not PartnerTerms.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Apply", "Mine", "Invitations"])
def test_a_partner_never_gets_a_slug_that_a_partner_url_uses_itself(name):
    partner = services.partner_create(actor=UserFactory(verified=True), name=name, kind=PartnerKind.CITIZEN_INITIATIVE)

    assert partner.slug == f"{name.lower()}-partner"
