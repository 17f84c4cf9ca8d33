"""Cleaning HTML that users wrote, before it is stored.

Wagtail's editor already limits what editors can make, but forms on the public site accept HTML
from anyone, so everything from users passes through here: an allow-list of tags and attributes,
links only to http(s) and mailto, and ``rel`` set on every link.

``active_content`` finds what only an attacker (or a very confused paste) puts in a description —
scripts and ``on*`` event handlers — so that a service can refuse it with a clear message instead
of silently storing something other than what was sent.
"""

from html.parser import HTMLParser

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


class _ActiveContentFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append("<script>")
        self.found.extend(name for name, _value in attrs if name.startswith("on"))

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """The scripts (``"<script>"``) and event-handler attributes (``"onclick"``) in ``html``, in order, once each."""
    finder = _ActiveContentFinder()
    finder.feed(html or "")
    finder.close()
    return list(dict.fromkeys(finder.found))
