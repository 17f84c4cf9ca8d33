import pytest

from partners.models import PartnerKind, PartnershipStatus
from tests.partners.factories import hub_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create

HUB_NUMBER = "974760673"  # a valid organisation number (Brønnøysundregistrene's own)


@pytest.fixture
def hub(db):
    return hub_create(
        title="Fjordvik framtidslab",
        municipality="Fjordvik kommune",
        organisation_number=HUB_NUMBER,
        contact_email="lab@fjordvik.example",
    )


@pytest.fixture
def lists(hub):
    """The hub's project list and partner directory, both public."""
    return project_index_create(hub), partner_index_create(hub)


@pytest.fixture
def content(hub, lists):
    """Two approved partners and two live projects (goals 7 and 13)."""
    index, _directory = lists
    solar = partner_create(name="Solkraft AS", kind=PartnerKind.BUSINESS, goals=[goal(7)], municipality="Fjordvik")
    school = partner_create(name="Fjordvik skole", kind=PartnerKind.RESEARCH_EDUCATION, goals=[goal(4)])
    for partner in (solar, school):
        partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPROVED)
    energy = project_create(
        index, title="Solceller på skolen", primary_goal=goal(7), lead_partner=solar, partners=[school]
    )
    climate = project_create(index, title="Klimaplan", primary_goal=goal(13), lead_partner=school)
    return {"solar": solar, "school": school, "energy": energy, "climate": climate, "index": index}
