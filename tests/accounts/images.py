"""Small in-memory pictures for upload tests."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture_bytes(*, size=(16, 16), image_format="PNG", mode="RGB", noise=False, **save_kwargs):
    if noise:
        image = Image.frombytes(mode, size, os.urandom(size[0] * size[1] * len(mode)))
    else:
        image = Image.new(mode, size, color=(200, 40, 40, 255)[: len(mode)])
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **save_kwargs)
    return buffer.getvalue()


def upload(content, *, name="picture.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)
