"""The Wagtail admin's image uploads (single and multiple) check and re-encode every picture
(``cms.admin.forms``): a truncated JPEG and a GIF/JavaScript polyglot are a form error, with no
Image row and no file stored; a good picture is stored re-encoded."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model

from tests.accounts.factories import UserFactory
from tests.accounts.images import picture_bytes, upload
from tests.projects.admin_support import in_english

pytestmark = pytest.mark.django_db

# A GIF whose header ("GIF89a/*") opens a JavaScript comment closed after the trailer: a browser
# running it as a script reads ``GIF89a`` as a name and runs the code after the picture.
POLYGLOT = (
    b"GIF89a/*\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    b"*/=1;alert(document.domain);"
)


def _truncated_jpeg() -> bytes:
    data = picture_bytes(size=(200, 200), image_format="JPEG", noise=True)
    return data[: len(data) // 2]


BAD = {
    "truncated-jpeg": (_truncated_jpeg, "photo.jpg", "image/jpeg"),
    "gif-js-polyglot": (lambda: POLYGLOT, "pixel.gif", "image/gif"),
}


@pytest.fixture
def admin(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(in_english(UserFactory(superuser=True)))
    return client


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize("bad", list(BAD))
def test_the_add_view_refuses_a_damaged_or_disguised_picture(admin, settings, bad):
    make, name, content_type = BAD[bad]
    response = admin.post(
        reverse("wagtailimages:add"),
        {"title": "Bad", "file": upload(make(), name=name, content_type=content_type), "collection": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert b"could not be read" in response.content
    assert not get_image_model().objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("bad", list(BAD))
def test_the_multiple_upload_refuses_a_damaged_or_disguised_picture(admin, settings, bad):
    make, name, content_type = BAD[bad]
    response = admin.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload(make(), name=name, content_type=content_type), "collection": 1},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False and "could not be read" in answer["error_message"]
    assert not get_image_model().objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_a_good_picture_is_stored_re_encoded(admin, settings):
    response = admin.post(
        reverse("wagtailimages:add"),
        {"title": "Good", "file": upload(picture_bytes(size=(40, 30)), name="good.png"), "collection": 1},
    )
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (40, 30)
    assert image.file.name.endswith("good.jpg")
