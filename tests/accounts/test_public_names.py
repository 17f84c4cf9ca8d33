"""No e-mail address ever appears where others read: people without a display name are shown by
``accounts.names.public_name`` ("Member <number>"), on pages, in live frames, feeds and e-mails.

Every rendered output below is searched for every user's address.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.names import public_name
from discussions import live
from discussions.models import Comment
from notifications import tasks
from notifications.digests import send_digests
from notifications.models import EmailFrequency, EmailPreference, EventKind
from tests.accounts.factories import UserFactory
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create
from tests.notifications.factories import follow_create
from tests.partners.factories import member_add, partner_create, partner_index_create, partnership_create

pytestmark = pytest.mark.django_db


def test_public_name_is_the_display_name_else_a_neutral_member_number():
    named = UserFactory(display_name="  Kari Nordmann ")
    unnamed = UserFactory(display_name="", email="kari@example.org")
    assert public_name(named) == "Kari Nordmann"
    with translation.override("en"):
        assert public_name(unnamed) == f"Member {unnamed.pk}"
        assert public_name(None) == "Former user"
        assert str(unnamed) == f"Member {unnamed.pk}"
    with translation.override("nb"):
        assert "kari@example.org" not in public_name(unnamed)


def test_no_address_appears_on_pages_frames_feeds_or_e_mails_to_others():
    scene = thread_scene_create()
    writer = commenter_create(display_name="", email="skriver@example.org")
    opener = commenter_create(display_name="", email="apner@example.org")
    reader = commenter_create(display_name="", email="leser@example.org")
    scene.topic.author = opener
    scene.topic.save()
    first = comment_create(scene.thread, author=writer, body="Første")
    reply = comment_create(scene.thread, author=reader, body="Svar", reply_to=first)
    comment_create(scene.topic, author=writer, body="I forumet")
    partner = partner_create(name="Synlig AS")
    partnership_create(partner=partner, hub=scene.hub)
    member_add(partner, user=writer)
    directory = partner_index_create(scene.hub)
    follow_create(reader, scene.thread)
    follow_create(reader, scene.topic)
    EmailPreference.objects.create(user=reader, kind=EventKind.COMMENT, frequency=EmailFrequency.DAILY)
    addresses = {user.email for user in (writer, opener, reader, scene.alice, scene.bob, scene.coordinator)}

    outputs = {}
    anonymous = Client()
    outputs["project page"] = anonymous.get(scene.project.url).content.decode()
    outputs["forum topic"] = anonymous.get(f"{scene.forum.url}{scene.topic.pk}/").content.decode()
    outputs["forum"] = anonymous.get(scene.forum.url).content.decode()
    outputs["partner page"] = anonymous.get(
        directory.url + directory.reverse_subpage("partner", kwargs={"slug": partner.slug})
    ).content.decode()
    outputs["project feed"] = anonymous.get(scene.project.get_parent().url + "feed/").content.decode()
    for name, comment in {"frame": first, "reply frame": reply}.items():
        comment = Comment.objects.select_related("author", "reply_to__author", "thread").get(pk=comment.pk)
        outputs[name] = "".join(live.event_frames(comment).values())

    # A comment by the writer reaches the reader (follower) as a notification and a digest.
    told = comment_create(scene.thread, author=writer, body="Til følgerne")
    tasks.comment_posted_fanout.call(told.pk)
    member = Client()
    member.force_login(scene.bob)
    outputs["partner page, logged in"] = member.get(
        directory.url + directory.reverse_subpage("partner", kwargs={"slug": partner.slug})
    ).content.decode()
    as_reader = Client()
    as_reader.force_login(scene.alice)
    outputs["project page, logged in"] = as_reader.get(scene.project.url).content.decode()
    follower = Client()
    follower.force_login(reader)
    outputs["centre"] = follower.get(reverse("notifications:centre")).content.decode()
    outputs["following"] = follower.get(reverse("notifications:following")).content.decode()
    send_digests(EmailFrequency.DAILY)
    assert mail.outbox, "the reader was sent a digest"
    for number, message in enumerate(mail.outbox):
        text = message.body + "".join(str(content) for content, _type in getattr(message, "alternatives", []))
        outputs[f"e-mail {number}"] = text.replace(message.to[0], "")  # their own address is theirs

    assert f"Medlem {writer.pk}" in outputs["project page"]  # the writer is there, by number
    for name, output in outputs.items():
        for address in addresses - ({reader.email} if name in ("centre", "following") else set()):
            assert address not in output, (name, address)
