"""Helpers shared by the e-mail, digest and unsubscribe tests."""

from django.contrib.auth import get_user_model

from notifications import services
from notifications.models import EmailPreference

BASE_URL = "https://dugnad.example"


def notify_one(scene, kind, recipient, *, actor=None, data=None, **about):
    """One notification for ``recipient`` about bob's comment in the project's thread (unless
    ``about`` says otherwise), written by the real service."""
    if not about:
        about = {
            "thread_id": scene.thread.pk,
            "project_id": scene.project.pk,
            "comment_id": scene.thread.comments.filter(author=scene.bob).order_by("pk").first().pk,
        }
    written = services.notify(
        kind=kind,
        recipient_ids=[recipient.pk],
        actor_id=(actor or scene.bob).pk,
        hub_id=scene.hub.pk,
        url=f"{scene.project.url}#comment-1",
        data=data,
        **about,
    )
    assert len(written) == 1, "the recipient was not eligible"
    return written[0]


def prefer(user, **frequencies):
    """Set ``user``'s frequency for some kinds directly (the service is tested on its own)."""
    for kind, frequency in frequencies.items():
        EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})


def users_bulk_create(count: int, *, prefix: str) -> list:
    User = get_user_model()
    return User.objects.bulk_create(
        [User(email=f"{prefix}{n}@example.org", display_name=f"{prefix} {n}", password="!") for n in range(count)]
    )


def text_part(message) -> str:
    return message.body


def html_part(message) -> str:
    (html, mimetype), *_rest = message.alternatives
    assert mimetype == "text/html"
    return html
