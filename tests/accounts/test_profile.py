from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.services import profile_update
from tests.accounts.factories import UserFactory
from tests.accounts.images import SVG, picture_bytes, upload

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def update(user, **changes):
    arguments = {
        "display_name": user.display_name,
        "avatar": None,
        "remove_avatar": False,
        "preferred_language": user.preferred_language,
        **changes,
    }
    return profile_update(user=user, **arguments)


def test_profile_update_saves_name_language_and_a_reencoded_avatar(settings):
    user = UserFactory(display_name="Old name")

    update(user, display_name="  Ola Nordmann ", preferred_language="en", avatar=upload(picture_bytes(size=(900, 600))))

    user.refresh_from_db()
    assert user.display_name == "Ola Nordmann"
    assert user.preferred_language == "en"
    assert user.avatar.name.startswith(f"avatars/{user.pk}/")
    assert user.avatar.name.endswith(".jpg")
    assert stored_files(settings) == [user.avatar.name]
    assert user.avatar.width == 512


def test_replacing_the_avatar_deletes_the_old_file_only_after_commit(settings, django_capture_on_commit_callbacks):
    user = UserFactory()
    user.avatar.save("old.jpg", ContentFile(picture_bytes(image_format="JPEG")), save=True)
    old_name = user.avatar.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update(user, avatar=upload(picture_bytes()))
    assert old_name in stored_files(settings)

    for callback in callbacks:
        callback()
    assert stored_files(settings) == [user.avatar.name]
    assert user.avatar.name != old_name


def test_removing_the_avatar(settings, django_capture_on_commit_callbacks):
    user = UserFactory()
    user.avatar.save("old.jpg", ContentFile(picture_bytes(image_format="JPEG")), save=True)

    with django_capture_on_commit_callbacks(execute=True):
        update(user, remove_avatar=True)

    user.refresh_from_db()
    assert not user.avatar
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"preferred_language": "sv"}, "preferred_language"),
        ({"avatar": upload(SVG, name="logo.svg"), "remove_avatar": False}, "avatar"),
    ],
    ids=["blank-name", "long-name", "unknown-language", "svg"],
)
def test_invalid_changes_write_nothing(settings, changes, field):
    user = UserFactory(display_name="Kept", preferred_language="nb")

    with pytest.raises(ValidationError) as excinfo:
        update(user, **changes)

    assert set(excinfo.value.error_dict) == {field}
    assert (user.display_name, user.preferred_language) == ("Kept", "nb")
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language) == ("Kept", "nb")
    assert stored_files(settings) == []


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('profile')}"


def test_profile_page_shows_the_form_and_links(client):
    user = UserFactory(display_name="Kari")
    client.force_login(user)

    response = client.get(reverse("profile"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Kari"' in content
    assert reverse("account_email") in content
    assert reverse("account_change_password") in content
    assert 'name="remove_avatar"' not in content  # nothing to remove yet


def test_saving_the_profile_sets_the_language_cookie(client, settings):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("profile"),
        {"display_name": "Kari", "preferred_language": "nn", "avatar": upload(picture_bytes(mode="RGBA"))},
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nn"
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language) == ("Kari", "nn")
    assert user.avatar.name.endswith(".png")
    assert stored_files(settings) == [user.avatar.name]


def too_large(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 300
    return upload(picture_bytes(size=(32, 32), noise=True))


def too_many_pixels(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 100
    return upload(picture_bytes(size=(11, 10)))


def truncated(settings):
    content = picture_bytes(size=(64, 64), noise=True)
    return upload(content[: len(content) // 2])


@pytest.mark.parametrize(
    ("make_upload", "message"),
    [
        (lambda settings: upload(b"hello, I am text\n" * 20, name="cat.png"), "not a supported picture"),
        (truncated, "damaged or incomplete"),
        (lambda settings: upload(SVG, name="logo.svg", content_type="image/svg+xml"), "not a supported picture"),
        (too_large, "larger than the limit of 300"),
        (too_many_pixels, "11 × 10 pixels"),
    ],
    ids=["text-named-png", "truncated-png", "svg", "too-many-bytes", "too-many-pixels"],
)
def test_a_bad_avatar_is_explained_and_nothing_is_stored(client, settings, make_upload, message):
    user = UserFactory(display_name="Kari")
    user.avatar.save("current.jpg", ContentFile(picture_bytes(image_format="JPEG")), save=True)
    before = stored_files(settings)
    client.force_login(user)

    response = client.post(
        reverse("profile"),
        {"display_name": "Changed", "preferred_language": "", "avatar": make_upload(settings)},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_avatar_helptext id_avatar_error"' in content
    user.refresh_from_db()
    assert user.avatar.name == f"avatars/{user.pk}/current.jpg"
    assert user.display_name == "Kari"
    assert stored_files(settings) == before
