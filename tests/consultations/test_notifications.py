"""Followers of the hub and of the project hear when a consultation opens and when its summary is
published (notifications.receivers → notifications.tasks.consultation_fanout)."""

import pytest

from consultations import services
from notifications.emails import notification_text
from notifications.models import EventKind, Follow, Notification
from tests.accounts.factories import UserFactory
from tests.consultations.factories import consultation_create
from tests.projects.factories import project_create, project_index_create

pytestmark = pytest.mark.django_db


def test_hub_and_project_followers_hear_of_the_opening_and_the_summary(
    hub, coordinator, django_capture_on_commit_callbacks
):
    project = project_create(project_index_create(hub))
    hub_follower, project_follower, bystander = (UserFactory(verified=True) for _n in range(3))
    Follow.objects.create(user=hub_follower, hub=hub)
    Follow.objects.create(user=project_follower, project=project)
    consultation = consultation_create(hub, project=project, title="Brygga")
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_save(actor=coordinator, consultation=consultation)
    opened = Notification.objects.filter(kind=EventKind.CONSULTATION)
    assert set(opened.values_list("recipient_id", flat=True)) == {hub_follower.pk, project_follower.pk}
    first = opened.first()
    assert first.data == {"consultation_id": consultation.pk, "title": "Brygga", "event": "opened"}
    assert first.url.endswith(f"consultations/{consultation.pk}/")
    assert notification_text(first) == "New consultation: “Brygga”. Tell us what you think"
    with django_capture_on_commit_callbacks(execute=True):
        services.summary_publish(actor=coordinator, consultation=consultation, summary="Vi hørte deg.")
    summary = Notification.objects.filter(kind=EventKind.CONSULTATION, data__event="summary")
    assert summary.count() == 2
    assert summary.first().url.endswith("/results/")
    assert notification_text(summary.first()) == "What we heard: the results of “Brygga” are published"
    assert not Notification.objects.filter(recipient=bystander).exists()
