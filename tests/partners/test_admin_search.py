"""Every admin list's search and filters, as every role: a site administrator sees all rows, the
coordinator of hub A only hub A's, the coordinator of hub B only hub B's, and nobody gets a 500.

Each hub has one row of every kind, named after its hub ("Alfa …" / "Beta …"), so a search for the
shared word ("Felles") must list exactly the role's own rows.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import SITE_ADMINISTRATORS
from discussions.models import CommentingSuspension, ModerationAction, ModerationActionKind
from partners.models import PartnershipStatus
from tests.accounts.factories import UserFactory
from tests.discussions.factories import commenter_create, topic_create
from tests.partners.factories import coordinator_create, hub_create, partner_create, partnership_create
from tests.projects.admin_support import in_english

pytestmark = [pytest.mark.django_db, pytest.mark.search_index]  # the admin lists search the index

# Each list, with the queries it is searched and filtered with ({hub} is the hub's id).
LISTS = {
    "partner_admin:index": [{"q": "Felles"}, {"q": "Felles", "kind": "business"}],
    "partnership_admin:index": [{"q": "Felles"}, {"q": "Felles", "status": "approved", "hub": "{hub}"}],
    "discussion_thread_admin:index": [{"q": "Felles"}, {"q": "Felles", "hub": "{hub}", "locked": "false"}],
    "commenting_suspension_admin:index": [{"q": "Felles"}, {"hub": "{hub}", "state": "active"}],
    "moderation_log_admin:index": [{"q": "Felles"}, {"hub": "{hub}", "kind": "lock"}],
}


@pytest.fixture
def world():
    home = None
    hubs, rows = {}, {}
    for name in ("Alfa", "Beta"):
        hub = hub_create(title=f"{name} hub", **({"home": home} if home else {}))
        home = hub.get_parent().specific
        partner = partner_create(name=f"{name} Felles AS")
        partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPROVED)
        topic = topic_create(hub, title=f"{name} Felles tema")
        person = commenter_create(display_name=f"{name} Felles person")
        CommentingSuspension.objects.create(
            hub=hub, user=person, ends_at=timezone.now() + timedelta(days=3), reason=f"{name} Felles grunn"
        )
        ModerationAction.objects.create(
            hub=hub, kind=ModerationActionKind.LOCK, thread=topic, reason=f"{name} Felles grunn"
        )
        hubs[name] = hub
        rows[name] = name
    admin = in_english(UserFactory(verified=True))
    admin.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    roles = {
        "site_administrator": (admin, ["Alfa", "Beta"], hubs["Alfa"]),
        "coordinator_of_a": (in_english(coordinator_create(hubs["Alfa"])), ["Alfa"], hubs["Alfa"]),
        "coordinator_of_b": (in_english(coordinator_create(hubs["Beta"])), ["Beta"], hubs["Beta"]),
    }
    return roles


@pytest.mark.parametrize("role", ["site_administrator", "coordinator_of_a", "coordinator_of_b"])
@pytest.mark.parametrize("url_name", list(LISTS))
def test_admin_lists_search_and_filter_within_the_roles_hubs(world, role, url_name):
    user, sees, hub = world[role]
    client = Client()
    client.force_login(user)
    for query in LISTS[url_name]:
        params = {key: value.format(hub=hub.pk) for key, value in query.items()}
        response = client.get(reverse(url_name), params)
        assert response.status_code == 200, (url_name, params, response.status_code)
        html = response.content.decode()
        for name in ("Alfa", "Beta"):
            shown = f"{name} Felles" in html
            if name not in sees:
                assert not shown, (url_name, params, name)
        if "hub" in params or role != "site_administrator":
            assert any(f"{name} Felles" in html for name in sees), (url_name, params)


def test_the_partner_list_search_for_coordinators_was_a_500():
    """The regression: a coordinator's partner list is filtered by id, which search must allow."""
    hub = hub_create(title="Gamma hub")
    partnership_create(partner=partner_create(name="Søkbar AS"), hub=hub)
    client = Client()
    client.force_login(in_english(coordinator_create(hub)))
    response = client.get(reverse("partner_admin:index"), {"q": "Søkbar"})
    assert response.status_code == 200
    assert "Søkbar AS" in response.content.decode()
