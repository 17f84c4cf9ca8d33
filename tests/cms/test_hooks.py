import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import HubPage
from tests.cms.factories import hub_page_create, user_create

pytestmark = pytest.mark.django_db


def test_a_hub_created_in_the_admin_gets_its_coordinators_group(client, home):
    admin = user_create(is_superuser=True, is_staff=True)
    client.force_login(admin)
    data = nested_form_data(
        {
            "title": "Admin-made hub",
            "slug": "admin-made-hub",
            "municipality": "Testvik",
            "introduction": rich_text("<p>Hello</p>"),
            "introduction_nn": rich_text(""),
            "introduction_en": rich_text("<p>Hello in English</p>"),
            "default_language": "nn",
            "menu_links": streamfield([]),
            "contact_email": "",
            "contact_phone": "",
            "contact_address": "",
            "organisation_number": "",
            "open_data_licence": "NLOD-2.0",
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )

    response = client.post(reverse("wagtailadmin_pages:add", args=("cms", "hubpage", home.pk)), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    hub = HubPage.objects.get(slug="admin-made-hub")
    assert hub.coordinators_group is not None
    assert hub.coordinators_group.page_permissions.filter(page=hub).count() == 5


def test_a_coordinator_cannot_delete_their_hub_in_the_admin(client, home):
    hub = hub_page_create(parent=home)
    coordinator = user_create()
    coordinator.groups.add(hub.coordinators_group)
    coordinator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(coordinator)
    assert hub.permissions_for_user(coordinator).can_delete(), "Wagtail alone would allow it: the hook must stop it"

    response = client.post(reverse("wagtailadmin_pages:delete", args=(hub.pk,)))

    assert response.status_code == 302
    assert HubPage.objects.filter(pk=hub.pk).exists()
