"""Reads for partners: the public directory shows approved partners only, and costs a fixed number of queries."""

import pytest
from django.contrib.auth.models import AnonymousUser

from goals.models import Goal
from partners.models import PartnerKind, PartnerRole, PartnershipStatus
from partners.selectors import (
    LOGO_RENDITION,
    directory_partner,
    directory_partners,
    hub_partnerships,
    memberships_of,
    partner_by_organisation_number,
    partners_administered_by,
    pending_partnerships_for_coordinator,
)
from tests.accounts.factories import UserFactory
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    logo_image_create,
    member_add,
    partner_create,
    partnership_create,
)

pytestmark = pytest.mark.django_db
S = PartnershipStatus


@pytest.fixture
def hub():
    return hub_create()


@pytest.fixture
def other_hub(hub):
    return hub_create(home=hub.get_parent().specific)


def _approved(hub, **fields):
    partner = partner_create(**fields)
    partnership_create(partner=partner, hub=hub, status=S.APPROVED)
    return partner


def _names(queryset):
    return [partner.name for partner in queryset]


def test_the_directory_lists_only_the_hub_s_approved_partners_alphabetically(hub, other_hub):
    _approved(hub, name="Åsen Bygg AS")
    _approved(hub, name="Aalesund Kunnskapspark")
    for status in (S.APPLIED, S.REJECTED, S.SUSPENDED, S.ENDED):
        partnership_create(partner=partner_create(name=f"Ikke godkjent {status}"), hub=hub, status=status)
    elsewhere = _approved(other_hub, name="Bare i en annen hub")
    partnership_create(partner=elsewhere, hub=hub, status=S.APPLIED)
    partner_create(name="Uten partnerskap")

    assert _names(directory_partners(hub)) == sorted(["Åsen Bygg AS", "Aalesund Kunnskapspark"])


def test_the_directory_filters_by_kind(hub):
    _approved(hub, name="Bedrift", kind=PartnerKind.BUSINESS)
    _approved(hub, name="Forening", kind=PartnerKind.NGO)
    _approved(hub, name="Dugnadsgjengen", kind=PartnerKind.CITIZEN_INITIATIVE)
    assert _names(directory_partners(hub, kind=PartnerKind.NGO)) == ["Forening"]
    assert _names(directory_partners(hub, kind=PartnerKind.CITIZEN_INITIATIVE)) == ["Dugnadsgjengen"]


def test_the_directory_filters_by_goal_without_duplicates(hub):
    goals = {number: Goal.objects.get(number=number) for number in (6, 7, 13)}
    _approved(hub, name="Energi og klima", goals=[goals[7], goals[13]])
    _approved(hub, name="Vann", goals=[goals[6]])
    assert _names(directory_partners(hub, goal_number=13)) == ["Energi og klima"]
    assert _names(directory_partners(hub, goal_number=6)) == ["Vann"]
    assert _names(directory_partners(hub, goal_number=1)) == []
    assert _names(directory_partners(hub)) == ["Energi og klima", "Vann"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kyst", ["Kystverket Lab"]),  # name, case-insensitive
        ("solceller", ["Lys AS"]),  # description
        ("giske", ["Lys AS"]),  # municipality
        ("havbruk", ["Kystverket Lab"]),  # focus theme
        ("  havbruk  ", ["Kystverket Lab"]),
        ("energi", ["Kystverket Lab", "Lys AS"]),  # a theme of one, the description of the other
        ("finnes ikke", []),
        ("", ["Kystverket Lab", "Lys AS"]),
    ],
)
def test_the_directory_searches_name_description_municipality_and_themes(hub, query, expected):
    coast = _approved(hub, name="Kystverket Lab", municipality="Ålesund")
    coast.focus_themes.set(["Havbruk", "Havenergi", "Energilagring"])
    _approved(hub, name="Lys AS", municipality="Giske", description="<p>Vi lager solceller og fornybar energi.</p>")
    hidden = partner_create(name="Kyst og havbruk, ikke godkjent")
    hidden.focus_themes.set(["Havbruk"])
    partnership_create(partner=hidden, hub=hub, status=S.APPLIED)

    assert _names(directory_partners(hub, query=query)) == expected


def test_combined_filters(hub):
    goal = Goal.objects.get(number=14)
    match = _approved(hub, name="Havforskning", kind=PartnerKind.RESEARCH_EDUCATION, goals=[goal])
    match.focus_themes.set(["Hav"])
    _approved(hub, name="Havbedrift", kind=PartnerKind.BUSINESS, goals=[goal])
    assert _names(directory_partners(hub, kind=PartnerKind.RESEARCH_EDUCATION, goal_number=14, query="hav")) == [
        "Havforskning"
    ]


def _directory_queries(hub, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(4) as captured:
        cards = [
            (
                partner.name,
                [goal.number for goal in partner.goals.all()],
                partner.logo.get_rendition(LOGO_RENDITION).url,
            )
            for partner in directory_partners(hub, query="a")
        ]
    assert all(goals and url for _name, goals, url in cards)
    return len(captured.captured_queries)


def _fill(hub, count):
    goals = list(Goal.objects.order_by("number")[:4])
    for number in range(count):
        partner = _approved(hub, name=f"Partner {number} AS", goals=goals, logo=logo_image_create())
        partner.focus_themes.set(["Sirkulær", "Samarbeid", "Marin"])
        partner.logo.get_rendition(LOGO_RENDITION)  # made once, as the first visitor would


def test_the_directory_costs_the_same_number_of_queries_for_3_and_30_partners(django_assert_max_num_queries):
    small, large = hub_create(), None
    large = hub_create(home=small.get_parent().specific)
    _fill(small, 3)
    _fill(large, 30)

    small_count = _directory_queries(small, django_assert_max_num_queries)
    large_count = _directory_queries(large, django_assert_max_num_queries)

    assert small_count == large_count
    assert len(directory_partners(large, query="a")) == 30


def test_directory_partner_returns_one_approved_partner_with_goals_and_themes(hub, other_hub):
    partner = _approved(hub, name="Synlig", goals=[Goal.objects.get(number=3)])
    partner.focus_themes.set(["Helse"])
    found = directory_partner(hub, partner.slug)
    assert found == partner
    assert [goal.number for goal in found.goals.all()] == [3]

    with pytest.raises(type(partner).DoesNotExist):
        directory_partner(other_hub, partner.slug)
    pending = partner_create()
    partnership_create(partner=pending, hub=hub, status=S.APPLIED)
    with pytest.raises(type(partner).DoesNotExist):
        directory_partner(hub, pending.slug)


def test_directory_partner_has_no_duplicates_with_several_goals(hub):
    partner = _approved(hub, goals=list(Goal.objects.all()[:5]))
    assert directory_partner(hub, partner.slug) == partner


def test_partner_by_organisation_number_normalises_spaces():
    partner = partner_create(organisation_number="923609016")
    assert partner_by_organisation_number("923 609 016") == partner
    assert partner_by_organisation_number("974760673") is None
    assert partner_by_organisation_number("") is None
    assert partner_by_organisation_number(None) is None


def test_partners_administered_by_and_memberships_of():
    user = UserFactory(verified=True)
    administered = partner_create(name="B Admin", administrator=user)
    joined = partner_create(name="A Medlem")
    member_add(joined, user=user, role=PartnerRole.MEMBER)
    partner_create(name="C Fremmed", administrator=UserFactory())

    assert list(partners_administered_by(user)) == [administered]
    assert list(partners_administered_by(AnonymousUser())) == []
    assert [m.partner for m in memberships_of(user)] == [joined, administered]
    assert list(memberships_of(AnonymousUser())) == []


def test_hub_partnerships_by_status(hub, other_hub):
    approved = partnership_create(partner=partner_create(name="A"), hub=hub, status=S.APPROVED)
    applied = partnership_create(partner=partner_create(name="B"), hub=hub, status=S.APPLIED)
    partnership_create(partner=partner_create(name="C"), hub=other_hub, status=S.APPLIED)
    assert list(hub_partnerships(hub)) == [approved, applied]
    assert list(hub_partnerships(hub, status=S.APPLIED)) == [applied]


def test_pending_applications_are_seen_by_their_hub_s_coordinators_only(hub, other_hub):
    mine = partnership_create(partner=partner_create(), hub=hub, status=S.APPLIED)
    theirs = partnership_create(partner=partner_create(), hub=other_hub, status=S.APPLIED)
    partnership_create(partner=partner_create(), hub=hub, status=S.APPROVED)

    assert list(pending_partnerships_for_coordinator(coordinator_create(hub))) == [mine]
    assert list(pending_partnerships_for_coordinator(coordinator_create(other_hub))) == [theirs]
    assert set(pending_partnerships_for_coordinator(UserFactory(superuser=True))) == {mine, theirs}
    assert list(pending_partnerships_for_coordinator(UserFactory())) == []
    assert list(pending_partnerships_for_coordinator(AnonymousUser())) == []
    administrator = UserFactory()
    partner = mine.partner
    member_add(partner, user=administrator, role=PartnerRole.ADMINISTRATOR)
    assert list(pending_partnerships_for_coordinator(administrator)) == []
