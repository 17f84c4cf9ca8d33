import pytest
from django.core.exceptions import ValidationError

from discussions import selectors as discussion_selectors
from discussions.models import Thread
from discussions.permissions import can_view_thread
from ideas import services
from ideas.models import IdeaStatus, IdeaSupport
from notifications.models import EventKind, Notification
from projects.models import ProjectPage, ProjectStatus
from tests.accounts.images import SVG, picture_bytes, upload
from tests.discussions.factories import comment_create, forum_create
from tests.ideas.factories import goal, idea_create

pytestmark = pytest.mark.django_db


def test_posting_renders_sanitised_markdown_makes_a_thread_and_keeps_the_goals(scene):
    idea = idea_create(
        scene.hub, scene.citizen, title="  Sykkelstativ  ", text="**Flere** <script>alert(1)</script>", goals=[goal(3)]
    )
    assert idea.title == "Sykkelstativ"
    assert "<strong>Flere</strong>" in idea.html
    assert "<script>" not in idea.html
    assert idea.thread.hub == scene.hub and idea.thread.title == "Sykkelstativ"
    assert [g.number for g in idea.goals.all()] == [3]
    assert idea.status == IdeaStatus.NEW


def test_a_title_is_required_and_nothing_is_written_without_it(scene):
    with pytest.raises(ValidationError) as error:
        idea_create(scene.hub, scene.citizen, title=" ", text="Tekst")
    assert "title" in error.value.error_dict
    assert not Thread.objects.filter(author=scene.citizen).exists()


def test_a_picture_is_re_encoded_and_a_non_picture_is_refused_at_its_field(scene):
    idea = idea_create(scene.hub, scene.citizen, picture=upload(picture_bytes(size=(40, 30))))
    assert idea.picture.name.startswith("ideas/") and idea.picture.width == 40
    with pytest.raises(ValidationError) as error:
        idea_create(scene.hub, scene.citizen, picture=upload(SVG, name="x.svg", content_type="image/svg+xml"))
    assert "picture" in error.value.error_dict


def test_too_many_pixels_are_refused(scene, settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 100
    with pytest.raises(ValidationError) as error:
        idea_create(scene.hub, scene.citizen, picture=upload(picture_bytes(size=(20, 20))))
    assert error.value.error_dict["picture"][0].code == "too_many_pixels"


def test_one_support_per_person_and_it_can_be_withdrawn(scene):
    assert services.idea_support(actor=scene.citizen, idea=scene.idea) is True
    assert services.idea_support(actor=scene.citizen, idea=scene.idea) is False
    assert IdeaSupport.objects.filter(idea=scene.idea).count() == 1
    assert services.idea_support_withdraw(actor=scene.citizen, idea=scene.idea) is True
    assert services.idea_support_withdraw(actor=scene.citizen, idea=scene.idea) is False
    assert not IdeaSupport.objects.exists()


def test_not_now_needs_a_reason(scene):
    with pytest.raises(ValidationError) as error:
        services.idea_answer(actor=scene.coordinator, idea=scene.idea, status=IdeaStatus.NOT_NOW, answer="  ")
    assert "answer" in error.value.error_dict
    idea = services.idea_answer(
        actor=scene.coordinator, idea=scene.idea, status=IdeaStatus.NOT_NOW, answer="Ikke i *år*."
    )
    assert idea.answer_html == "<p>Ikke i <em>år</em>.</p>" and idea.answered_by == scene.coordinator


def test_an_answer_tells_the_author_and_the_supporters(scene, django_capture_on_commit_callbacks):
    services.idea_support(actor=scene.citizen, idea=scene.idea)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_answer(
            actor=scene.coordinator, idea=scene.idea, status=IdeaStatus.UNDER_REVIEW, answer="Ser på det"
        )
    notes = Notification.objects.filter(kind=EventKind.IDEA)
    assert {n.recipient_id for n in notes} == {scene.author.pk, scene.citizen.pk}
    note = notes.first()
    assert note.data["event"] == "answered" and note.data["status"] == IdeaStatus.UNDER_REVIEW
    assert note.url.endswith(f"/ideas/{scene.idea.pk}/")
    from notifications.emails import notification_text

    assert notification_text(note) == "The idea “Benker langs sjøen” was answered: Under review"


def test_a_hidden_idea_tells_nobody(scene, django_capture_on_commit_callbacks):
    services.idea_hide(actor=scene.coordinator, idea=scene.idea, reason="Spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_answer(actor=scene.coordinator, idea=scene.idea, status=IdeaStatus.NOT_NOW, answer="Spam")
    assert not Notification.objects.filter(kind=EventKind.IDEA).exists()


def test_turning_into_a_project_proposes_a_draft_crediting_the_author_and_links_both_ways(
    scene, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = services.idea_to_project(
            actor=scene.coordinating_member,
            idea=scene.idea,
            lead_partner=scene.partner,
            primary_goal=None,
            idea_url="https://example.org/alesund/ideas/1/",
        )
    project = ProjectPage.objects.get(pk=project.pk)
    scene.idea.refresh_from_db()
    assert not project.live and project.proposed_by == scene.coordinating_member
    assert project.title == scene.idea.title and project.primary_goal.number == 11
    assert project.status == ProjectStatus.IDEA
    assert "Based on the idea by Ada Forfatter" in str(project.body[0].value)
    assert scene.idea.project == project and scene.idea.status == IdeaStatus.TAKEN_FORWARD
    note = Notification.objects.get(kind=EventKind.IDEA, recipient=scene.author)
    assert note.data["event"] == "project" and note.project_id == project.pk


def test_the_ideas_thread_is_not_a_forum_topic_and_points_to_the_idea(scene):
    forum = forum_create(scene.hub)
    thread = scene.idea.thread
    assert thread not in discussion_selectors.forum_topics(scene.hub)
    assert discussion_selectors.forum_topic(scene.hub, thread.pk) is None
    thread = Thread.objects.get(pk=thread.pk)
    assert discussion_selectors.thread_url(thread).endswith(f"/ideas/{scene.idea.pk}/#discussion")
    comment = comment_create(thread, author=scene.citizen)
    assert discussion_selectors.comment_url(comment).endswith(f"/ideas/{scene.idea.pk}/#comment-{comment.pk}")
    assert forum.live


def test_a_hidden_ideas_thread_is_seen_only_by_its_author_and_the_coordinators(scene):
    services.idea_hide(actor=scene.coordinator, idea=scene.idea, reason="Spam")
    thread = Thread.objects.get(pk=scene.idea.thread_id)
    assert not can_view_thread(scene.citizen, thread)
    assert can_view_thread(scene.author, Thread.objects.get(pk=thread.pk))
    assert can_view_thread(scene.coordinator, Thread.objects.get(pk=thread.pk))
