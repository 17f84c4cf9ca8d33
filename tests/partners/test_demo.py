from io import StringIO

import pytest
from django.core.management import call_command

from cms.models import HubPage, NavigationSettings
from partners.demo import fictional_organisation_number
from partners.models import (
    Partner,
    PartnerIndexPage,
    PartnerKind,
    PartnerMember,
    PartnerRole,
    Partnership,
    PartnershipEvent,
    PartnershipStatus,
    PartnerTerms,
)
from partners.selectors import pending_partnerships_for_coordinator
from partners.validators import validate_organisation_number

pytestmark = pytest.mark.django_db

RESIDENT = "innbygger@fjordvik.example"
COORDINATOR = "koordinator@fjordvik.example"


def _seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Partner, Partnership, PartnershipEvent, PartnerMember, PartnerTerms, PartnerIndexPage)
    } | {"navigation links": len(NavigationSettings.objects.get().links)}


def test_seed_demo_adds_twelve_approved_partners_of_every_kind_and_one_waiting_application():
    output = _seed()

    hub = HubPage.objects.get()
    index = PartnerIndexPage.objects.child_of(hub).get()
    assert index.live
    approved = Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED)
    assert approved.count() == 12
    assert set(approved.values_list("kind", flat=True)) == set(PartnerKind.values)
    assert all("(fiktiv)" in name for name in Partner.objects.values_list("name", flat=True))
    assert approved.filter(logo__isnull=False).count() >= 3
    assert approved.filter(goals__isnull=False).distinct().count() == 12
    assert approved.filter(tagged_items__isnull=False).distinct().exists()

    applied = Partnership.objects.get(hub=hub, status=PartnershipStatus.APPLIED)
    assert Partnership.objects.filter(status=PartnershipStatus.APPLIED).count() == 1
    assert applied.applied_by.email == RESIDENT
    assert PartnerMember.objects.filter(
        partner=applied.partner, user__email=RESIDENT, role=PartnerRole.ADMINISTRATOR
    ).exists()
    coordinator = applied.hub.coordinators_group.user_set.get(email=COORDINATOR)
    assert list(pending_partnerships_for_coordinator(coordinator)) == [applied]

    terms = PartnerTerms.objects.get(hub=hub)
    assert "Fiktive demodata" in terms.text
    assert set(Partnership.objects.values_list("terms", flat=True)) == {terms.pk}
    assert {link.value["page"].pk for link in NavigationSettings.objects.get().links} >= {index.pk}
    assert "Partners (fictional): 12 approved, one application waiting" in output


def test_seed_demo_twice_changes_nothing_in_the_partners():
    _seed()
    first = _counts()
    statuses = sorted(Partnership.objects.values_list("partner__name", "status"))

    _seed()

    assert _counts() == first
    assert sorted(Partnership.objects.values_list("partner__name", "status")) == statuses


def test_demo_organisation_numbers_are_valid_and_outside_the_range_in_real_use():
    numbers = [fictional_organisation_number(seed) for seed in range(1, 40)]

    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        validate_organisation_number(number)
        assert number[0] not in "89"
