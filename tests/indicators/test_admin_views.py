"""The indicators section of the Wagtail admin: who sees which hub, the import flow, classification."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import indicators
from goals.models import Goal, Target
from indicators import services
from indicators.models import Indicator, Perspective, Value
from indicators.wagtail_hooks import perspectives_for_new_hub
from tests.accounts.factories import UserFactory
from tests.indicators.factories import csv_upload, indicator_create, indicators_hub_create
from tests.partners.factories import coordinator_create
from tests.partners.test_admin_views import in_english

pytestmark = pytest.mark.django_db

INDEX = "indicators_admin_index"
IMPORT = "indicators_admin_import"
EXAMPLE = Path(indicators.__file__).parent / "demo_data" / "ssb-example.json"
LINES = [
    "code;name;unit;region_code;region_name;year;value;source",
    "AVFALL;Husholdningsavfall;kg;1508;Ålesund;2023;412,5;SSB",
    "AVFALL;Husholdningsavfall;kg;0;Landet;2023;400;SSB",
]


@pytest.fixture
def hub(hub):
    """A hub as the admin and ``cms.services.hub_create`` make it: with the KS perspectives."""
    perspectives_for_new_hub(None, hub)
    return hub


@pytest.fixture
def other_hub(hub):
    return indicators_hub_create(title="Bergen lab", home=hub.get_parent().specific, municipality_number="4601")


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(in_english(coordinator))
    return client


def test_a_coordinator_sees_only_their_hubs_indicators(logged_in, hub, other_hub):
    indicator_create(hub, code="MINE", name="Vår indikator", values={2021: 1, 2023: 2})
    theirs = indicator_create(other_hub, code="THEIRS", name="Deres indikator")

    response = logged_in.get(reverse(INDEX))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vår indikator" in page and "2023" in page
    assert "Deres indikator" not in page
    assert logged_in.get(reverse(INDEX) + f"?hub={other_hub.pk}").content.decode().count("Deres indikator") == 0
    assert logged_in.get(reverse("indicators_admin_edit", args=[theirs.pk])).status_code == 403
    assert logged_in.get(reverse("indicators_admin_perspectives", args=[other_hub.pk])).status_code == 403
    foreign = services.perspectives_ensure(other_hub)[0]
    response = logged_in.post(reverse("indicators_admin_perspective_edit", args=[foreign.pk]), {"action": "delete"})
    assert response.status_code == 403 and Perspective.objects.filter(pk=foreign.pk).exists()


def test_the_index_costs_the_same_whatever_the_number_of_indicators(client, coordinator, hub):
    client.force_login(in_english(coordinator))

    def count_queries() -> int:
        client.get(reverse(INDEX))  # warm: the writes replaced the content version
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(INDEX)).status_code == 200
        return len(queries)

    for number in range(3):
        indicator_create(hub, code=f"I{number}", values={2020: number})
    few = count_queries()
    for number in range(3, 30):
        indicator_create(hub, code=f"I{number}", values={2020: number, 2021: number})
    assert 0 < count_queries() <= few


def test_people_who_coordinate_nothing_are_refused(client, hub):
    client.force_login(in_english(UserFactory(verified=True, is_staff=True)))
    assert client.get(reverse(INDEX)).status_code in {302, 403}
    assert client.get(reverse(IMPORT)).status_code in {302, 403}


def test_check_then_import_a_csv(logged_in, hub):
    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "file": csv_upload(LINES), "action": "check"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file is valid" in page and "Husholdningsavfall" in page and "New indicator" in page
    assert not Indicator.objects.exists()

    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "file": csv_upload(LINES), "action": "import"})
    assert response.status_code == 302
    assert Value.objects.filter(series__indicator__hub=hub).count() == 2

    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "file": csv_upload(LINES), "action": "check"})
    assert "Unchanged" in response.content.decode()


def test_row_errors_are_shown_and_nothing_is_written(logged_in, hub):
    lines = [*LINES, "AVFALL;Husholdningsavfall;kg;1508;Ålesund;2024;mye;SSB"]
    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "file": csv_upload(lines), "action": "import"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was imported" in page and "import-errors" in page and "<td>4</td>" in page
    assert not Indicator.objects.exists()


def test_a_jsonstat_file_is_imported_from_the_same_page(logged_in, hub):
    hub.municipality_number = "1599"
    hub.save()
    upload = SimpleUploadedFile("ssb.json", EXAMPLE.read_bytes(), content_type="application/json")
    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "file": upload, "action": "import"})
    assert response.status_code == 302
    assert Indicator.objects.filter(hub=hub, code="99901.Kollektivreiser").exists()


def test_a_coordinator_cannot_import_into_another_hub(logged_in, other_hub):
    response = logged_in.post(reverse(IMPORT), {"hub": other_hub.pk, "file": csv_upload(LINES), "action": "import"})
    assert response.status_code == 200  # the form refuses the choice
    assert "hub" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_an_unreadable_file_is_reported_on_the_form(logged_in, hub):
    upload = SimpleUploadedFile("x.json", json.dumps({"class": "collection"}).encode(), content_type="application/json")
    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "file": upload, "action": "check"})
    assert response.status_code == 200
    assert "not a JSON-stat 2.0 dataset" in " ".join(response.context["form"].errors["file"])


def test_classify_through_the_form(logged_in, hub):
    indicator = indicator_create(hub, code="AVFALL", name="Avfall")
    url = reverse("indicators_admin_edit", args=[indicator.pk])
    page = logged_in.get(url).content.decode()
    assert "Kommunen som tjenesteyter" in page
    perspective = Perspective.objects.get(hub=hub, name="Kommunen som tjenesteyter")
    goal = Goal.objects.get(number=12)
    target = Target.objects.get(code="12.5")

    response = logged_in.post(
        url,
        {
            "goals": [goal.pk],
            "targets": [target.pk],
            "dimension": "environmental",
            "perspective": perspective.pk,
            "quality": "not_fit",
            "quality_reason": "",
            "higher_is_better": "false",
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert "quality_reason" in response.context["form"].errors

    response = logged_in.post(
        url,
        {
            "goals": [goal.pk],
            "targets": [target.pk],
            "dimension": "environmental",
            "perspective": perspective.pk,
            "quality": "not_fit",
            "quality_reason": "Tallene kommer for sent.",
            "higher_is_better": "false",
            "action": "save",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert list(indicator.targets.all()) == [target]
    assert (indicator.quality, indicator.higher_is_better, indicator.perspective) == ("not_fit", False, perspective)


def test_perspectives_are_added_renamed_and_removed(logged_in, hub):
    url = reverse("indicators_admin_perspectives", args=[hub.pk])
    assert "Kommunen som eier/forvalter" in logged_in.get(url).content.decode()
    assert logged_in.post(url, {"name": "Innbyggerne", "sort_order": ""}).status_code == 302
    added = Perspective.objects.get(hub=hub, name="Innbyggerne")
    edit = reverse("indicators_admin_perspective_edit", args=[added.pk])
    assert logged_in.post(edit, {"name": "Innbyggernes blikk", "sort_order": "1", "action": "save"}).status_code == 302
    added.refresh_from_db()
    assert (added.name, added.sort_order) == ("Innbyggernes blikk", 1)
    assert logged_in.post(edit, {"action": "delete"}).status_code == 302
    assert not Perspective.objects.filter(pk=added.pk).exists()


def test_a_coordinator_of_two_hubs_chooses_the_hub(client, hub, other_hub):
    both = coordinator_create(hub)
    from cms.services import hub_coordinator_add

    hub_coordinator_add(hub=other_hub, user=both)
    client.force_login(in_english(both))
    page = client.get(reverse(IMPORT)).content.decode()
    assert "Bergen lab" in page and "Ålesund framtidslab" in page
    response = client.post(reverse(IMPORT), {"hub": other_hub.pk, "file": csv_upload(LINES), "action": "check"})
    assert response.status_code == 200
    # The Bergen hub's number is 4601: every row of this file is a reference there.
    assert response.context["result"].ok


def test_a_site_administrator_sees_every_hub_and_can_narrow_to_one(client, hub, other_hub):
    indicator_create(hub, code="MINE", name="Vår indikator")
    indicator_create(other_hub, code="THEIRS", name="Deres indikator")
    client.force_login(in_english(UserFactory(verified=True, superuser=True)))

    page = client.get(reverse(INDEX)).content.decode()
    assert "Vår indikator" in page and "Deres indikator" in page and 'name="hub"' in page
    page = client.get(reverse(INDEX) + f"?hub={other_hub.pk}").content.decode()
    assert "Deres indikator" in page and "Vår indikator" not in page
    assert reverse("indicators_admin_perspectives", args=[other_hub.pk]) in page


def test_the_menu_shows_indicators_to_coordinators_only(client, logged_in):
    assert reverse(INDEX) in logged_in.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(in_english(UserFactory(verified=True, superuser=False, is_staff=True)))
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse(INDEX) not in response.content.decode()


def test_after_a_clean_check_the_kept_file_is_imported_without_a_second_upload(logged_in, hub, client):
    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "file": csv_upload(LINES), "action": "check"})
    kept = response.context["kept"]
    assert kept is not None and 'id="import-confirm"' in response.content.decode()
    assert not Indicator.objects.exists()

    # Nobody else can use the token.
    intruder = in_english(coordinator_create(hub))
    other = client.__class__()
    other.force_login(intruder)
    response = other.post(reverse(IMPORT), {"hub": hub.pk, "upload": kept.token, "action": "import"})
    assert response.status_code == 200 and "no longer kept" in " ".join(response.context["form"].errors["file"])
    assert not Indicator.objects.exists()

    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "upload": kept.token, "action": "import"})
    assert response.status_code == 302
    assert Value.objects.filter(series__indicator__hub=hub).count() == 2
    # Used once: the token is forgotten.
    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "upload": kept.token, "action": "import"})
    assert response.status_code == 200


def test_posting_without_a_file_asks_for_one(logged_in, hub):
    response = logged_in.post(reverse(IMPORT), {"hub": hub.pk, "action": "check"})
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = translation.gettext("Choose a file.")
    assert response.status_code == 200 and expected in response.context["form"].errors["file"]


def test_a_hub_created_by_the_cms_starts_with_the_ks_perspectives(hub):
    from cms.services import hub_create

    created = hub_create(parent=hub.get_parent(), title="Molde lab", municipality="Molde")
    names = list(Perspective.objects.filter(hub=created).values_list("name", flat=True))
    assert names == list(services.DEFAULT_PERSPECTIVES)


def test_the_classify_and_perspectives_pages_write_nothing_on_a_get(logged_in, hub):
    indicator = indicator_create(hub, code="AVFALL", name="Avfall")
    Perspective.objects.filter(hub=hub).delete()  # a hub made before hubs got them, or emptied by hand
    urls = [
        reverse("indicators_admin_edit", args=[indicator.pk]),
        reverse("indicators_admin_perspectives", args=[hub.pk]),
    ]
    for url in urls:
        logged_in.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert logged_in.get(url).status_code == 200
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        assert writes == [], url
    assert not Perspective.objects.filter(hub=hub).exists()
    page = logged_in.get(urls[1]).content.decode()
    assert 'value="seed"' in page

    response = logged_in.post(urls[1], {"action": "seed"})
    assert response.status_code == 302
    assert Perspective.objects.filter(hub=hub).count() == len(services.DEFAULT_PERSPECTIVES)
    assert 'value="seed"' not in logged_in.get(urls[1]).content.decode()
