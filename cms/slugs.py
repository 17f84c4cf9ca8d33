"""One slug function for the whole site: readable ASCII addresses from Norwegian names.

Django's ``slugify`` drops letters it cannot decompose ("Grønn" → ``grnn``, "bærekraft" →
``brekraft``), and Wagtail's ``cautious_slugify`` escapes them (``u00f8``). Here æ, ø and å (and
their capitals) are written out as Norwegians do in addresses (æ → ae, ø → o, å → a), as Wagtail's
admin does in the browser with ``WAGTAIL_ALLOW_UNICODE_SLUGS = False`` (its ``urlify`` uses the
same Latin map), other accents are dropped by Unicode decomposition (é → e, ü → u), and text with
no Latin letters at all falls back to ``cautious_slugify`` so that a slug is never empty for it.
"""

from django.utils.text import slugify
from wagtail.coreutils import cautious_slugify

# Letters Unicode decomposition cannot reduce to ASCII; the same as Wagtail admin's LATIN_MAP.
_TRANSLITERATION = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "å": "a",
        "Å": "A",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ß": "ss",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
    }
)


def slugify_no(value: str, *, max_length: int | None = None) -> str:
    """A lower-case ASCII slug for ``value`` ("Nordby bærekraftslab" → ``nordby-baerekraftslab``).

    May be empty for text with nothing letter-like in it; callers supply their own fallback.
    ``max_length`` cuts the result without leaving a trailing hyphen.
    """
    text = str(value).translate(_TRANSLITERATION)
    slug = slugify(text)
    if not slug:
        slug = cautious_slugify(text)
    if max_length is not None:
        slug = slug[:max_length].rstrip("-")
    return slug


def unique_slug(base: str, taken) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is not in ``taken`` (a container of slugs)."""
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug
