"""The demo's discussions: a forum with topics, comments on project threads, a mention, an edit and a
report waiting for the coordinator; sequence numbers as the services keep them; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max

from cms.models import HubPage, NavigationSettings
from discussions.admin.views import moderation_queue, waiting_count
from discussions.models import Comment, CommentReport, CommentRevision, ForumIndexPage, Thread
from discussions.rendering import render_comment

pytestmark = pytest.mark.django_db

COORDINATOR = "koordinator@fjordvik.example"


def _seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (ForumIndexPage, Thread, Comment, CommentRevision, CommentReport)
    } | {
        "mentions": Comment.mentions.through.objects.count(),
        "navigation links": len(NavigationSettings.objects.get().links),
        "last seqs": sorted(Thread.objects.values_list("pk", "last_seq")),
    }


def test_seed_demo_adds_a_forum_with_topics_and_comments_on_projects():
    output = _seed()

    hub = HubPage.objects.get()
    forum = ForumIndexPage.objects.child_of(hub).get()
    assert forum.live
    assert forum.pk in {link.value["page"].pk for link in NavigationSettings.objects.get().links}
    topics = Thread.objects.filter(hub=hub, project=None)
    assert topics.count() >= 3
    assert all("fiktiv" in title for title in topics.values_list("title", flat=True))
    assert topics.filter(pinned=True).count() == 1
    assert topics.filter(pinned=True).get().author.email == COORDINATOR
    project_threads = Thread.objects.filter(hub=hub, project__isnull=False, comments__isnull=False).distinct()
    assert project_threads.count() >= 2
    # Norwegian throughout, by the demo's fictional people.
    assert Comment.objects.filter(body__icontains="kommunen").exists()
    assert all("(fiktiv)" in name for name in Comment.objects.values_list("author__display_name", flat=True))
    assert "Discussions (fictional): 3 new forum topics and comments on 3 projects" in output


def test_the_demo_shows_a_mention_an_edit_and_a_report():
    _seed()

    mention = Comment.objects.get(mentions__isnull=False)
    mentioned = mention.mentions.get()
    assert mention.reply_to is not None and mention.reply_to.author == mentioned
    assert f'<span class="mention" data-user="{mentioned.pk}">' in mention.html

    edited = Comment.objects.get(edited_at__isnull=False)
    revision = edited.revisions.get()
    assert revision.body != edited.body
    assert revision.written_at == edited.created_at < edited.edited_at
    assert edited.last_change == "comment.edited"

    report = CommentReport.objects.get()
    assert report.resolved_at is None and report.reporter != report.comment.author
    assert report.comment.is_visible
    coordinator = HubPage.objects.get().coordinators_group.user_set.get(email=COORDINATOR)
    assert waiting_count(coordinator) == 1
    assert list(moderation_queue(coordinator)) == [report.comment]


def test_demo_comments_are_stored_as_the_services_store_them():
    _seed()

    for thread in Thread.objects.exclude(comments=None):
        comments = list(thread.comments.order_by("created_at"))
        seqs = [comment.seq for comment in comments]
        assert len(set(seqs)) == len(seqs)
        assert thread.last_seq == max(seqs)
        # In order of writing: each comment's number follows the one written before.
        assert seqs == sorted(seqs)
        assert thread.last_activity_at == comments[-1].created_at
        for comment in comments:
            assert comment.reply_to is None or comment.reply_to.thread_id == thread.pk
            assert comment.reply_to is None or comment.reply_to.reply_to_id is None
            if not comment.mentions.exists():
                assert comment.html == render_comment(comment.body).html
    assert Comment.objects.aggregate(Max("seq"))["seq__max"] >= 3


def test_seed_demo_twice_changes_nothing_in_the_discussions():
    _seed()
    first = _counts()

    _seed()
    _seed("--if-empty")

    assert _counts() == first
