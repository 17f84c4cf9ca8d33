"""The Wagtail admin's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): every uploaded picture is
checked and re-encoded by ``accounts.images`` as the public forms' pictures are, so a damaged or
disguised file (a truncated JPEG, a GIF that is also a script) is a clear form error, never a 500,
and nothing of it is stored. Both the single upload and the multiple upload use this form.
"""

import os

from django.core.files.uploadedfile import UploadedFile
from wagtail.images.forms import BaseImageForm

from accounts.images import reencode_uploaded_image

# The longest side kept of an image uploaded in the admin (larger ones are scaled down).
ADMIN_IMAGE_MAX_SIDE = 4000


def checked_upload(uploaded):
    """A clean re-encoded copy of an uploaded picture, keeping the uploader's file name (editors
    recognise it) with the extension of what was written; ValidationError when it is unreadable."""
    if not isinstance(uploaded, UploadedFile):
        return uploaded  # no new file (editing the title, tags or focal point)
    clean = reencode_uploaded_image(uploaded, max_side=ADMIN_IMAGE_MAX_SIDE)
    stem = os.path.splitext(os.path.basename(uploaded.name or ""))[0] or "image"
    clean.name = f"{stem[:80]}{os.path.splitext(clean.name)[1]}"
    return clean


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            # Before Wagtail's own field opens the file (its pixel check decodes it, and a damaged
            # file raised there): it then reads our clean copy.
            wagtail_to_python = field.to_python
            field.to_python = lambda data: wagtail_to_python(checked_upload(data))
