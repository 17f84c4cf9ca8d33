"""Own data: a person downloads everything stored about them, closes their account, and is erased."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import timezone

from accounts.models import DataExport, User
from accounts.services import account_close, account_erase, profile_update, retention_apply
from cms.services import hub_coordinator_add
from discussions.models import Comment, CommentRevision
from notifications.models import Follow, Notification
from partners.models import PartnerMember, PartnerRole, PartnershipEvent
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.images import picture_bytes
from tests.discussions.factories import comment_create, thread_scene_create
from tests.partners.factories import member_add, partner_create, partnership_create

pytestmark = pytest.mark.django_db

NAME = "Solveig Ekstrøm-Personvern"
EMAIL = "solveig.personvern@example.org"


@pytest.fixture
def scene():
    return thread_scene_create()


@pytest.fixture
def person(scene):
    """Someone with something in every app: avatar, comments with a revision, membership, follow, notification."""
    user = UserFactory(email=EMAIL, display_name=NAME, verified=True, date_joined=timezone.now() - timedelta(days=60))
    profile_update(
        user=user,
        display_name=NAME,
        avatar=SimpleUploadedFile("me.png", picture_bytes(), content_type="image/png"),
        remove_avatar=False,
        preferred_language="en",
    )
    comment = comment_create(scene.thread, author=user, body="Sykkelparkering ved kaia, takk.")
    CommentRevision.objects.create(comment=comment, body="Første utkast.", written_at=timezone.now())
    partner = partner_create(administrator=user, name="Havkraft AS")
    partnership_create(partner=partner, hub=scene.hub)
    Follow.objects.create(user=user, project=scene.project)
    Notification.objects.create(recipient=user, seq=1, kind="comment", thread=scene.thread, comment=comment)
    return user


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _download(client, mailoutbox) -> zipfile.ZipFile:
    page = client.get("/accounts/data/")
    link = next(line for line in page.content.decode().splitlines() if "/accounts/data/download/" in line)
    url = link.split('href="', 1)[1].split('"', 1)[0]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return url, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_person_downloads_everything_stored_about_them(person, scene, mailoutbox, django_capture_on_commit_callbacks):
    client = _logged_in(person)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/data/").status_code == 302

    assert [message.to for message in mailoutbox] == [[EMAIL]]
    assert "/accounts/data/" in mailoutbox[0].body
    url, archive = _download(client, mailoutbox)
    data = json.loads(archive.read("personal-data.json"))
    assert data["accounts"]["account"]["email"] == EMAIL
    assert data["accounts"]["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert data["accounts"]["log_ins"].keys() == {"last_login"}
    [comment] = data["discussions"]["comments"]
    assert comment["text"] == "Sykkelparkering ved kaia, takk."
    assert [version["text"] for version in comment["earlier_versions"]] == ["Første utkast."]
    assert data["partners"]["memberships"][0]["organisation"] == "Havkraft AS"
    assert data["notifications"]["follows"][0]["kind"] == "project"
    assert len(data["notifications"]["notifications"]) == 1
    avatar_entry = data["accounts"]["profile"]["avatar"]
    assert avatar_entry in archive.namelist()
    assert archive.read(avatar_entry)[:3] == b"\xff\xd8\xff", "the re-encoded JPEG the person sees"

    stranger = _logged_in(UserFactory())
    assert stranger.get(url).status_code == 404, "the link works only for its owner"
    assert client.get(url[:-3] + "xx/").status_code == 404, "a tampered link is refused"
    DataExport.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(url).status_code == 404, "an expired copy is gone"


def test_closing_needs_the_password_and_logs_out_at_once(person):
    client = _logged_in(person)

    wrong = client.post("/accounts/close/", {"password": "not-it"})
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in wrong.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.closed_at is None

    assert client.post("/accounts/close/", {"password": DEFAULT_PASSWORD}).status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert person.erase_after - person.closed_at == timedelta(days=30)
    assert client.get("/accounts/profile/").status_code == 302, "logged out"
    assert not Client().login(email=EMAIL, password=DEFAULT_PASSWORD), "and cannot log in again"


def _texts_naming(*needles: str) -> list[str]:
    """Every text column of every model that still holds one of ``needles`` (case-insensitive)."""
    found = []
    for model in apps.get_models():
        text_fields = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)) and field.concrete
        ]
        for field in text_fields:
            for needle in needles:
                if model._default_manager.filter(**{f"{field}__icontains": needle}).exists():
                    found.append(f"{model._meta.label}.{field}: {needle}")
    return found


@pytest.mark.parametrize("remove_text", [False, True])
def test_after_the_grace_period_nothing_names_the_person(person, scene, client, remove_text):
    comment = Comment.objects.get(author=person)
    assert _texts_naming(NAME, EMAIL), "the search finds the person before erasure"
    account_close(actor=person, user=person, password=DEFAULT_PASSWORD, remove_comment_text=remove_text)

    assert retention_apply(now=timezone.now() + timedelta(days=29))["accounts erased"] == 0, "not yet"
    assert retention_apply(now=timezone.now() + timedelta(days=31))["accounts erased"] == 1

    assert _texts_naming(NAME, EMAIL, "solveig") == []
    person.refresh_from_db()
    assert str(person) == "Slettet bruker"
    assert not person.avatar
    assert not PartnerMember.objects.filter(user=person).exists()
    assert not Follow.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    comment.refresh_from_db()
    assert comment.author_id == person.pk, "the comment keeps its place"
    assert (comment.body == "") is remove_text
    assert (comment.deleted_at is not None) is remove_text
    assert not CommentRevision.objects.filter(comment=comment).exists() or not remove_text
    page = client.get(scene.project.url).content.decode()
    assert NAME not in page and EMAIL not in page


def test_an_organisation_left_without_administrator_is_flagged(person, scene):
    partnership = person.partner_memberships.get().partner.partnerships.get()

    account_close(actor=person, user=person, password=DEFAULT_PASSWORD)
    account_erase(user=person)

    event = PartnershipEvent.objects.filter(partnership=partnership).latest("pk")
    assert "no administrator" in event.reason


def test_an_organisation_with_another_administrator_is_not_flagged(person, scene):
    partner = person.partner_memberships.get().partner
    member_add(partner, role=PartnerRole.ADMINISTRATOR)
    account_close(actor=person, user=person, password=DEFAULT_PASSWORD)
    account_erase(user=person)

    assert not PartnershipEvent.objects.filter(reason__contains="no administrator").exists()


def test_a_site_administrator_closes_an_account_on_request_and_nobody_else_does(person, scene):
    from django.contrib.auth.models import Group

    from accounts.roles import SITE_ADMINISTRATORS

    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=SITE_ADMINISTRATORS))
    for actor in (scene.coordinator, scene.alice):
        with pytest.raises(PermissionDenied):
            account_close(actor=User.objects.get(pk=actor.pk), user=person)

    account_close(actor=User.objects.get(pk=administrator.pk), user=person)

    person.refresh_from_db()
    assert person.closed_at is not None
    with pytest.raises(ValidationError):
        account_close(actor=User.objects.get(pk=administrator.pk), user=person)


def test_retention_removes_unconfirmed_accounts_old_notifications_and_copies(person, scene):
    now = timezone.now()
    stale = UserFactory(date_joined=now - timedelta(days=15))
    fresh = UserFactory(date_joined=now - timedelta(days=2))
    made_by_an_administrator = UserFactory(date_joined=now - timedelta(days=15))
    hub_coordinator_add(hub=scene.hub, user=made_by_an_administrator)
    Notification.objects.update(created_at=now - timedelta(days=400))
    DataExport.objects.create(user=person, file_name="old.zip", ready_at=now, expires_at=now - timedelta(days=1))

    summary = retention_apply(now=now)

    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk=fresh.pk).exists()
    assert User.objects.filter(pk=made_by_an_administrator.pk).exists(), "an account with a role stays"
    assert User.objects.filter(pk=person.pk).exists(), "verified accounts stay"
    assert not Notification.objects.exists()
    assert not DataExport.objects.exists()
    assert summary["unverified accounts removed"] >= 1


def test_an_administrator_closes_an_account_on_request_in_the_admin(person, scene):
    from django.contrib.auth.models import Group

    from accounts.roles import SITE_ADMINISTRATORS

    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=SITE_ADMINISTRATORS))
    admin_client, coordinator_client = _logged_in(administrator), _logged_in(scene.coordinator)
    url = f"/admin/accounts/close/{person.pk}/"

    listing = admin_client.get("/admin/users/")
    assert url in listing.content.decode(), "the user listing offers it"
    assert coordinator_client.get(url).status_code == 302, "sent back to the dashboard"
    assert admin_client.post(url, {}).status_code == 200, "the request must be confirmed"
    response = admin_client.post(url, {"confirm": "on", "remove_comment_text": "on"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.closed_at is not None and person.erase_comment_text
    assert admin_client.get(url).status_code == 404, "closed already"
