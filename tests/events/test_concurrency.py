"""Two people taking the last seat at the same moment: one gets it, the other waits."""

import threading

import pytest
from django.db import connection

from events import services
from events.models import Registration, RegistrationStatus
from tests.accounts.factories import UserFactory
from tests.events.factories import event_create


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_registrations_for_the_last_seat_in_parallel(hub):
    event = event_create(hub, capacity=1)
    users = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    errors = []

    def register(user):
        try:
            barrier.wait(timeout=10)
            services.registration_create(user=user, event=event)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
