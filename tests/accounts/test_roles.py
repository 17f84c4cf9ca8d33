import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from accounts.roles import HUB_COORDINATORS, REGISTERED_USERS, SITE_ADMINISTRATORS
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def codenames(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def collection_codenames(group):
    root = Collection.get_first_root_node()
    return set(
        GroupCollectionPermission.objects.filter(group=group, collection=root).values_list(
            "permission__codename", flat=True
        )
    )


def test_site_administrators_run_the_wagtail_admin_pages_media_and_users():
    group = Group.objects.get(name=SITE_ADMINISTRATORS)
    root_page = Page.get_first_root_node()

    assert {
        "wagtailadmin.access_admin",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.delete_user",
        "auth.add_group",
        "auth.change_group",
        "wagtailcore.change_site",
        "wagtailredirects.add_redirect",
    } <= codenames(group)
    assert set(
        GroupPagePermission.objects.filter(group=group, page=root_page).values_list("permission__codename", flat=True)
    ) == {"add_page", "change_page", "bulk_delete_page", "lock_page", "publish_page", "unlock_page"}
    assert {"add_image", "change_image", "delete_image", "add_document", "change_document", "add_collection"} <= (
        collection_codenames(group)
    )


def test_hub_coordinators_reach_the_admin_and_may_choose_pictures_but_hold_no_page_rights():
    """Uploading is their own hub's group's right, in its own collection (tests/cms/test_permissions.py)."""
    group = Group.objects.get(name=HUB_COORDINATORS)

    assert codenames(group) == {"wagtailadmin.access_admin"}
    assert collection_codenames(group) == {"choose_image", "choose_document"}
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_registered_users_hold_no_permissions():
    group = Group.objects.get(name=REGISTERED_USERS)

    assert not group.permissions.exists()
    assert not GroupCollectionPermission.objects.filter(group=group).exists()


def test_the_roles_work_through_djangos_permission_checks():
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name=HUB_COORDINATORS))
    member = UserFactory()
    member.groups.add(Group.objects.get(name=REGISTERED_USERS))

    assert coordinator.has_perm("wagtailadmin.access_admin")
    assert not coordinator.has_perm("accounts.change_user")
    assert not member.has_perm("wagtailadmin.access_admin")
