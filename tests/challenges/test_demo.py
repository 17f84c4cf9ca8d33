"""The demo's fictional challenges: one in the market dialogue, one awarded with its project."""

import io
from datetime import timedelta

import pytest

from challenges.demo import AWARDED_SLUG, DIALOGUE_SLUG, seed_demo_extend
from challenges.models import Challenge, Phase
from events.models import Event, EventKind
from partners.demo import CONTACT_EMAIL
from tests.accounts.factories import UserFactory
from tests.challenges.factories import scene_create
from tests.projects.factories import outcome_create, project_create

pytestmark = pytest.mark.django_db


def test_the_demo_adds_two_challenges_once(client, settings, tmp_path):
    settings.DUGNAD_PAGE_CACHE = False
    settings.MEDIA_ROOT = str(tmp_path)
    scene = scene_create()
    from projects.models import ProjectIndexPage

    project = project_create(ProjectIndexPage.objects.child_of(scene.hub).get())
    outcome_create(project)
    UserFactory(email=CONTACT_EMAIL)  # the demo partners' contact, who books a one-to-one meeting
    seed_demo_extend(scene.hub, io.StringIO())
    seed_demo_extend(scene.hub, io.StringIO())
    dialogue = Challenge.objects.get(hub=scene.hub, slug=DIALOGUE_SLUG)
    awarded = Challenge.objects.get(hub=scene.hub, slug=AWARDED_SLUG)
    assert dialogue.phase == Phase.DIALOGUE and dialogue.questions.filter(published_at__isnull=False).count() == 1
    assert awarded.awarded_submission is not None and awarded.project_id == project.pk
    assert Challenge.objects.filter(hub=scene.hub).count() == 3
    html = client.get(awarded.url).content.decode()
    assert 'data-testid="award"' in html and 'data-testid="outcomes"' in html
    document = dialogue.documents.get()
    assert document.file.read(5) == b"%PDF-" and document.collection_id == scene.hub.collection_id
    html = client.get(dialogue.url).content.decode()
    assert 'data-testid="challenge-documents"' in html and document.title in html
    page = client.get(dialogue.url)
    assert page.status_code == 200
    # The dialogue phase has a meeting (an event of the hub) and six one-to-one meetings, one booked.
    meeting = dialogue.dialogue_meetings.get()
    assert meeting.event.hub_id == scene.hub.pk and meeting.event.kind == EventKind.MARKET_DIALOGUE
    assert Event.objects.filter(hub=scene.hub).count() == 1
    series = dialogue.slot_series.get()
    assert series.slots.count() == 6 and series.bookings.count() == 1
    assert {s.ends_at - s.starts_at for s in series.slots.all()} == {timedelta(minutes=30)}
    html = page.content.decode()
    assert 'data-free="5" data-taken="1"' in html and f"events/{meeting.event_id}/" in html
    assert series.bookings.get().organisation_name not in html
