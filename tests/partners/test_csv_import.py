"""The CSV import of a hub's partners (partners.csv_import), tested at the service level."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from goals.models import Goal
from partners import events
from partners.csv_export import hub_partners_csv, hub_partners_csv_text
from partners.csv_import import IMPORT_MAX_ROWS, ImportAction, import_reason, partners_import_csv
from partners.models import Partner, PartnerKind, Partnership, PartnershipEvent, PartnershipStatus
from tests.accounts.factories import UserFactory
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    partner_create,
    partnership_create,
    valid_organisation_number,
)

pytestmark = pytest.mark.django_db

HEADER = "name,kind,organisation_number,municipality,goals,focus_themes"


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared with their English msgids, whatever the catalogues say."""
    with translation.override("en"):
        yield


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def coordinator(hub):
    return coordinator_create(hub)


def number(seed: int) -> str:
    return valid_organisation_number(1000 + seed)


def wrong_check_digit(seed: int) -> str:
    valid = number(seed)
    return valid[:8] + str((int(valid[8]) + 1) % 10)


def upload(text: str, *, encoding: str = "utf-8", name: str = "partners.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def rows_csv(count: int, *, start: int = 0) -> str:
    lines = [HEADER]
    lines += [f"Bedrift {i} AS,business,{number(i)},Ålesund,3;11,hav;energi" for i in range(start, start + count)]
    return "\n".join(lines) + "\n"


def file_error(error: ValidationError) -> str:
    return " ".join(error.value.message_dict["file"])


# --- Import: success --------------------------------------------------------------------------------


def test_a_dry_run_validates_and_writes_nothing(hub, coordinator):
    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(rows_csv(3)), dry_run=True)

    assert result.ok and not result.written
    assert result.created == 3
    assert not Partner.objects.exists()


def test_an_import_writes_every_row_as_an_approved_partnership(hub, coordinator):
    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(rows_csv(3)), dry_run=False)

    assert result.written and result.created == 3
    partnerships = Partnership.objects.filter(hub=hub).select_related("partner")
    assert partnerships.count() == 3
    for partnership in partnerships:
        assert partnership.status == PartnershipStatus.APPROVED
        assert partnership.decided_by == coordinator
        assert sorted(partnership.partner.goals.values_list("number", flat=True)) == [3, 11]
        assert sorted(partnership.partner.focus_themes.names()) == ["energi", "hav"]
        assert not partnership.partner.members.exists()  # the coordinator does not act for them
    events = PartnershipEvent.objects.filter(partnership__hub=hub)
    assert {(event.to_status, event.reason, event.actor) for event in events} == {
        (PartnershipStatus.APPROVED, import_reason(hub), coordinator)
    }


def test_an_existing_organisation_is_linked_not_duplicated(
    hub, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    administrator = UserFactory(verified=True, email="leder@example.org")
    existing = partner_create(name="Havbruk AS", organisation_number=number(0), administrator=administrator)

    with django_capture_on_commit_callbacks(execute=True):
        result = partners_import_csv(actor=coordinator, hub=hub, file=upload(rows_csv(2)), dry_run=False)

    assert [row.action for row in result.rows] == [ImportAction.LINK, ImportAction.CREATE]
    assert Partner.objects.filter(organisation_number=number(0)).count() == 1
    existing.refresh_from_db()
    assert existing.name == "Havbruk AS"  # the organisation's own profile is not overwritten
    assert Partnership.objects.get(partner=existing, hub=hub).status == PartnershipStatus.APPROVED
    assert [message.to for message in mailoutbox] == [["leder@example.org"]]


def test_every_imported_partnership_is_announced_after_the_commit(hub, coordinator, django_capture_on_commit_callbacks):
    existing = partner_create(organisation_number=number(0))
    partnership_create(partner=partner_create(organisation_number=number(2)), hub=hub)
    announced = []

    def receiver(sender, partnership, **kwargs):
        announced.append((partnership.partner.organisation_number, partnership.status))

    events.partnership_decided.connect(receiver, dispatch_uid="test_import_announced")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            partners_import_csv(actor=coordinator, hub=hub, file=upload(rows_csv(3)), dry_run=False)
        assert announced == [], "nothing is announced before the commit"
        for callback in callbacks:
            callback()
    finally:
        events.partnership_decided.disconnect(dispatch_uid="test_import_announced")

    # The row already in the hub is left as it is, and is not announced again.
    assert announced == [(number(0), PartnershipStatus.APPROVED), (number(1), PartnershipStatus.APPROVED)]
    assert existing.partnerships.get(hub=hub).status == PartnershipStatus.APPROVED


def test_an_organisation_registered_while_the_import_ran_names_its_row(hub, coordinator, monkeypatch):
    from partners import services

    real_import = services.partnerships_import

    def registered_meanwhile(**kwargs):
        partner_create(organisation_number=number(1))  # someone else registers row 3's organisation
        return real_import(**kwargs)

    monkeypatch.setattr(services, "partnerships_import", registered_meanwhile)

    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=upload(rows_csv(2)), dry_run=False)

    assert error.value.messages == ["Row 3: an organisation with this organisation number was registered meanwhile."]
    assert not Partnership.objects.filter(hub=hub).exists()


def test_a_partner_already_in_the_hub_is_left_as_it_is(hub, coordinator):
    existing = partner_create(organisation_number=number(0))
    partnership_create(partner=existing, hub=hub, status=PartnershipStatus.SUSPENDED)

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(rows_csv(1)), dry_run=False)

    assert result.rows[0].action == ImportAction.UNCHANGED
    assert Partnership.objects.get(partner=existing, hub=hub).status == PartnershipStatus.SUSPENDED


def test_semicolons_windows_1252_and_decimal_commas_are_understood(hub, coordinator):
    text = (
        "name;kind;organisation_number;municipality;latitude;longitude;goals\r\n"
        f'Ålesund Sjømat AS;business;{number(1)};Ålesund;62,47225;6,15492;"3;14"\r\n'
    )

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(text, encoding="cp1252"), dry_run=False)

    assert result.ok, result.errors
    assert result.encoding == "Windows-1252" and result.delimiter == ";"
    partner = Partner.objects.get()
    assert partner.name == "Ålesund Sjømat AS" and partner.municipality == "Ålesund"
    assert partner.latitude == Decimal("62.47225")
    assert sorted(partner.goals.values_list("number", flat=True)) == [3, 14]


def test_utf8_with_a_byte_order_mark_is_read(hub, coordinator):
    text = "\ufeff" + rows_csv(1)

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=True)

    assert result.ok and result.encoding == "UTF-8"


def test_a_kind_may_be_given_by_its_english_label(hub, coordinator):
    text = "name,kind\nByhagen,Citizen initiative\n"

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=False)

    assert result.ok, result.errors
    assert Partner.objects.get().kind == PartnerKind.CITIZEN_INITIATIVE


def test_export_then_import_into_another_hub_gives_the_same_partners(hub, coordinator):
    for seed in range(3):
        partner = partner_create(
            name=f"Rundtur {seed} AS",
            organisation_number=number(seed),
            municipality="Ålesund",
            latitude=Decimal("62.47225"),
            longitude=Decimal("6.15492"),
            goals=Goal.objects.filter(number__in=[seed + 1, 17]),
        )
        partner.focus_themes.set(["sirkulær økonomi"])
        partnership_create(partner=partner, hub=hub)
    exported = hub_partners_csv_text(hub)
    # The same file into a fresh database state: delete and re-import into a second hub.
    Partner.objects.all().delete()
    other = hub_create(home=hub.get_parent())
    other_coordinator = coordinator_create(other)

    result = partners_import_csv(actor=other_coordinator, hub=other, file=upload(exported), dry_run=False)

    assert result.ok, result.errors
    assert list(hub_partners_csv(other))[1:] and [row[:10] for row in hub_partners_csv(other)] == [
        row[:10] for row in csv.reader(io.StringIO(exported.lstrip("\ufeff")))
    ]


# --- Import: refusals -------------------------------------------------------------------------------


def test_only_the_hubs_coordinators_may_import(hub):
    stranger = coordinator_create(hub_create(home=hub.get_parent()))

    with pytest.raises(PermissionDenied):
        partners_import_csv(actor=stranger, hub=hub, file=upload(rows_csv(1)), dry_run=True)


def test_missing_and_unknown_columns_are_named(hub, coordinator):
    text = "navn,organisation_number,colour\nX,123\n"

    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=True)

    message = file_error(error)
    assert "Missing columns: name, kind." in message
    assert "Unknown columns: navn, colour." in message


def test_a_windows_1252_file_with_alesund_is_read_correctly(hub, coordinator):
    text = f"name,kind,organisation_number,municipality\nÅlesund Båt AS,business,{number(2)},Ålesund\n"

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(text, encoding="cp1252"), dry_run=False)

    assert result.ok and result.encoding == "Windows-1252"
    assert Partner.objects.get().name == "Ålesund Båt AS"


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_clearly(hub, coordinator):
    data = HEADER.encode() + b"\nBad \x81\x8d AS,business\n"

    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=SimpleUploadedFile("x.csv", data), dry_run=True)

    assert "could not be read as UTF-8 or as Windows-1252" in file_error(error)


def test_a_spreadsheet_workbook_is_refused_as_not_csv(hub, coordinator):
    data = "name,kind\n".encode("utf-16")

    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=SimpleUploadedFile("x.csv", data), dry_run=True)

    assert "not a plain-text CSV file" in file_error(error)


def test_more_than_ten_thousand_rows_are_refused_with_the_limit(hub, coordinator):
    text = HEADER + "\n" + "Bedrift AS,business\n" * (IMPORT_MAX_ROWS + 1)

    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=True)

    assert "more than 10,000 rows" in file_error(error)
    assert not Partner.objects.exists()


def test_a_file_over_five_megabytes_is_refused_before_reading_it(hub, coordinator):
    data = b"name,kind\n" + b"x" * (5 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=SimpleUploadedFile("big.csv", data), dry_run=True)

    assert "larger than 5 MB" in file_error(error)


@pytest.mark.parametrize("text", ["", "\r\n \n"])
def test_an_empty_file_is_refused(hub, coordinator, text):
    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=True)

    assert file_error(error) == "The file is empty."


def test_a_file_with_only_column_names_is_refused(hub, coordinator):
    with pytest.raises(ValidationError) as error:
        partners_import_csv(actor=coordinator, hub=hub, file=upload(HEADER + "\n"), dry_run=True)

    assert "no rows of partners" in file_error(error)


def test_duplicate_organisation_numbers_in_the_file_are_errors(hub, coordinator):
    text = rows_csv(2) + f"Kopi AS,business,{number(0)},Ålesund,,\n"

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=False)

    assert not result.written
    assert [(e.row, e.column) for e in result.errors] == [(4, "organisation_number")]
    assert "also on row 2" in result.errors[0].message
    assert not Partner.objects.exists()


def test_a_wrong_check_digit_on_row_seven_refuses_the_whole_import(hub, coordinator):
    lines = rows_csv(10).splitlines()
    lines[6] = f"Feil AS,business,{wrong_check_digit(99)},Ålesund,,"  # spreadsheet row 7

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload("\n".join(lines)), dry_run=False)

    assert not result.written
    assert [(e.row, e.column) for e in result.errors] == [(7, "organisation_number")]
    assert "check digit" in result.errors[0].message
    assert not Partner.objects.exists() and not Partnership.objects.exists()


def test_each_bad_cell_is_reported_with_its_row_and_column(hub, coordinator):
    text = (
        "name,kind,organisation_number,website,public_email,latitude,longitude,goals\n"
        f",business,{number(1)},,,,,\n"
        f"A AS,company,{number(2)},,,,,\n"
        f"B AS,business,,,,,,\n"
        f"C AS,business,{number(3)},not a url,not an email,,,\n"
        f"D AS,business,{number(4)},,,north,6.1,18\n"
        f"E AS,business,{number(5)},,,62.4,,\n"
    )

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=True)

    assert {(e.row, e.column) for e in result.errors} == {
        (2, "name"),
        (3, "kind"),
        (4, "organisation_number"),
        (5, "website"),
        (5, "public_email"),
        (6, "latitude"),
        (6, "goals"),
        (7, "latitude, longitude"),
    }


def test_a_row_with_more_cells_than_columns_is_an_error(hub, coordinator):
    text = "name,kind\nA AS,citizen_initiative,surprise\n"

    result = partners_import_csv(actor=coordinator, hub=hub, file=upload(text), dry_run=True)

    assert [(e.row, e.column) for e in result.errors] == [(2, "")]
