"""Uploaded pictures are never trusted: each one is checked and re-encoded before it is stored.

Avatars use this now and partner logos will later. What comes out is a fresh file that we wrote
ourselves: a known format, bounded dimensions, no metadata (EXIF location, camera, comments), and a
random name, so nothing the uploader controlled except the pixels survives.
"""

import io
import logging
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ACCEPTED_CONTENT_TYPES = "image/jpeg,image/png,image/webp,image/gif"

ERROR_MESSAGES = {
    "empty": _("The file is empty. Please choose a picture."),
    "too_large": _(
        "The picture is larger than the limit of %(limit)s. Please choose a smaller picture or shrink it first."
    ),
    "unsupported": _(
        "This file is not a supported picture. Please upload a JPEG, PNG, WebP or GIF image "
        "(SVG and other formats are not accepted)."
    ),
    "too_many_pixels": _(
        "The picture is %(width)s × %(height)s pixels, which is more than we can process. "
        "Please shrink it to at most %(megapixels)s megapixels and try again."
    ),
    "corrupt": _(
        "The picture could not be read: the file is damaged or incomplete. "
        "Please save it again from your picture editor or choose another picture."
    ),
}


def _error(code, **params):
    return ValidationError(ERROR_MESSAGES[code], code=code, params=params or None)


def reencode_uploaded_image(uploaded_file, *, max_side, max_bytes=None, max_pixels=None):
    """Check an uploaded picture and return a clean re-encoded copy as a ``ContentFile``.

    ``max_bytes`` and ``max_pixels`` default to ``UPLOAD_IMAGE_MAX_BYTES`` and
    ``UPLOAD_IMAGE_MAX_PIXELS``; ``max_side`` is the longest side of the result (the picture is
    downscaled, never enlarged). The result is PNG when the picture has transparency, otherwise
    JPEG, with a random file name. Raises ``ValidationError`` with a message telling the person
    what to do; it stores nothing, so the caller decides where the result goes.
    """
    max_bytes = settings.UPLOAD_IMAGE_MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = settings.UPLOAD_IMAGE_MAX_PIXELS if max_pixels is None else max_pixels

    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _error("too_large", limit=filesizeformat(max_bytes))
    uploaded_file.seek(0)
    # Read one byte more than allowed so that a file whose reported size lies is still caught.
    data = uploaded_file.read(max_bytes + 1)
    if not data:
        raise _error("empty")
    if len(data) > max_bytes:
        raise _error("too_large", limit=filesizeformat(max_bytes))

    with warnings.catch_warnings():
        # Pillow only warns about a possible decompression bomb below twice its own limit;
        # treat the warning as the error it is for untrusted input.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # open() reads the header only; nothing is decoded yet.
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _error("too_many_pixels", width="?", height="?", megapixels=_megapixels(max_pixels)) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _error("unsupported") from None

        if image.format not in ACCEPTED_FORMATS:
            raise _error("unsupported")
        if image.format == "GIF" and not _gif_is_well_formed(data):
            # Bytes after the GIF's end, or blocks that are no GIF's: a file made to be read as
            # something else too (a GIF/JavaScript polyglot), or a damaged one.
            raise _error("corrupt")
        width, height = image.size
        if width < 1 or height < 1:
            raise _error("corrupt")
        if width * height > max_pixels:
            raise _error("too_many_pixels", width=width, height=height, megapixels=_megapixels(max_pixels))

        try:
            image.load()
            image = ImageOps.exif_transpose(image)
            clean = _strip_and_resize(image, max_side=max_side)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _error("too_many_pixels", width=width, height=height, megapixels=_megapixels(max_pixels)) from None
        except Exception:
            # Pillow's decoders fail on damaged input with many exception types (OSError,
            # SyntaxError, struct.error, IndexError...); every one of them means "unreadable".
            logger.info("Rejected an unreadable %s upload", image.format, exc_info=True)
            raise _error("corrupt") from None

    output = io.BytesIO()
    if clean.mode == "RGBA":
        clean.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        clean.save(output, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _gif_is_well_formed(data: bytes) -> bool:
    """Whether ``data`` is exactly one GIF: header, screen descriptor, colour table, then only
    extension and image blocks up to the trailer, which is the file's last byte."""
    try:
        if data[:6] not in (b"GIF87a", b"GIF89a"):
            return False
        position = 13
        flags = data[10]
        if flags & 0x80:
            position += 3 * (2 ** ((flags & 0x07) + 1))

        def skip_sub_blocks(position: int) -> int:
            while True:
                length = data[position]
                position += 1
                if length == 0:
                    return position
                position += length

        while True:
            block = data[position]
            if block == 0x3B:  # trailer
                return position + 1 == len(data)
            if block == 0x21:  # extension: label, then data sub-blocks
                position = skip_sub_blocks(position + 2)
            elif block == 0x2C:  # image descriptor, local colour table, LZW code size, data
                flags = data[position + 9]
                position += 10
                if flags & 0x80:
                    position += 3 * (2 ** ((flags & 0x07) + 1))
                position = skip_sub_blocks(position + 1)
            else:
                return False
            if position > len(data):
                return False
    except IndexError:
        return False


def _megapixels(pixels):
    return f"{pixels / 1_000_000:g}"


def _strip_and_resize(image, *, max_side):
    """Return a new image holding only the pixels: no EXIF, ICC, comments or text chunks."""
    has_alpha = image.has_transparency_data
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # Copying the raw pixels into a new image leaves every piece of metadata behind.
    return Image.frombytes(image.mode, image.size, image.tobytes())
