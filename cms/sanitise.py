"""Cleaning HTML that users wrote, before it is stored.

Wagtail's editor already limits what editors can make, but forms on the public site accept HTML
from anyone, so everything from users passes through here: an allow-list of tags and attributes,
links only to http(s) and mailto, and ``rel`` set on every link.
"""

import nh3

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed (scripts, event handlers, styles)."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
