"""CSV export and import through the Wagtail admin: who may, what the pages show, what is written."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.services import hub_coordinator_add
from partners.models import Partner, Partnership, PartnershipStatus
from tests.accounts.factories import UserFactory
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    partner_create,
    partnership_create,
    valid_organisation_number,
)
from tests.partners.test_admin_views import in_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def coordinator(hub):
    return in_english(coordinator_create(hub))


def export_url(hub):
    return reverse("partners_admin_export", args=[hub.pk])


def import_url(hub):
    return reverse("partners_admin_import", args=[hub.pk])


def csv_file(lines: list[str], *, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("partnere.csv", ("\n".join(lines) + "\n").encode(encoding), content_type="text/csv")


def good_lines(count: int) -> list[str]:
    return ["name,kind,organisation_number"] + [
        f"Bedrift {i} AS,business,{valid_organisation_number(500 + i)}" for i in range(count)
    ]


def test_a_coordinator_downloads_the_hubs_partners_as_csv(client, coordinator, hub):
    partnership_create(partner=partner_create(name="Ålesund Sjømat AS"), hub=hub)
    partnership_create(partner=partner_create(name="Søker AS"), hub=hub, status=PartnershipStatus.APPLIED)
    client.force_login(coordinator)

    response = client.get(export_url(hub))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{hub.slug}-partners-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {(row["name"], row["partnership_status"]) for row in rows} == {
        ("Ålesund Sjømat AS", "approved"),
        ("Søker AS", "applied"),
    }


@pytest.mark.parametrize("who", ["other_coordinator", "registered_user"])
def test_nobody_else_may_export_or_import(client, hub, who):
    if who == "other_coordinator":
        user = in_english(coordinator_create(hub_create(home=hub.get_parent())))
    else:
        user = in_english(UserFactory(verified=True))
    partnership_create(partner=partner_create(name="Hemmelig AS"), hub=hub)
    client.force_login(user)

    export = client.get(export_url(hub))
    upload = client.post(import_url(hub), {"file": csv_file(good_lines(1)), "dry_run": ""})

    if who == "other_coordinator":
        assert export.status_code == 403 and upload.status_code == 403
    else:
        # Without access to the admin at all, Wagtail sends people to log in.
        assert export.status_code == 302 and upload.status_code == 302
    assert b"Hemmelig AS" not in export.content
    assert Partner.objects.count() == 1


def test_a_site_administrator_may_export_any_hub(client, hub):
    client.force_login(in_english(UserFactory(superuser=True)))

    assert client.get(export_url(hub)).status_code == 200


def test_the_import_form_has_dry_run_ticked_by_default(client, coordinator, hub):
    client.force_login(coordinator)

    page = client.get(import_url(hub)).content.decode()

    checkbox = re.search(r'<input[^>]*name="dry_run"[^>]*>', page).group(0)
    assert "checked" in checkbox


def test_a_dry_run_with_an_error_shows_the_row_table_and_writes_nothing(client, coordinator, hub):
    lines = good_lines(3)
    lines[2] = "Feil AS,business,123456789"
    client.force_login(coordinator)

    response = client.post(import_url(hub), {"file": csv_file(lines), "dry_run": "on"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has errors: nothing was imported" in page
    assert "<td>3</td>" in page and "<td>organisation_number</td>" in page
    assert not Partner.objects.exists()


def test_a_clean_dry_run_says_what_would_happen(client, coordinator, hub):
    client.force_login(coordinator)

    response = client.post(import_url(hub), {"file": csv_file(good_lines(2)), "dry_run": "on"})

    page = response.content.decode()
    assert "The file is valid" in page
    assert "Dry run, nothing saved. 2 rows are valid: 2 new partners" in page
    assert not Partner.objects.exists()


def test_a_real_import_writes_all_rows_and_returns_to_the_hubs_partnerships(client, coordinator, hub):
    client.force_login(coordinator)

    response = client.post(import_url(hub), {"file": csv_file(good_lines(4))})

    assert response.status_code == 302
    assert response.url == f"{reverse('partnership_admin:index')}?hub={hub.pk}"
    assert Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).count() == 4


def test_a_real_import_with_an_error_writes_nothing(client, coordinator, hub):
    lines = good_lines(8)
    valid = valid_organisation_number(900)
    lines[6] = f"Feil AS,business,{valid[:8]}{(int(valid[8]) + 1) % 10}"  # spreadsheet row 7
    client.force_login(coordinator)

    response = client.post(import_url(hub), {"file": csv_file(lines)})

    assert response.status_code == 200
    assert "<td>7</td>" in response.content.decode()
    assert not Partner.objects.exists()


def test_a_file_level_problem_is_shown_on_the_file_field(client, coordinator, hub):
    client.force_login(coordinator)

    response = client.post(import_url(hub), {"file": csv_file(["navn;type", "X;Y"]), "dry_run": "on"})

    page = response.content.decode()
    assert "Missing columns: name, kind." in page
    assert "Unknown columns: navn, type." in page


def test_the_hubs_page_links_export_and_import(client, coordinator, hub):
    client.force_login(coordinator)

    page = client.get(reverse("partners_admin_hubs")).content.decode()

    assert export_url(hub) in page and import_url(hub) in page


def test_a_clean_dry_run_is_confirmed_without_choosing_the_file_again(client, coordinator, hub):
    client.force_login(coordinator)

    page = client.post(import_url(hub), {"file": csv_file(good_lines(3)), "dry_run": "on"}).content.decode()

    assert not Partner.objects.exists()
    confirm = re.search(r'<form method="post" action="[^"]*" id="import-confirm".*?</form>', page, re.S).group(0)
    token = re.search(r'name="upload" value="([^"]+)"', confirm).group(1)
    assert 'type="file"' not in confirm and "Import partnere.csv now" in confirm
    # Only the token goes back: the server imports the file it kept.
    response = client.post(import_url(hub), {"upload": token})
    assert response.status_code == 302
    assert Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).count() == 3
    # Used once: the same token again finds nothing, and says so on the file field.
    again = client.post(import_url(hub), {"upload": token})
    assert again.status_code == 200 and "The checked file is no longer kept" in again.content.decode()
    assert Partnership.objects.filter(hub=hub).count() == 3


def test_a_kept_file_is_only_the_coordinator_and_hubs_own(client, coordinator, hub):
    other_hub = hub_create(title="Annen arena")
    other = in_english(coordinator_create(hub))
    hub_coordinator_add(hub=other_hub, user=coordinator)
    client.force_login(coordinator)
    page = client.post(import_url(hub), {"file": csv_file(good_lines(2)), "dry_run": "on"}).content.decode()
    token = re.search(r'name="upload" value="([^"]+)"', page).group(1)

    # Another coordinator of the same hub, or the same coordinator in another hub, cannot use it.
    client.force_login(other)
    assert "The checked file is no longer kept" in client.post(import_url(hub), {"upload": token}).content.decode()
    client.force_login(coordinator)
    response = client.post(import_url(other_hub), {"upload": token})
    assert "The checked file is no longer kept" in response.content.decode()
    # A made-up token, or a path, is nothing either; without file or token the file is required.
    assert (
        "The checked file is no longer kept"
        in client.post(import_url(hub), {"upload": "../../etc/passwd"}).content.decode()
    )
    assert "Choose a CSV file." in client.post(import_url(hub), {}).content.decode()
    assert not Partner.objects.exists()


def test_a_dry_run_with_errors_keeps_nothing_to_confirm(client, coordinator, hub):
    lines = good_lines(3)
    lines[2] = "Feil AS,business,123456789"
    client.force_login(coordinator)

    page = client.post(import_url(hub), {"file": csv_file(lines), "dry_run": "on"}).content.decode()

    assert 'id="import-confirm"' not in page and 'name="upload" value="' not in page
