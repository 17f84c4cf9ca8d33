"""Search rows of the permission matrix: what each role finds by searching.

Search shows only what everyone may see, whoever asks: a coordinator, a partner's own people and a
superuser see drafts, pending partners and restricted pages on their own pages, never in search
(cached result pages are shared by every anonymous visitor, and a result list that differed per
role would tell people that something they may not open exists).
"""

import pytest
from wagtail.models import PageViewRestriction

from partners.models import PartnerRole
from tests.accounts.factories import UserFactory
from tests.partners.factories import coordinator_create, member_add
from tests.sitesearch.factories import search_world_create

pytestmark = pytest.mark.django_db

# What the world holds, by a word that only that item's text has (the query finds them all).
ITEMS = (
    "public_project",  # "energi"
    "draft_project",  # "Hemmelig"
    "restricted_page",  # "Intern"
    "approved_partner",  # "Hender"
    "pending_partner",  # "Ventende"
    "suspended_partner",  # "Suspendert"
    "public_topic",  # "kantina"
    "visible_comment",  # "fisk"
    "hidden_comment",  # "Skjult"
    "deleted_comment",  # "Slettet"
    "topic_in_password_forum",  # "Lukket"
)
MARKERS = dict(
    zip(
        ITEMS,
        (
            "energi",
            "Hemmelig",
            "Intern",
            "Hender",
            "Ventende",
            "Suspendert",
            "kantina",
            "fisk",
            "Skjult",
            "Slettet",
            "Lukket",
        ),
        strict=True,
    )
)

T, F = True, False
PUBLIC_ONLY = (T, F, F, T, F, F, T, T, F, F, F)
MATRIX = {
    "anonymous": PUBLIC_ONLY,
    "registered_user": PUBLIC_ONLY,
    "author_of_hidden_comment": PUBLIC_ONLY,
    "administrator_of_pending_partner": PUBLIC_ONLY,
    "coordinator_of_hub": PUBLIC_ONLY,
    "site_administrator_superuser": PUBLIC_ONLY,
}


def _user(role, world):
    if role == "anonymous":
        return None
    if role == "registered_user":
        return UserFactory(verified=True)
    if role == "author_of_hidden_comment":
        return world.hidden_comment.author
    if role == "administrator_of_pending_partner":
        return member_add(world.pending_partner, role=PartnerRole.ADMINISTRATOR).user
    if role == "coordinator_of_hub":
        return coordinator_create(world.hub)
    if role == "site_administrator_superuser":
        return UserFactory(superuser=True, verified=True)
    raise ValueError(role)


@pytest.mark.parametrize("role", list(MATRIX))
def test_search_finds_only_public_things_for_every_role(client, role):
    world = search_world_create()
    # A restriction the role could pass (logged in) must not open search either.
    assert world.restricted_page.get_view_restrictions().get().restriction_type == PageViewRestriction.LOGIN
    user = _user(role, world)
    if user is not None:
        client.force_login(user)
    html = client.get("/search/", {"q": "bærekraftig"}).content.decode()
    found = tuple(MARKERS[item] in html for item in ITEMS)
    assert dict(zip(ITEMS, found, strict=True)) == dict(zip(ITEMS, MATRIX[role], strict=True))
