"""The one input language for text people write on the public site: a small Markdown subset.

Comments (``discussions.rendering``), partner descriptions and project descriptions are all
written in it. The subset: paragraphs and line breaks, *emphasis* and **strong**, bulleted and
numbered lists, links (``[text](https://…)`` and bare addresses), ``>`` quotes and backslash
escapes. Raw HTML is not parsed (it is shown as the text it is), and the result passes through an
allow-list anyway, so nothing a person types can add markup beyond that subset.

``html_to_markdown`` turns stored HTML in that subset (or what Wagtail's Draftail editor stores
for the same features) back into Markdown, so a form shows a person Markdown, never HTML.
Rendering what it returns gives the same HTML again (``tests/cms/test_markdown.py``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow ugc"
# What looks like an HTML tag in text someone meant as Markdown.
HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?]")

_markdown = MarkdownIt("zero", {"linkify": True, "breaks": True}).enable(
    ["emphasis", "list", "link", "blockquote", "linkify", "newline", "escape"]
)


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    link_count: int


def render_markdown(
    text: str,
    *,
    inline: Callable[[list[Token]], list[Token]] | None = None,
    extra_tags: frozenset[str] = frozenset(),
    extra_attributes: dict[str, set[str]] | None = None,
    extra_classes: dict[str, set[str]] | None = None,
) -> RenderedMarkdown:
    """Render ``text`` to sanitised HTML.

    ``inline`` may rewrite each paragraph's inline tokens (discussions turn ``@Name`` into mention
    tokens this way); whatever markup it adds must be allowed by ``extra_tags`` and
    ``extra_attributes`` / ``extra_classes``, or the sanitiser removes it.
    """
    tokens = _markdown.parse(text or "")
    links = 0
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        links += sum(1 for child in token.children if child.type == "link_open")
        if inline is not None:
            token.children = inline(token.children)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    for tag, names in (extra_attributes or {}).items():
        attributes.setdefault(tag, set()).update(names)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS | set(extra_tags),
        attributes=attributes,
        allowed_classes=extra_classes or {},
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
    return RenderedMarkdown(html=clean, link_count=links)


def markdown_html(text: str) -> str:
    """The sanitised HTML of ``text`` (no mentions): what descriptions store."""
    return render_markdown(text).html


# --- Back from HTML ---------------------------------------------------------------------------------

# Only what the subset gives a meaning (raw HTML, headings, images, code are not in it: text as is).
_ESCAPE = re.compile(r"([\\*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])(?=\s|$)", re.M)
_BLOCKS = {"p", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "div"}


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _escape_marker(match: re.Match) -> str:
    """``-``, ``+``, ``>`` or ``1.`` at the start of a line, written so it stays text."""
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return indent + marker[:-1] + "\\" + marker[-1]
    return indent + "\\" + marker


class _ToMarkdown(HTMLParser):
    """A small HTML → Markdown writer for the subset (unknown tags keep only their text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []  # finished top-level blocks
        self.current: list[str] = []  # the inline text of the block being written
        self.lists: list[list] = []  # [kind, next number] per open list
        self.items: list[str] = []  # finished lines of the open top-level list or quote
        self.quote = 0
        self.link: list[str | None] = []
        self.strong = self.em = 0

    # Inline text
    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data)
        if not "".join(self.current).strip() and not self.current:
            text = text.lstrip()
        self.current.append(_escape(text))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"strong", "b"} or tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            if tag.startswith("h"):
                self._end_block()
            self.current.append("**")
        elif tag in {"em", "i"}:
            self.current.append("*")
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.link.append((attrs.get("href"), len(self.current)))
            self.current.append("[")
        elif tag in {"ul", "ol"}:
            self._end_block(keep_list=True)
            start = int(attrs.get("start") or 1) if (attrs.get("start") or "1").isdigit() else 1
            self.lists.append([tag, start])
        elif tag == "li":
            self._end_item()
        elif tag == "blockquote":
            self._end_block()
            self.quote += 1
        elif tag in {"p", "div"}:
            self._end_item() if self.lists else self._end_block()

    def handle_endtag(self, tag):
        if tag in {"strong", "b"}:
            self.current.append("**")
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.current.append("**")
            self._end_block()
        elif tag in {"em", "i"}:
            self.current.append("*")
        elif tag == "a" and self.link:
            href, start = self.link.pop()
            text = "".join(self.current[start + 1 :])
            if not href:
                self.current.pop(start)  # a link without an address is only its text
            elif text == _escape(href):
                self.current[start:] = [href]  # a bare address stays bare (linkify makes it a link)
            else:
                self.current.append(f"]({href})")
        elif tag == "li":
            self._end_item()
        elif tag in {"ul", "ol"}:
            self._end_item()
            self.lists.pop()
            if not self.lists:
                self._flush_items()
        elif tag == "blockquote":
            self._end_block()
            self.quote -= 1
        elif tag in {"p", "div"}:
            self._end_item() if self.lists else self._end_block()

    def _inline(self) -> str:
        text = "".join(self.current)
        self.current = []
        lines = [line.strip() for line in text.split("\n")]
        text = "\n".join(lines).strip()
        # Text that would start a list or a quote at the start of a line stays text.
        return _LINE_START.sub(_escape_marker, text)

    def _end_item(self):
        text = self._inline()
        if not text or not self.lists:
            return
        kind, number = self.lists[-1]
        marker = f"{number}." if kind == "ol" else "-"
        if kind == "ol":
            self.lists[-1][1] += 1
        indent = "   " * (len(self.lists) - 1)
        pad = " " * (len(marker) + 1)
        lines = text.split("\n")
        self.items.append(indent + marker + " " + lines[0])
        self.items.extend(indent + pad + line for line in lines[1:])

    def _flush_items(self):
        if self.items:
            self._add_block("\n".join(self.items))
            self.items = []

    def _end_block(self, keep_list=False):
        if self.lists and keep_list:
            self._end_item()
            return
        text = self._inline()
        if text:
            self._add_block(text)

    def _add_block(self, text: str):
        if self.quote:
            text = "\n".join(("> " * self.quote + line).rstrip() for line in text.split("\n"))
        self.blocks.append(text)

    def result(self) -> str:
        self._end_item() if self.lists else self._end_block()
        self._flush_items()
        return "\n\n".join(self.blocks)


def html_to_markdown(html: str) -> str:
    """Markdown that renders (``markdown_html``) to what ``html`` shows, for editing in a text box."""
    writer = _ToMarkdown()
    writer.feed(html or "")
    writer.close()
    return writer.result()
