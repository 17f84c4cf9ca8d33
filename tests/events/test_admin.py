"""The coordinators' event admin: list scoped to their hubs, the form (errors keep input), cancelling."""

import pytest
from django.urls import reverse

from events.models import Event, EventStatus
from tests.events.factories import event_create
from tests.partners.factories import coordinator_create, hub_create, partner_create, partnership_create
from tests.projects.factories import goal

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Klimaverksted",
        "kind": "workshop",
        "description": "Vi lager *planer*.",
        "starts_at": "2030-05-02T17:00",
        "ends_at": "2030-05-02T19:00",
        "address": "Storgata 1",
        "capacity": "20",
        "status": "published",
        "goals": [goal(13).pk],
    }
    data.update(overrides)
    return data


def test_index_shows_only_the_coordinators_hubs(client, hub, coordinator):
    other = hub_create(home=hub.get_parent().specific)
    event_create(hub, title="Vårt møte")
    event_create(other, title="Deres møte")
    client.force_login(coordinator)
    page = client.get(reverse("events_admin_index")).content.decode()
    assert "Vårt møte" in page and "Deres møte" not in page


def test_create_event_in_norwegian_time(client, hub, coordinator):
    partner = partner_create()
    partnership_create(partner=partner, hub=hub)
    client.force_login(coordinator)
    response = client.post(f"{reverse('events_admin_create')}?hub={hub.pk}", _form(partners=[partner.pk]))
    assert response.status_code == 302
    event = Event.objects.get(title="Klimaverksted")
    assert event.hub == hub
    assert event.starts_at.isoformat() == "2030-05-02T15:00:00+00:00"  # 17:00 in Oslo (summer time)
    assert list(event.partners.all()) == [partner]
    assert event.published_at is not None


def test_form_errors_keep_what_was_typed(client, hub, coordinator):
    client.force_login(coordinator)
    response = client.post(
        f"{reverse('events_admin_create')}?hub={hub.pk}", _form(ends_at="2030-05-01T10:00", title="Beholdt tittel")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Beholdt tittel" in page
    assert not Event.objects.exists()


def test_another_hubs_coordinator_cannot_create_here(client, hub):
    other = hub_create(home=hub.get_parent().specific)
    client.force_login(coordinator_create(other))
    response = client.post(f"{reverse('events_admin_create')}?hub={hub.pk}", _form())
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_cancel_event(client, hub, coordinator):
    event = event_create(hub)
    client.force_login(coordinator)
    response = client.post(reverse("events_admin_edit", args=[event.pk]), {"action": "cancel-event"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


def test_demo_seeds_events_once(hub):
    import io

    from events.demo import seed_demo_extend

    seed_demo_extend(hub, io.StringIO())
    seed_demo_extend(hub, io.StringIO())
    assert Event.objects.filter(hub=hub).count() == 4
    assert Event.objects.filter(hub=hub, online_url__gt="").exists()
