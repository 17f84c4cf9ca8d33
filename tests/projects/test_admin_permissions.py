"""Editing projects in the Wagtail admin follows the hub's coordinators group: one hub never reaches another's."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create
from tests.projects.admin_support import in_english, project_create, project_index_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub_a():
    return hub_create(title="Hub A")


@pytest.fixture
def hub_b(hub_a):
    return hub_create(title="Hub B", home=hub_a.get_parent())


@pytest.fixture
def project_a(hub_a):
    return project_create(project_index_create(hub_a), title="Prosjekt i A")


@pytest.fixture
def project_b(hub_b):
    return project_create(project_index_create(hub_b), title="Prosjekt i B")


def test_a_coordinator_edits_their_own_hubs_project_but_not_another_hubs(hub_a, project_a, project_b):
    coordinator = coordinator_create(hub_a)

    assert project_a.permissions_for_user(coordinator).can_edit()
    assert project_a.permissions_for_user(coordinator).can_publish()
    assert not project_b.permissions_for_user(coordinator).can_edit()
    assert not project_b.permissions_for_user(coordinator).can_publish()
    assert not project_b.permissions_for_user(coordinator).can_delete()


def test_the_admin_editor_refuses_another_hubs_coordinator(client, hub_a, project_a, project_b):
    client.force_login(in_english(coordinator_create(hub_a)))

    own = client.get(reverse("wagtailadmin_pages:edit", args=[project_a.pk]))
    other = client.get(reverse("wagtailadmin_pages:edit", args=[project_b.pk]))

    assert own.status_code == 200
    assert other.status_code != 200
    assert "Prosjekt i B" not in other.content.decode()


def test_a_registered_user_cannot_edit_any_project_and_a_site_administrator_can_edit_all(project_a, project_b):
    registered = UserFactory(verified=True)
    administrator = UserFactory(superuser=True)

    assert not project_a.permissions_for_user(registered).can_edit()
    assert project_a.permissions_for_user(administrator).can_edit()
    assert project_b.permissions_for_user(administrator).can_edit()
