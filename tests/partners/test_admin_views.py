"""The coordinators' side of the partners registry in the Wagtail admin: who sees what, and decisions."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.users.models import UserProfile

from accounts.roles import SITE_ADMINISTRATORS
from partners.models import Partner, Partnership, PartnershipEvent, PartnershipStatus, PartnerTerms
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create, partner_create, partnership_create

pytestmark = pytest.mark.django_db


def in_english(user):
    """Wagtail's admin speaks each user's own language; tests read the English msgids."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def other_hub(hub):
    return hub_create(title="Fjordvik lab", home=hub.get_parent())


@pytest.fixture
def applicant():
    return UserFactory(verified=True, email="kari@example.org", display_name="Kari")


@pytest.fixture
def application(hub, applicant):
    partner = partner_create(name="Havbruk AS", administrator=applicant)
    partnership = partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPLIED, applied_by=applicant)
    PartnershipEvent.objects.create(
        partnership=partnership, from_status="", to_status=PartnershipStatus.APPLIED, actor=applicant
    )
    return partnership


@pytest.fixture
def coordinator(hub):
    return in_english(coordinator_create(hub))


@pytest.fixture
def other_coordinator(other_hub):
    return in_english(coordinator_create(other_hub))


@pytest.fixture
def site_administrator():
    return in_english(UserFactory(superuser=True))


def detail_url(partnership):
    return reverse("partnership_admin:inspect", args=[partnership.pk])


# --- Who sees what ---------------------------------------------------------------------------------


def test_a_coordinator_lists_and_opens_their_hubs_applications(client, coordinator, application):
    client.force_login(coordinator)

    listing = client.get(reverse("partnership_admin:index"))
    detail = client.get(detail_url(application))

    assert listing.status_code == 200
    assert "Havbruk AS" in listing.content.decode()
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Havbruk AS" in page
    assert "kari@example.org" in page
    assert 'value="approved"' in page and 'value="rejected"' in page


def test_a_coordinator_of_another_hub_neither_lists_nor_finds_the_application(client, other_coordinator, application):
    client.force_login(other_coordinator)

    listing = client.get(reverse("partnership_admin:index"))
    detail = client.get(detail_url(application))
    decision = client.post(detail_url(application), {"decision": "approved"})

    assert listing.status_code == 200
    assert "Havbruk AS" not in listing.content.decode()
    assert detail.status_code == 404
    assert decision.status_code == 404
    application.refresh_from_db()
    assert application.status == PartnershipStatus.APPLIED


def test_a_registered_user_is_kept_out_of_the_partners_admin(client, application):
    user = in_english(UserFactory(verified=True))
    client.force_login(user)

    for url in (
        reverse("partnership_admin:index"),
        detail_url(application),
        reverse("partner_admin:index"),
        reverse("partners_admin_export", args=[application.hub_id]),
    ):
        response = client.get(url)
        # No access to the admin at all: Wagtail sends the person to its log-in page.
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('wagtailadmin_login')}?next={url}", url
        assert "Havbruk AS" not in response.content.decode()


def test_a_site_administrator_sees_every_hubs_partnerships(client, site_administrator, application, other_hub):
    other = partnership_create(partner=partner_create(name="Fjordkraft AS"), hub=other_hub)
    client.force_login(site_administrator)

    listing = client.get(reverse("partnership_admin:index")).content.decode()

    assert "Havbruk AS" in listing and "Fjordkraft AS" in listing
    assert client.get(detail_url(other)).status_code == 200


def test_a_member_of_the_site_administrators_group_counts_as_site_administrator(client, application):
    user = in_english(UserFactory(verified=True))
    user.groups.add(Group.objects.get(name=SITE_ADMINISTRATORS))
    client.force_login(user)

    assert client.get(detail_url(application)).status_code == 200


def test_the_list_filters_by_status_and_hub(client, coordinator, hub, application):
    approved = partnership_create(partner=partner_create(name="Sjøbruk AS"), hub=hub)
    client.force_login(coordinator)

    pending = client.get(reverse("partnership_admin:index"), {"status": "applied"}).content.decode()
    by_hub = client.get(reverse("partnership_admin:index"), {"hub": hub.pk}).content.decode()

    assert "Havbruk AS" in pending and approved.partner.name not in pending
    assert "Havbruk AS" in by_hub and "Sjøbruk AS" in by_hub


def test_the_hub_filter_offers_only_the_coordinators_own_hubs(client, coordinator, other_hub, application):
    client.force_login(coordinator)

    page = client.get(reverse("partnership_admin:index")).content.decode()

    assert "Ålesund framtidslab" in page
    assert "Fjordvik lab" not in page


def test_the_partnership_list_costs_the_same_queries_for_more_partnerships(
    client, coordinator, hub, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("partnership_admin:index")).status_code == 200
        return len(captured)

    client.force_login(coordinator)
    partnership_create(partner=partner_create(), hub=hub)
    few = count_queries()
    for _ in range(10):
        partnership_create(partner=partner_create(), hub=hub)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("partnership_admin:index"))
    assert response.status_code == 200


# --- Decisions --------------------------------------------------------------------------------------


def test_approving_in_the_admin_changes_the_status_and_mails_the_applicant(
    client, coordinator, application, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(application), {"decision": "approved", "approved-reason": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == PartnershipStatus.APPROVED
    assert application.decided_by == coordinator
    assert [message.to for message in mailoutbox] == [["kari@example.org"]]
    assert application.events.last().actor == coordinator


def test_rejecting_needs_a_reason_and_the_reason_reaches_the_applicant(
    client, coordinator, application, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(coordinator)

    without = client.post(detail_url(application), {"decision": "rejected", "rejected-reason": " "})
    application.refresh_from_db()
    assert without.status_code == 200
    assert application.status == PartnershipStatus.APPLIED
    assert "This field is required." in without.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(application), {"decision": "rejected", "rejected-reason": "Vi mangler kapasitet."})

    application.refresh_from_db()
    assert application.status == PartnershipStatus.REJECTED
    assert application.events.last().reason == "Vi mangler kapasitet."
    assert len(mailoutbox) == 1
    assert "Vi mangler kapasitet." in mailoutbox[0].body


def test_only_the_transitions_allowed_from_the_current_status_are_offered(client, coordinator, hub):
    partnership = partnership_create(partner=partner_create(), hub=hub, status=PartnershipStatus.SUSPENDED)
    client.force_login(coordinator)

    page = client.get(detail_url(partnership)).content.decode()

    assert 'name="decision" value="approved"' in page  # reinstate
    assert 'name="decision" value="ended"' in page
    assert 'name="decision" value="rejected"' not in page
    assert 'name="decision" value="suspended"' not in page
    assert "Reinstate" in page


def test_a_decision_not_allowed_from_the_current_status_is_refused(client, coordinator, hub):
    partnership = partnership_create(partner=partner_create(), hub=hub, status=PartnershipStatus.APPROVED)
    client.force_login(coordinator)

    response = client.post(detail_url(partnership), {"decision": "rejected", "rejected-reason": "Nei"})

    assert response.status_code == 400
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.APPROVED


def test_suspending_and_reinstating_are_recorded_in_the_history(
    client, coordinator, hub, django_capture_on_commit_callbacks
):
    partnership = partnership_create(partner=partner_create(), hub=hub, status=PartnershipStatus.APPROVED)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(partnership), {"decision": "suspended", "suspended-reason": "Uavklart avtale"})
        client.post(detail_url(partnership), {"decision": "approved", "approved-reason": ""})

    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.APPROVED
    assert list(partnership.events.values_list("to_status", "reason")) == [
        ("suspended", "Uavklart avtale"),
        ("approved", ""),
    ]
    page = client.get(detail_url(partnership)).content.decode()
    assert "Uavklart avtale" in page


# --- Dashboard and menu ---------------------------------------------------------------------------


def test_the_dashboard_shows_how_many_applications_wait_in_the_coordinators_hubs(
    client, coordinator, hub, other_hub, application
):
    partnership_create(partner=partner_create(), hub=hub, status=PartnershipStatus.APPLIED)
    partnership_create(partner=partner_create(), hub=other_hub, status=PartnershipStatus.APPLIED)
    client.force_login(coordinator)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "2 applications are waiting for a decision" in page
    assert f"{reverse('partnership_admin:index')}?status=applied" in page
    assert "Partners (2)" in page


def test_the_dashboard_has_no_partner_panel_for_someone_who_coordinates_nothing(client, application):
    editor = in_english(UserFactory(verified=True))
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Partner applications" not in page
    assert reverse("partnership_admin:index") not in page


# --- Partners and terms ---------------------------------------------------------------------------


def test_a_coordinator_reads_but_does_not_edit_partners_in_their_hub(client, coordinator, application):
    client.force_login(coordinator)
    partner = application.partner

    assert client.get(reverse("partner_admin:inspect", args=[partner.pk])).status_code == 200
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    home = reverse("wagtailadmin_home")
    assert client.get(reverse("partner_admin:edit", args=[partner.pk])).url == home
    assert client.post(reverse("partner_admin:delete", args=[partner.pk])).url == home
    assert Partner.objects.filter(pk=partner.pk).exists()
    listing = client.get(reverse("partner_admin:index")).content.decode()
    assert "Havbruk AS" in listing


def test_a_coordinator_cannot_see_partners_outside_their_hubs(client, other_coordinator, application):
    client.force_login(other_coordinator)

    assert client.get(reverse("partner_admin:inspect", args=[application.partner.pk])).status_code == 404
    assert "Havbruk AS" not in client.get(reverse("partner_admin:index")).content.decode()


def test_a_site_administrator_edits_a_partner_through_the_service(client, site_administrator, application):
    partner = application.partner
    client.force_login(site_administrator)
    url = reverse("partner_admin:edit", args=[partner.pk])
    page = client.get(url)
    assert page.status_code == 200

    response = client.post(
        url,
        {
            "name": "Havbruk Nord AS",
            "slug": partner.slug,
            "kind": partner.kind,
            "organisation_number": f"{partner.organisation_number[:3]} {partner.organisation_number[3:]}",
            "description": '{"blocks": [], "entityMap": {}}',
            "website": "",
            "public_email": "",
            "municipality": "Ålesund",
            "latitude": "",
            "longitude": "",
            "focus_themes": "hav, energi",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    partner.refresh_from_db()
    assert partner.name == "Havbruk Nord AS"
    assert " " not in partner.organisation_number  # normalised by the service
    assert sorted(partner.focus_themes.names()) == ["energi", "hav"]


def test_a_coordinator_publishes_new_terms_for_their_hub_only(client, coordinator, hub, other_hub):
    client.force_login(coordinator)
    url = reverse("partner_terms_admin:add")
    form_page = client.get(url).content.decode()
    assert "Ålesund framtidslab" in form_page and "Fjordvik lab" not in form_page

    refused = client.post(url, {"hub": other_hub.pk, "text": '{"blocks": [], "entityMap": {}}'})
    assert refused.status_code == 200
    assert not PartnerTerms.objects.exists()

    text = '{"blocks": [{"key": "a", "type": "unstyled", "text": "Vi deler kunnskap.", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'  # noqa: E501
    response = client.post(url, {"hub": hub.pk, "text": text})

    assert response.status_code == 302
    terms = PartnerTerms.objects.get()
    assert terms.hub == hub and terms.created_by == coordinator
    assert "Vi deler kunnskap." in terms.text
    listing = client.get(reverse("partner_terms_admin:index")).content.decode()
    assert "Ålesund framtidslab" in listing


def test_terms_of_another_hub_are_private(client, other_coordinator, hub, coordinator):
    from partners.services import partner_terms_publish

    terms = partner_terms_publish(actor=coordinator, hub=hub, text="<p>Hemmelig</p>")
    client.force_login(other_coordinator)

    assert client.get(reverse("partner_terms_admin:inspect", args=[terms.pk])).status_code == 404
    assert "Hemmelig" not in client.get(reverse("partner_terms_admin:index")).content.decode()


def test_the_application_shows_which_terms_were_accepted(client, coordinator, hub, application):
    from django.utils import timezone

    from partners.services import partner_terms_publish

    terms = partner_terms_publish(actor=coordinator, hub=hub, text="<p>Vilkår</p>")
    Partnership.objects.filter(pk=application.pk).update(terms=terms, terms_accepted_at=timezone.now())
    client.force_login(coordinator)

    page = client.get(detail_url(application)).content.decode()

    assert reverse("partner_terms_admin:inspect", args=[terms.pk]) in page
