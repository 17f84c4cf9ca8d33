"""An organisation's own pages: "My organisations" and /partners/mine/<slug>/ (profile, people, invitations)."""

import pytest
from django.test import Client

from partners.models import PartnerInvitation, PartnerMember, PartnerRole, PartnershipStatus
from tests.accounts.factories import UserFactory
from tests.accounts.images import picture_bytes, upload
from tests.partners.factories import (
    hub_create,
    logo_image_create,
    member_add,
    partner_create,
    partnership_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    # Pages outside a hub follow the browser's language: ask in English to read the msgids.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def admin():
    return UserFactory(verified=True, display_name="Anne Admin")


@pytest.fixture
def partner(admin):
    return partner_create(name="Havkraft AS", administrator=admin)


def _manage_url(partner):
    return f"/partners/mine/{partner.slug}/"


def _profile(partner, **overrides):
    data = {
        "name": partner.name,
        "kind": partner.kind,
        "organisation_number": partner.organisation_number,
        "municipality": "Giske",
        "description": "<p>Ny tekst.</p>",
        "website": "https://havkraft.example",
        "public_email": "",
        "focus_themes": "hav, energi",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("url", ["/partners/mine/", "/partners/mine/havkraft-as/"])
def test_pages_need_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_my_organisations_lists_each_partnership_with_status_and_reason(client, admin, partner):
    partnership_create(partner=partner, hub=hub_create(title="Ålesund framtidslab"), status=PartnershipStatus.APPLIED)
    home = partner.partnerships.get().hub.get_parent().specific
    partnership_create(
        partner=partner,
        hub=hub_create(home=home, title="Molde lab"),
        status=PartnershipStatus.REJECTED,
        reason="Vi tar ikke inn flere energiselskap i år.",
    )
    other = partner_create(name="Ikke min AS")
    client.force_login(admin)

    html = client.get("/partners/mine/").content.decode()

    assert f'href="{_manage_url(partner)}"' in html
    assert "Ålesund framtidslab" in html and "Molde lab" in html
    assert "Vi tar ikke inn flere energiselskap i år." in html
    assert 'data-color="info">Søkt' in html or 'data-color="info">Applied' in html
    assert other.name not in html


def test_my_organisations_says_what_to_do_when_there_are_none(client):
    client.force_login(UserFactory(verified=True))

    html = client.get("/partners/mine/").content.decode()

    assert 'class="ds-alert"' in html
    assert html.count("<h1") == 1


def test_the_organisation_page_is_404_for_people_who_do_not_act_for_it(client, partner):
    client.force_login(UserFactory(verified=True))

    assert client.get(_manage_url(partner)).status_code == 404
    assert client.post(_manage_url(partner), _profile(partner, name="Kapret")).status_code == 404
    assert client.get("/partners/mine/no-such-organisation/").status_code == 404
    partner.refresh_from_db()
    assert partner.name == "Havkraft AS"


def test_members_see_the_organisation_but_cannot_change_it(client, admin, partner):
    member = member_add(partner, display_name="Magnus Medlem")
    client.force_login(member.user)

    page = client.get(_manage_url(partner))
    edit = client.post(_manage_url(partner), _profile(partner, name="Endret"))
    invite = client.post(f"{_manage_url(partner)}invite/", {"invite-email": "x@example.org", "invite-role": "member"})
    admin_membership = PartnerMember.objects.get(user=admin)
    remove = client.post(f"{_manage_url(partner)}members/{admin_membership.pk}/remove/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Anne Admin" in html and "Magnus Medlem" in html
    assert 'name="invite-email"' not in html and 'name="name"' not in html
    assert admin.email not in html  # addresses are for the administrators
    assert (edit.status_code, invite.status_code, remove.status_code) == (403, 403, 403)
    partner.refresh_from_db()
    assert partner.name == "Havkraft AS"
    assert not PartnerInvitation.objects.exists()
    assert PartnerMember.objects.filter(pk=admin_membership.pk).exists()


def test_administrators_edit_the_profile_and_upload_a_logo(client, admin, partner):
    client.force_login(admin)
    data = _profile(partner, name="Havkraft Norge AS")
    data["logo"] = upload(picture_bytes(size=(300, 100)), name="logo.png")

    response = client.post(_manage_url(partner), data)

    partner.refresh_from_db()
    assert response.status_code == 302
    assert partner.name == "Havkraft Norge AS" and partner.municipality == "Giske"
    assert partner.logo is not None
    assert sorted(partner.focus_themes.names()) == ["energi", "hav"]
    assert 'name="remove_logo"' in client.get(_manage_url(partner)).content.decode()


def test_administrators_remove_the_logo(client, admin):
    partner = partner_create(name="Logo AS", administrator=admin, logo=logo_image_create())
    client.force_login(admin)

    response = client.post(_manage_url(partner), _profile(partner, remove_logo="on"))

    partner.refresh_from_db()
    assert response.status_code == 302
    assert partner.logo is None


def test_an_invalid_profile_is_explained_and_not_saved(client, admin, partner):
    client.force_login(admin)

    response = client.post(_manage_url(partner), _profile(partner, organisation_number="123456789", name=""))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="ds-error-summary"' in html
    assert "check digit" in html or "kontrollsiffer" in html
    partner.refresh_from_db()
    assert partner.name == "Havkraft AS"


def test_the_organisation_number_of_another_organisation_cannot_be_taken(client, admin, partner):
    other = partner_create(name="Annen AS")
    client.force_login(admin)

    response = client.post(_manage_url(partner), _profile(partner, organisation_number=other.organisation_number))

    assert response.status_code == 200
    partner.refresh_from_db()
    assert partner.organisation_number != other.organisation_number


def test_administrators_invite_people(client, admin, partner, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{_manage_url(partner)}invite/", {"invite-email": "Kollega@Example.org", "invite-role": "administrator"}
        )

    invitation = PartnerInvitation.objects.get()
    assert response.status_code == 302
    assert (invitation.email, invitation.role) == ("kollega@example.org", PartnerRole.ADMINISTRATOR)
    assert [message.to for message in mailoutbox] == [["kollega@example.org"]]
    assert "kollega@example.org" in client.get(_manage_url(partner)).content.decode()  # open invitations


def test_inviting_a_member_again_is_explained(client, admin, partner):
    member = member_add(partner)
    client.force_login(admin)

    response = client.post(
        f"{_manage_url(partner)}invite/", {"invite-email": member.user.email, "invite-role": "member"}
    )

    assert response.status_code == 400
    assert 'class="ds-error-summary"' in response.content.decode()
    assert not PartnerInvitation.objects.exists()


def test_administrators_remove_members_but_not_the_last_administrator(client, admin, partner):
    member = member_add(partner)
    client.force_login(admin)

    removed = client.post(f"{_manage_url(partner)}members/{member.pk}/remove/")
    admin_membership = PartnerMember.objects.get(user=admin)
    refused = client.post(f"{_manage_url(partner)}members/{admin_membership.pk}/remove/", follow=True)

    assert removed.status_code == 302
    assert not PartnerMember.objects.filter(pk=member.pk).exists()
    assert PartnerMember.objects.filter(pk=admin_membership.pk).exists()
    assert "An organisation needs at least one administrator." in refused.content.decode()


def test_removing_a_member_of_another_organisation_is_404(client, admin, partner):
    stranger = member_add(partner_create(name="Annen AS"))
    client.force_login(admin)

    response = client.post(f"{_manage_url(partner)}members/{stranger.pk}/remove/")

    assert response.status_code == 404
    assert PartnerMember.objects.filter(pk=stranger.pk).exists()


def test_removing_needs_a_post(client, admin, partner):
    member = member_add(partner)
    client.force_login(admin)

    assert client.get(f"{_manage_url(partner)}members/{member.pk}/remove/").status_code == 405
    assert PartnerMember.objects.filter(pk=member.pk).exists()


def test_profile_changes_are_protected_against_cross_site_requests(admin, partner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)

    response = client.post(_manage_url(partner), _profile(partner, name="Forfalsket"))

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name == "Havkraft AS"


def test_site_administrators_can_manage_any_organisation(client, partner):
    client.force_login(UserFactory(superuser=True))

    response = client.post(_manage_url(partner), _profile(partner, name="Rettet navn AS"))

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Rettet navn AS"


def test_a_burst_of_invitations_is_refused(client, admin, partner, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "member-invitation": (2, 100, 3600)}
    client.force_login(admin)
    statuses = [
        client.post(f"{_manage_url(partner)}invite/", {"invite-email": f"k{n}@example.org", "invite-role": "member"})
        for n in range(3)
    ]

    assert [response.status_code for response in statuses] == [302, 302, 429]
    assert "many times in a short while" in statuses[-1].content.decode()
    assert PartnerInvitation.objects.count() == 2
