"""The review as a PDF, laid out by WeasyPrint from the same HTML as the printable page.

WeasyPrint fetches what the HTML links to (the print stylesheet). Our fetcher reads only the
project's own static files from disk and refuses every other address, so rendering a PDF never
reaches the network, and nothing in the document can make the server fetch a URL.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from PIL import ImageFile

# WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is imported,
# which would let truncated uploads through accounts.images' validation: put the setting back.
_truncated_images_allowed = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _truncated_images_allowed

# The document's own base: relative and root-relative links resolve here, and nothing else is fetched.
BASE_URL = "https://dugnad.invalid/"


def static_file_path(url: str) -> str | None:
    """The file on disk behind a static URL of ours (collected, hashed names included, or in
    the source tree), or None for anything else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(settings.STATIC_URL):
        return None
    name = unquote(parts.path[len(settings.STATIC_URL) :])
    if not name or ".." in name.split("/"):
        return None
    # The source tree first (fresh under DEBUG), then the collected files (hashed names in production).
    found = finders.find(name)
    if isinstance(found, str):
        return found
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (NotImplementedError, ValueError):
        pass
    return None


class StaticFilesFetcher(URLFetcher):
    """Serves WeasyPrint our static files from disk and nothing else."""

    def fetch(self, url, headers=None):
        path = static_file_path(url)
        if path is None:
            raise ValueError(f"Not one of the site's static files: {url}")
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            return URLFetcherResponse(url, body=file.read(), headers={"Content-Type": mime_type})


def render_pdf(html: str) -> bytes:
    """The PDF of a review page's HTML."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf()
