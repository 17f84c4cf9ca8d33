from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Site

from accounts.roles import HUB_COORDINATORS, REGISTERED_USERS
from cms.models import HomePage, HubPage, StandardPage
from cms.permissions import is_hub_coordinator

pytestmark = pytest.mark.django_db

COORDINATOR = "koordinator@fjordvik.example"
RESIDENT = "innbygger@fjordvik.example"


def _counts():
    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "emails": EmailAddress.objects.count(),
        "sites": Site.objects.count(),
    }


def _seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_twice_creates_everything_once_and_the_pages_answer(client):
    first_output = _seed("--password", "demo-password-123")
    first = _counts()
    second_output = _seed()

    assert _counts() == first
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.site_name == "Dugnad", "Wagtail's nameless first site is named"
    assert not Page.objects.filter(depth=2, content_type__model="page").exists(), "welcome page removed"
    hub = HubPage.objects.get()
    assert hub.default_language == "nb"
    assert "Fiktive demodata" in hub.introduction
    about = StandardPage.objects.child_of(hub).get(title="Om laben")
    assert {block.block_type for block in about.body} == {"heading", "text", "quote", "call_to_action"}

    assert client.get(site.root_page.url).status_code == 200
    hub_response = client.get(hub.url)
    assert hub_response.status_code == 200
    assert "Fiktive demodata" in hub_response.content.decode()
    assert client.get(about.url).status_code == 200

    user_model = get_user_model()
    coordinator = user_model.objects.get(email=COORDINATOR)
    resident = user_model.objects.get(email=RESIDENT)
    assert coordinator.check_password("demo-password-123")
    assert is_hub_coordinator(coordinator, hub)
    assert coordinator.groups.filter(name=HUB_COORDINATORS).exists()
    assert not is_hub_coordinator(resident, hub)
    assert resident.groups.filter(name=REGISTERED_USERS).exists()
    for user in (coordinator, resident):
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()

    assert f"{COORDINATOR} with password demo-password-123" in first_output
    assert f"{COORDINATOR}: account exists, password left unchanged" in second_output


def test_seed_demo_if_empty_leaves_an_installation_with_a_hub_alone():
    _seed("--if-empty")
    before = _counts()
    get_user_model().objects.filter(email=RESIDENT).delete()
    after_delete = _counts()

    output = _seed("--if-empty")

    assert _counts() == after_delete != before
    assert "demo data left alone" in output


def test_seed_demo_prints_a_random_password_that_works():
    output = _seed()

    line = next(line for line in output.splitlines() if RESIDENT in line)
    password = line.rsplit(" ", 1)[-1]
    assert len(password) >= 12
    assert get_user_model().objects.get(email=RESIDENT).check_password(password)
