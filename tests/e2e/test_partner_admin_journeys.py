"""A coordinator's partner work in the Wagtail admin, in a real browser: decide, export, import."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from partners.models import Partner, PartnershipEvent, PartnershipStatus
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.e2e.harness import assert_accessible, message_text
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    partner_create,
    partnership_create,
    valid_organisation_number,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Resolves when every finite animation on the page has finished (endless ones, like spinners, aside).


@pytest.fixture
def hub(live_asgi_server):
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def coordinator(hub):
    user = coordinator_create(hub, email="koordinator@example.org", display_name="Kim Koordinator")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the journey reads the English msgids
    profile.save()
    return user


def log_in(page, user):
    page.goto("/accounts/login/?next=/admin/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_a_coordinator_rejects_an_application_and_the_applicant_is_told(page, live_asgi_server, hub, coordinator):
    applicant = UserFactory(verified=True, email="kari@example.org", display_name="Kari")
    partner = partner_create(name="Havbruk Sunnmøre AS", administrator=applicant)
    partnership = partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPLIED, applied_by=applicant)
    PartnershipEvent.objects.create(partnership=partnership, to_status=PartnershipStatus.APPLIED, actor=applicant)

    log_in(page, coordinator)
    panel = page.locator("#pending-partnerships-section")
    expect(panel.get_by_text("1 application is waiting for a decision")).to_be_visible()
    page.locator("#wagtail-sidebar").get_by_text("Partners (1)").first.wait_for(state="attached")
    assert_accessible(page)

    panel.get_by_role("link", name="Havbruk Sunnmøre AS").click()
    page.wait_for_url(re.compile(rf"/admin/partners/partnerships/{partnership.pk}/$"))
    expect(page.get_by_text("kari@example.org")).to_be_visible()
    assert_accessible(page)

    rejection = page.locator("form", has=page.locator("input[name=decision][value=rejected]"))
    rejection.get_by_label("Reason").fill("Vi tar ikke inn nye partnere i år.")
    rejection.get_by_role("button", name="Reject").click()
    page.wait_for_url(re.compile(rf"/admin/partners/partnerships/{partnership.pk}/$"))
    page.get_by_text("The application from Havbruk Sunnmøre AS is rejected.").wait_for()
    history = page.locator("#partnership-history-section")
    expect(history.get_by_text("Vi tar ikke inn nye partnere i år.")).to_be_visible()
    assert_accessible(page)

    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.REJECTED
    mails = [message for message in live_asgi_server.messages() if message["To"] == "kari@example.org"]
    assert len(mails) == 1
    assert "Vi tar ikke inn nye partnere i år." in message_text(mails[0])


def test_a_coordinator_exports_the_partners_and_imports_a_spreadsheet(
    page, live_asgi_server, hub, coordinator, tmp_path
):
    partnership_create(partner=partner_create(name="Ålesund Sjømat AS"), hub=hub)
    partnership_create(partner=partner_create(name="Søkerbedrift AS"), hub=hub, status=PartnershipStatus.APPLIED)
    log_in(page, coordinator)

    page.goto("/admin/partners/hubs/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV of Ålesund framtidslab").click()
    exported = download_info.value.path().read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert {(row["name"], row["partnership_status"]) for row in rows} == {
        ("Ålesund Sjømat AS", "approved"),
        ("Søkerbedrift AS", "applied"),
    }

    page.get_by_role("link", name="Import CSV into Ålesund framtidslab").click()
    page.wait_for_url(re.compile(rf"/admin/partners/hubs/{hub.pk}/import/$"))
    assert_accessible(page)
    expect(page.get_by_label("Dry run: check the file without saving anything")).to_be_checked()

    # A lab's spreadsheet saved by Excel in Norwegian: semicolons, Windows-1252, a typing error on row 3.
    valid = [valid_organisation_number(700 + i) for i in range(3)]
    typo = valid[1][:8] + str((int(valid[1][8]) + 1) % 10)
    bad = tmp_path / "partnere.csv"
    bad.write_bytes(
        (
            "name;kind;organisation_number;municipality\r\n"
            f"Fjordbåt AS;business;{valid[0]};Ålesund\r\n"
            f"Tastefeil AS;business;{typo};Ålesund\r\n"
        ).encode("cp1252")
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload").click()
    errors = page.locator("#import-errors")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").nth(0)).to_have_text("3")
    expect(errors.locator("tbody tr td").nth(1)).to_have_text("organisation_number")
    assert not Partner.objects.filter(name="Fjordbåt AS").exists()
    assert_accessible(page)

    good = tmp_path / "partnere-rettet.csv"
    good.write_bytes(
        (
            "name;kind;organisation_number;municipality\r\n"
            f"Fjordbåt AS;business;{valid[0]};Ålesund\r\n"
            f"Rettet AS;business;{valid[2]};Ålesund\r\n"
        ).encode("cp1252")
    )
    # A dry run first; the server keeps the checked file, so confirming needs no second upload.
    page.get_by_label("CSV file").set_input_files(str(good))
    expect(page.get_by_label("Dry run: check the file without saving anything")).to_be_checked()
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Dry run, nothing saved. 2 rows are valid: 2 new partners").wait_for()
    assert not Partner.objects.filter(name="Fjordbåt AS").exists()
    assert_accessible(page)
    page.get_by_role("button", name="Import partnere-rettet.csv now").click()
    page.wait_for_url(re.compile(rf"/admin/partners/partnerships/\?hub={hub.pk}$"))
    page.get_by_text("Imported 2 rows: 2 new partners").wait_for()
    expect(page.get_by_role("link", name="Fjordbåt AS")).to_be_visible()
    expect(page.get_by_role("link", name="Rettet AS")).to_be_visible()
    assert_accessible(page)

    assert set(
        Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED).values_list(
            "name", flat=True
        )
    ) == {"Ålesund Sjømat AS", "Fjordbåt AS", "Rettet AS"}
