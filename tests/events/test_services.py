"""Registration, the waiting list moving up, cancelling, reminders and the deletion after the event."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from events import services
from events.events import event_cancelled, event_published, registration_promoted, reminders_due
from events.models import Event, EventStatus, Registration, RegistrationStatus
from tests.accounts.factories import UserFactory
from tests.events.factories import event_create, registration_create
from tests.partners.factories import partner_create, partnership_create
from tests.projects.factories import project_create, project_index_create

pytestmark = pytest.mark.django_db


class _Received:
    def __init__(self, signal):
        self.calls = []
        self.signal = signal

    def __call__(self, sender, **kwargs):
        self.calls.append(kwargs)

    def __enter__(self):
        self.signal.connect(self, weak=False)
        return self

    def __exit__(self, *args):
        self.signal.disconnect(self)


def test_registration_takes_a_seat_then_the_waiting_list(hub):
    event = event_create(hub, capacity=1)
    first = services.registration_create(user=UserFactory(), event=event)
    second = services.registration_create(user=UserFactory(), event=event)
    assert first.status == RegistrationStatus.REGISTERED
    assert second.status == RegistrationStatus.WAITING


def test_no_capacity_means_no_limit(hub):
    event = event_create(hub, capacity=None)
    statuses = {services.registration_create(user=UserFactory(), event=event).status for _ in range(5)}
    assert statuses == {RegistrationStatus.REGISTERED}


def test_registering_twice_is_refused(hub):
    event = event_create(hub)
    user = UserFactory()
    services.registration_create(user=user, event=event)
    with pytest.raises(ValidationError):
        services.registration_create(user=user, event=event)


def test_registration_closes_when_the_event_starts(hub):
    event = event_create(hub, starts_in=timedelta(minutes=-1))
    with pytest.raises(PermissionDenied):
        services.registration_create(user=UserFactory(), event=event)


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_no_registration_for_drafts_or_cancelled_events(hub, status):
    event = event_create(hub, status=status)
    with pytest.raises(PermissionDenied):
        services.registration_create(user=UserFactory(), event=event)


def test_needs_are_kept_only_when_asked_for(hub):
    asked = event_create(hub, ask_dietary_needs=True)
    not_asked = event_create(hub)
    one = services.registration_create(
        user=UserFactory(), event=asked, dietary_needs=" Vegan ", accessibility_needs="x"
    )
    two = services.registration_create(user=UserFactory(), event=not_asked, dietary_needs="Vegan")
    assert (one.dietary_needs, one.accessibility_needs) == ("Vegan", "")
    assert two.dietary_needs == ""


def test_cancelling_moves_the_first_on_the_waiting_list_up(hub, django_capture_on_commit_callbacks):
    event = event_create(hub, capacity=1)
    holder = UserFactory()
    seat = services.registration_create(user=holder, event=event)
    first_waiting = services.registration_create(user=UserFactory(), event=event)
    second_waiting = services.registration_create(user=UserFactory(), event=event)
    with _Received(registration_promoted) as received, django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=holder, registration=seat)
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.CANCELLED
    assert first_waiting.status == RegistrationStatus.REGISTERED
    assert second_waiting.status == RegistrationStatus.WAITING
    assert [call["registration"].pk for call in received.calls] == [first_waiting.pk]


def test_only_ones_own_registration_can_be_cancelled(hub):
    event = event_create(hub)
    registration = services.registration_create(user=UserFactory(), event=event)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(user=UserFactory(), registration=registration)


def test_registering_again_after_cancelling_joins_the_end_of_the_queue(hub):
    event = event_create(hub, capacity=1)
    user = UserFactory()
    registration = services.registration_create(user=user, event=event)
    services.registration_cancel(user=user, registration=registration)
    services.registration_create(user=UserFactory(), event=event)
    again = services.registration_create(user=user, event=event)
    assert again.pk == registration.pk
    assert again.status == RegistrationStatus.WAITING


def test_coordinator_creates_and_publishes_once(hub, coordinator, django_capture_on_commit_callbacks):
    event = Event(
        hub=hub,
        title="Dugnad",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
    )
    with _Received(event_published) as received, django_capture_on_commit_callbacks(execute=True):
        services.event_save(actor=coordinator, event=event)
        event.status = EventStatus.PUBLISHED
        services.event_save(actor=coordinator, event=event)
        event.title = "Dugnad 2"
        services.event_save(actor=coordinator, event=event)
    assert len(received.calls) == 1
    assert event.published_at is not None


def test_cancelling_a_published_event_is_announced(hub, coordinator, django_capture_on_commit_callbacks):
    event = event_create(hub)
    with _Received(event_cancelled) as received, django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=coordinator, event=event)
    assert event.status == EventStatus.CANCELLED
    assert len(received.calls) == 1


def test_a_larger_capacity_moves_people_up(hub, coordinator):
    event = event_create(hub, capacity=1)
    services.registration_create(user=UserFactory(), event=event)
    waiting = services.registration_create(user=UserFactory(), event=event)
    event.capacity = 2
    services.event_save(actor=coordinator, event=event)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_project_must_be_in_the_hub_and_partners_approved(hub, coordinator):
    from tests.partners.factories import hub_create

    other = hub_create(home=hub.get_parent().specific)
    project = project_create(project_index_create(other))
    applied = partner_create()
    partnership_create(partner=applied, hub=hub, status="applied")
    event = event_create(hub, project=None)
    event.project = project
    with pytest.raises(ValidationError) as error:
        services.event_save(actor=coordinator, event=event, partners=[applied])
    assert set(error.value.message_dict) == {"project", "partners"}


def test_only_coordinators_of_the_hub_save_events(hub):
    event = Event(hub=hub, title="x", starts_at=timezone.now(), ends_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.event_save(actor=UserFactory(), event=event)


def test_reminders_once_for_tomorrows_events(hub, django_capture_on_commit_callbacks):
    from events.models import OSLO

    tomorrow = timezone.localtime(timezone.now(), OSLO).date() + timedelta(days=1)
    from datetime import datetime, time

    event = event_create(hub, starts_at=datetime.combine(tomorrow, time(18), tzinfo=OSLO))
    later = event_create(hub, starts_in=timedelta(days=5))
    seat = registration_create(event, UserFactory())
    registration_create(event, UserFactory(), status=RegistrationStatus.WAITING)
    registration_create(later, UserFactory())
    with _Received(reminders_due) as received, django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders")
        call_command("send_event_reminders")
    assert [(call["event"].pk, call["registration_ids"]) for call in received.calls] == [(event.pk, [seat.pk])]
    seat.refresh_from_db()
    assert seat.reminded_at is not None


def test_personal_data_is_deleted_after_the_retention_period(hub, settings):
    settings.EVENT_PERSONAL_DATA_RETENTION_DAYS = 30
    old = event_create(hub, starts_in=timedelta(days=-32))
    recent = event_create(hub, starts_in=timedelta(days=-10))
    registration_create(old, UserFactory(), dietary_needs="Nøtteallergi")
    registration_create(old, UserFactory(), status=RegistrationStatus.CANCELLED)
    kept = registration_create(recent, UserFactory(), dietary_needs="Vegan")
    call_command("events_purge_personal_data")
    old.refresh_from_db()
    assert not Registration.objects.filter(event=old).exists()
    assert old.attended_count == 1
    assert old.personal_data_purged_at is not None
    assert Registration.objects.filter(pk=kept.pk).exists()


def test_privacy_export_and_erase_free_the_seat(hub):
    from events import privacy

    event = event_create(hub, capacity=1, ask_dietary_needs=True)
    user = UserFactory()
    services.registration_create(user=user, event=event, dietary_needs="Glutenfri")
    waiting = services.registration_create(user=UserFactory(), event=event)
    exported = privacy.export(user)
    assert exported["registrations"][0]["dietary_needs"] == "Glutenfri"
    privacy.erase(user, remove_comment_text=False)
    waiting.refresh_from_db()
    assert not Registration.objects.filter(user=user).exists()
    assert waiting.status == RegistrationStatus.REGISTERED
