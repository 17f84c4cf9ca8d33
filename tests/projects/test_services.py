"""The project services: happy paths, refusals, and that a refusal leaves nothing behind."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from wagtail.models import Revision, WorkflowState

from partners.models import PartnershipStatus
from projects import services
from projects.models import Outcome, OutcomeMeasurement, ProgressUpdate, ProjectPage
from tests.partners.factories import member_add, partner_create, partnership_create
from tests.projects.factories import goal, project_create, proposal_fields, scene_create, target, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return scene_create()


def _update(scene, page, **overrides):
    fields = proposal_fields(scene, **overrides)
    del fields["index"]
    return services.project_proposal_update(page=page, **fields)


def _nothing_saved():
    assert not ProjectPage.objects.exists()
    assert not Revision.objects.filter(base_content_type__model="page", object_str="Grønn havn").exists()
    assert not WorkflowState.objects.exists()


def test_propose_creates_a_draft_in_review(scene):
    page = services.project_propose(**proposal_fields(scene))
    page.refresh_from_db()
    assert page.live is False
    assert page.get_parent().pk == scene.index.pk
    assert page.proposed_by == scene.proposer
    assert set(page.goals.all()) == {goal(7)}
    assert set(page.targets.values_list("code", flat=True)) == {"13.2", "7.2"}
    assert list(page.partners.all()) == [scene.participant]
    assert page.get_latest_revision() is not None
    assert page.body[0].block_type == "text"
    assert page.body[0].value.source == "<p>Første avsnitt.</p>\n<p>Andre avsnitt.</p>"
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == scene.proposer


def test_propose_keeps_lead_partner_out_of_participants(scene):
    page = services.project_propose(**proposal_fields(scene, partners=[scene.lead, scene.participant]))
    assert list(page.partners.all()) == [scene.participant]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"targets": ["1.1"]}, "targets", "1.1"),
        (
            {"start_date": datetime.date(2026, 5, 1), "end_date": datetime.date(2026, 4, 1)},
            "end_date",
            "before the start",
        ),
        ({"summary": "Hei <script>alert(1)</script>"}, "summary", "<script>"),
        ({"title": '<img src=x onerror="alert(1)">'}, "title", "onerror"),
        ({"body_text": "<b onclick='x()'>hi</b>"}, "body_text", "onclick"),
        ({"funding_notes": "<script>x</script>"}, "funding_notes", "<script>"),
        ({"contact_email": "not an address"}, "contact_email", "valid email"),
        ({"summary": ""}, "summary", "cannot be blank"),
        ({"status": "bogus"}, "status", "not a valid choice"),
    ],
)
def test_propose_refuses_bad_input_and_saves_nothing(scene, overrides, field, words):
    if "targets" in overrides:
        overrides = {"targets": [target(code) for code in overrides["targets"]]}
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            services.project_propose(**proposal_fields(scene, **overrides))
        messages = " ".join(caught.value.message_dict[field])
    assert words in messages
    _nothing_saved()


def test_propose_refuses_a_participant_not_approved_in_this_hub(scene):
    elsewhere = partner_create(name="Molde AS")
    partnership_create(partner=elsewhere, hub=scene.other_hub, status=PartnershipStatus.APPROVED)
    pending = partner_create(name="Venter AS")
    partnership_create(partner=pending, hub=scene.hub, status=PartnershipStatus.APPLIED)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.project_propose(**proposal_fields(scene, partners=[elsewhere, pending]))
    message = caught.value.message_dict["partners"][0]
    assert "Molde AS" in message and "Venter AS" in message
    _nothing_saved()


def test_propose_refuses_a_lead_the_proposer_does_not_act_for(scene):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.project_propose(**proposal_fields(scene, lead_partner=scene.participant, partners=[]))
    assert "partner you act for" in caught.value.message_dict["lead_partner"][0]
    _nothing_saved()


def test_propose_refuses_people_without_an_approved_partner_in_the_hub(scene):
    stranger = user_create()
    with pytest.raises(PermissionDenied):
        services.project_propose(**proposal_fields(scene, actor=stranger))
    other_hub_member = member_add(partner_create()).user
    with pytest.raises(PermissionDenied):
        services.project_propose(**proposal_fields(scene, actor=other_hub_member))
    _nothing_saved()


def test_proposal_update_while_waiting_moves_review_to_new_revision(scene):
    page = services.project_propose(**proposal_fields(scene))
    _update(scene, page, title="Grønnere havn", goals=[], targets=[target("13.2")])
    page.refresh_from_db()
    assert page.title == "Grønnere havn"
    assert not page.goals.exists()
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.revision_id == page.latest_revision_id


def test_proposal_update_refused_for_others_and_once_live(scene):
    page = services.project_propose(**proposal_fields(scene))
    with pytest.raises(PermissionDenied):
        _update(scene, page, actor=scene.lead_member)
    page.get_latest_revision().publish()
    with pytest.raises(PermissionDenied):
        _update(scene, page)


def test_proposal_update_bad_input_changes_nothing(scene):
    page = services.project_propose(**proposal_fields(scene))
    revisions = Revision.objects.count()
    with pytest.raises(ValidationError):
        _update(scene, page, summary="<script>x</script>")
    page.refresh_from_db()
    assert page.summary == "Landstrøm for skip i havna."
    assert Revision.objects.count() == revisions


# --- progress updates ------------------------------------------------------------------------


@pytest.fixture
def live_project(scene):
    page = project_create(scene.index, lead_partner=scene.lead, partners=[scene.participant])
    outcome = Outcome.objects.create(
        project=page, title="Utslipp", unit="tonn", baseline=100, target_value=50, target_date=datetime.date(2030, 1, 1)
    )
    return page, outcome


def test_progress_update_records_values_and_freshness_without_a_revision(scene, live_project):
    page, outcome = live_project
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    update = services.progress_update_create(
        actor=scene.participant_member,
        page=page,
        partner=scene.participant,
        reported_on=datetime.date(2026, 3, 1),
        text="<p>Vi har <b>startet</b>.</p>",
        outcome_values={outcome.pk: "87,5"},
    )
    assert update.text == "<p>Vi har <b>startet</b>.</p>"
    measurement = OutcomeMeasurement.objects.get(update=update)
    assert measurement.value == Decimal("87.50")
    assert measurement.measured_on == datetime.date(2026, 3, 1)
    page.refresh_from_db()
    assert page.last_reported_at == datetime.date(2026, 3, 1)
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions

    services.progress_update_create(
        actor=scene.participant_member,
        page=page,
        partner=scene.participant,
        reported_on=datetime.date(2025, 1, 1),
        text="Eldre nytt",
    )
    page.refresh_from_db()
    assert page.last_reported_at == datetime.date(2026, 3, 1), "an older report does not move freshness back"


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"text": "<script>alert(1)</script>Hei"}, "text", "<script>"),
        ({"text": "   "}, "text", "Tell what happened"),
        ({"outcome_values": "not-a-number"}, "outcome", "Enter a number"),
        ({"outcome_values": "NaN"}, "outcome", "Enter a number"),
        ({"outcome_values": "other-project"}, "outcome_values", "another project"),
    ],
)
def test_progress_update_refuses_bad_input_and_saves_nothing(scene, live_project, kwargs, field, words):
    page, outcome = live_project
    arguments = {
        "actor": scene.lead_member,
        "page": page,
        "partner": scene.lead,
        "reported_on": datetime.date(2026, 3, 1),
        "text": "Fint",
    }
    if kwargs.get("outcome_values") == "other-project":
        other = project_create(scene.index)
        foreign = Outcome.objects.create(
            project=other, title="X", unit="x", baseline=0, target_value=1, target_date=datetime.date(2030, 1, 1)
        )
        kwargs = {"outcome_values": {foreign.pk: "3"}}
    elif "outcome_values" in kwargs:
        kwargs = {"outcome_values": {outcome.pk: kwargs["outcome_values"]}}
    arguments.update(kwargs)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.progress_update_create(**arguments)
    key = f"outcome_{outcome.pk}" if field == "outcome" else field
    assert words in " ".join(caught.value.message_dict[key])
    assert not ProgressUpdate.objects.exists()
    assert not OutcomeMeasurement.objects.exists()
    page.refresh_from_db()
    assert page.last_reported_at is None


def test_progress_update_only_by_project_partners_on_live_projects(scene, live_project):
    page, _outcome = live_project
    arguments = {"page": page, "reported_on": datetime.date(2026, 3, 1), "text": "Fint"}
    with pytest.raises(PermissionDenied):
        services.progress_update_create(actor=scene.unrelated_member, partner=scene.lead, **arguments)
    with pytest.raises(PermissionDenied):
        services.progress_update_create(actor=scene.coordinator, partner=scene.lead, **arguments)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.progress_update_create(actor=scene.lead_member, partner=scene.participant, **arguments)
    assert "act for" in caught.value.message_dict["partner"][0]
    draft = project_create(scene.index, lead_partner=scene.lead, live=False)
    with pytest.raises(PermissionDenied):
        services.progress_update_create(actor=scene.lead_member, partner=scene.lead, **{**arguments, "page": draft})
    assert not ProgressUpdate.objects.exists()
