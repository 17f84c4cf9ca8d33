import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from accounts.roles import HUB_COORDINATORS, REGISTERED_USERS, SITE_ADMINISTRATORS
from cms.permissions import is_hub_coordinator
from cms.services import hub_coordinator_add, hub_coordinators_group_ensure
from tests.cms.factories import hub_page_create, standard_page_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def hubs(home):
    return hub_page_create(parent=home, title="Fjordvik lab"), hub_page_create(parent=home, title="Havbyen lab")


def _fresh(user):
    # Wagtail caches a user's page permissions on the instance; each check reads them anew.
    return type(user).objects.get(pk=user.pk)


def test_a_coordinator_edits_and_publishes_in_their_own_hub_only(hubs):
    own_hub, other_hub = hubs
    own_page = standard_page_create(parent=own_hub)
    other_page = standard_page_create(parent=other_hub)
    coordinator = user_create()
    hub_coordinator_add(hub=own_hub, user=coordinator)

    own = own_page.permissions_for_user(_fresh(coordinator))
    own_hub_perms = own_hub.permissions_for_user(_fresh(coordinator))
    other = other_page.permissions_for_user(_fresh(coordinator))

    assert own.can_edit() and own.can_publish()
    assert own_hub_perms.can_edit() and own_hub_perms.can_add_subpage()
    assert not other.can_edit()
    assert not other.can_publish()
    assert not own_hub_perms.can_delete(), "no bulk delete: a hub with pages cannot be removed"


def test_coordinator_add_puts_the_user_in_both_groups(hubs):
    hub, _other = hubs
    user = user_create()

    hub_coordinator_add(hub=hub, user=user)

    names = set(user.groups.values_list("name", flat=True))
    assert names == {HUB_COORDINATORS, hub.coordinators_group.name}


def test_ensure_is_idempotent_and_follows_a_renamed_hub(hubs):
    hub, _other = hubs
    group = hub.coordinators_group

    hub.title = "Fjordvik future lab"
    hub.save_revision().publish()
    again = hub_coordinators_group_ensure(hub=hub)

    assert again.pk == group.pk
    assert again.name == f"{HUB_COORDINATORS}: Fjordvik future lab"
    assert GroupPagePermission.objects.filter(group=group).count() == 5
    assert GroupCollectionPermission.objects.filter(group=group, collection=hub.collection).count() == 6
    hub.collection.refresh_from_db()
    assert hub.collection.name == "Fjordvik future lab"


def test_two_hubs_with_the_same_title_get_separate_groups(home):
    first = hub_page_create(parent=home, title="Same name")
    second = hub_page_create(parent=home, title="Same name")

    assert first.coordinators_group_id != second.coordinators_group_id
    assert first.coordinators_group.name != second.coordinators_group.name


def test_publishing_a_revision_from_before_the_group_keeps_the_group(home):
    hub = hub_page_create(parent=home, ensure_group=False)
    early_revision = hub.save_revision()
    group = hub_coordinators_group_ensure(hub=hub)

    early_revision.publish()

    hub.refresh_from_db()
    assert hub.coordinators_group_id == group.pk


def test_only_site_administrators_appoint_coordinators(hubs):
    hub, _other = hubs
    outsider = user_create()
    candidate = user_create()
    admin = user_create()
    admin.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])

    with pytest.raises(PermissionDenied):
        hub_coordinator_add(hub=hub, user=candidate, actor=outsider)
    assert not is_hub_coordinator(candidate, hub)

    hub_coordinator_add(hub=hub, user=candidate, actor=admin)
    assert is_hub_coordinator(candidate, hub)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", False),
        ("registered", False),
        ("coordinator_here", True),
        ("coordinator_elsewhere", False),
        ("inactive_coordinator_here", False),
        ("site_administrator", True),
        ("superuser", True),
    ],
)
def test_is_hub_coordinator(hubs, who, expected):
    hub, other_hub = hubs
    registered_group, _ = Group.objects.get_or_create(name=REGISTERED_USERS)
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "superuser":
        user = user_create(is_superuser=True, is_staff=True)
    else:
        user = user_create()
        user.groups.add(registered_group)
        if who in ("coordinator_here", "inactive_coordinator_here"):
            hub_coordinator_add(hub=hub, user=user)
        elif who == "coordinator_elsewhere":
            hub_coordinator_add(hub=other_hub, user=user)
        elif who == "site_administrator":
            user.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
        if who == "inactive_coordinator_here":
            user.is_active = False
            user.save()

    assert is_hub_coordinator(user, hub) is expected


def test_a_coordinator_uploads_only_into_their_own_hubs_collection(hubs):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    image_policy = policy_registry.get_by_type(get_image_model())
    own_hub, other_hub = hubs
    coordinator = user_create()
    hub_coordinator_add(hub=own_hub, user=coordinator)
    coordinator = _fresh(coordinator)

    may_add_to = set(image_policy.collections_user_has_permission_for(coordinator, "add"))
    may_choose_from = set(image_policy.collections_user_has_permission_for(coordinator, "choose"))

    assert may_add_to == {own_hub.collection}
    assert other_hub.collection in may_choose_from, "picking a public picture from elsewhere stays allowed"
