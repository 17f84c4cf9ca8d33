"""The demo's ideas: supports, comments, a "not now" with its reason, one taken forward into a
proposal that links back; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from discussions import selectors as discussion_selectors
from ideas.models import Idea, IdeaStatus, IdeaSupport

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_ideas_once():
    call_command("seed_demo", stdout=StringIO())
    ideas = Idea.objects.all()
    assert ideas.count() == 4
    assert IdeaSupport.objects.count() == 7
    not_now = ideas.get(status=IdeaStatus.NOT_NOW)
    assert "moloen skal repareres" in not_now.answer_html
    taken = ideas.get(project__isnull=False)
    assert taken.status == IdeaStatus.TAKEN_FORWARD and not taken.project.live
    assert "Basert på ideen til" in str(taken.project.body[0].value)
    assert taken.thread.comments.count() == 2
    assert taken.thread not in discussion_selectors.forum_topics(taken.hub)
    call_command("seed_demo", stdout=StringIO())
    assert Idea.objects.count() == 4 and IdeaSupport.objects.count() == 7
