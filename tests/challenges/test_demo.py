"""The demo's fictional challenges: one in the market dialogue, one awarded with its project."""

import io

import pytest

from challenges.demo import AWARDED_SLUG, DIALOGUE_SLUG, seed_demo_extend
from challenges.models import Challenge, Phase
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
