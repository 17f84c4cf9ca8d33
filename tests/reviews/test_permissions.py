"""The permission matrix of local reviews: who sees the menu item and who may draft which hub's review."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from accounts.roles import SITE_ADMINISTRATORS
from reviews.permissions import can_generate_review, can_use_reviews
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, hub_create, member_add
from tests.projects.admin_support import in_english
from tests.projects.factories import approved_partner_create

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "registered",
    "partner_member",
    "coordinator",
    "other_coordinator",
    "inactive_coordinator",
    "site_administrator",
    "superuser",
)
# role: (use reviews, draft own hub's review, draft the other hub's review)
MATRIX = {
    "anonymous": (False, False, False),
    "registered": (False, False, False),
    "partner_member": (False, False, False),
    "coordinator": (True, True, False),
    "other_coordinator": (True, False, True),
    "inactive_coordinator": (False, False, False),
    "site_administrator": (True, True, True),
    "superuser": (True, True, True),
}


@pytest.fixture
def world():
    hub = hub_create(title="Ålesund framtidslab")
    other = hub_create(title="Fjordvik lab", home=hub.get_parent().specific)
    site_administrator = UserFactory(verified=True)
    site_administrator.groups.add(Group.objects.get_or_create(name=SITE_ADMINISTRATORS)[0])
    inactive = coordinator_create(hub)
    inactive.is_active = False
    inactive.save()
    users = {
        "anonymous": AnonymousUser(),
        "registered": UserFactory(verified=True),
        "partner_member": member_add(approved_partner_create(hub)).user,
        "coordinator": coordinator_create(hub),
        "other_coordinator": coordinator_create(other),
        "inactive_coordinator": inactive,
        "site_administrator": site_administrator,
        "superuser": UserFactory(superuser=True),
    }
    return hub, other, users


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    hub, other, users = world
    user = users[role]
    actual = (can_use_reviews(user), can_generate_review(user, hub), can_generate_review(user, other))
    assert actual == MATRIX[role]


@pytest.mark.parametrize("role", [role for role in ROLES if role not in ("anonymous", "inactive_coordinator")])
def test_the_views_follow_the_matrix(client, world, role):
    """The form, the page and the PDF's address answer as the matrix says (never the draft otherwise)."""
    hub, other, users = world
    client.force_login(in_english(users[role]))
    use, own, other_hub = MATRIX[role]
    query = "?from=2024&to=2025&lang=en"

    form = client.get(reverse("reviews_admin_form"))
    page = client.get(reverse("reviews_admin_html", args=[hub.pk]) + query)
    pdf_address = client.get(reverse("reviews_admin_pdf", args=[other.pk]) + "?from=2025&to=2024&lang=en")

    assert (form.status_code == 200) is use
    assert (page.status_code == 200) is own
    if not own:
        assert "Ålesund framtidslab" not in page.content.decode()
    # A bad period (it ends before it starts) is refused (400) only after the permission check (403).
    if use:
        assert pdf_address.status_code == (400 if other_hub else 403)
    else:
        assert pdf_address.status_code in (302, 403)


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    hub, _other, _users = world
    response = client.get(reverse("reviews_admin_html", args=[hub.pk]) + "?from=2024&to=2025&lang=en")
    assert response.status_code == 302
    assert "login" in response["Location"]
