"""Project addresses use the site's one slug function (æ → ae, ø → o, å → a)."""

import pytest

from projects import services
from tests.projects.factories import proposal_fields, scene_create

pytestmark = pytest.mark.django_db


def test_a_proposed_project_gets_a_readable_ascii_slug():
    scene = scene_create()

    page = services.project_propose(**proposal_fields(scene, title="Grønne tak på Ærøy skole"))

    assert page.slug == "gronne-tak-pa-aeroy-skole"
