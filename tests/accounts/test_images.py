import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from accounts.images import reencode_uploaded_image
from tests.accounts.images import SVG, picture_bytes, upload


def reencode(content, **kwargs):
    kwargs = {"max_side": 64, "max_bytes": 100_000, "max_pixels": 1_000_000, **kwargs}
    return reencode_uploaded_image(upload(content), **kwargs)


def error_code(content, **kwargs):
    with pytest.raises(ValidationError) as excinfo:
        reencode(content, **kwargs)
    return excinfo.value.code


def test_a_jpeg_comes_back_as_a_fresh_jpeg_with_a_random_name():
    first = reencode(picture_bytes(image_format="JPEG"))
    second = reencode(picture_bytes(image_format="JPEG"))

    assert first.name.endswith(".jpg")
    assert first.name != second.name
    assert Image.open(io.BytesIO(first.read())).format == "JPEG"


def test_a_picture_with_transparency_stays_png():
    result = reencode(picture_bytes(mode="RGBA"))

    image = Image.open(io.BytesIO(result.read()))
    assert result.name.endswith(".png")
    assert image.mode == "RGBA"


def test_a_large_picture_is_downscaled_keeping_its_proportions():
    result = reencode(picture_bytes(size=(400, 200)), max_side=64)

    assert Image.open(io.BytesIO(result.read())).size == (64, 32)


def test_exif_is_stripped_and_its_orientation_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "Spy Camera Inc."  # Make
    exif[0x9286] = "taken at home"  # UserComment
    original = picture_bytes(size=(40, 20), image_format="PNG", exif=exif)
    assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "Spy Camera Inc."

    result = reencode(original).read()

    image = Image.open(io.BytesIO(result))
    assert image.size == (20, 40)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Spy Camera" not in result


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"This is not a picture at all, just text.\n" * 10, "unsupported"),
        (SVG, "unsupported"),
        (picture_bytes(image_format="BMP"), "unsupported"),
        (b"", "empty"),
    ],
    ids=["text-named-png", "svg", "bmp", "empty"],
)
def test_anything_but_a_supported_picture_is_refused(content, code):
    assert error_code(content) == code


def test_a_truncated_png_is_refused_as_damaged():
    content = picture_bytes(size=(64, 64), noise=True)

    assert error_code(content[: len(content) // 2]) == "corrupt"


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read():
    content = picture_bytes(size=(32, 32), noise=True)

    assert error_code(content, max_bytes=len(content) - 1) == "too_large"


def test_a_picture_over_the_pixel_limit_is_refused_before_decoding():
    with pytest.raises(ValidationError) as excinfo:
        reencode(picture_bytes(size=(20, 20)), max_pixels=399)

    assert excinfo.value.code == "too_many_pixels"
    assert "20 × 20" in excinfo.value.messages[0]


def test_pillows_own_decompression_bomb_guard_is_a_refusal_not_a_crash(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)

    assert error_code(picture_bytes(size=(15, 15)), max_pixels=10_000) == "too_many_pixels"


def test_the_limits_default_to_the_settings(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 99

    with pytest.raises(ValidationError) as excinfo:
        reencode_uploaded_image(upload(picture_bytes(size=(10, 10))), max_side=64)

    assert excinfo.value.code == "too_many_pixels"
