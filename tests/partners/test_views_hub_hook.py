"""A hub created in the admin gets its partner directory at once (``partners.hub_hooks``)."""

import pytest
from django.test import RequestFactory
from wagtail import hooks

from partners.hub_hooks import partner_index_for_new_hub
from partners.models import PartnerIndexPage
from tests.accounts.factories import UserFactory
from tests.cms.factories import standard_page_create
from tests.partners.factories import hub_create, partner_index_create

pytestmark = pytest.mark.django_db


def _after_create(page):
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(superuser=True)
    for hook in hooks.get_hooks("after_create_page"):
        hook(request, page)


def test_the_hook_is_registered():
    assert partner_index_for_new_hub in hooks.get_hooks("after_create_page")


def test_a_new_hub_gets_a_published_partner_directory_in_its_menu(client):
    hub = hub_create(title="Molde lab")

    _after_create(hub)

    index = PartnerIndexPage.objects.child_of(hub).get()
    assert (index.title, index.slug, index.live, index.show_in_menus) == ("Partnere", "partners", True, True)
    assert client.get(index.url).status_code == 200


def test_a_hub_that_has_a_directory_gets_no_second_one():
    hub = hub_create()
    partner_index_create(hub)

    _after_create(hub)

    assert PartnerIndexPage.objects.child_of(hub).count() == 1


def test_other_pages_get_no_directory():
    hub = hub_create()
    page = standard_page_create(parent=hub)

    _after_create(page)

    assert not PartnerIndexPage.objects.exists()
