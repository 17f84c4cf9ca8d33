"""Comments are written in a small Markdown subset and stored as sanitised HTML.

The subset: paragraphs and line breaks, *emphasis* and **strong**, bulleted and numbered lists,
links (``[text](https://…)`` and bare addresses), and ``>`` quotes. Raw HTML is not parsed (it is
shown as text), and the result passes through an allow-list anyway, so nothing a person types can
add markup beyond that subset.

``@Name`` mentions a participant of the thread: the longest participant name that follows the
``@`` (case does not matter) becomes a highlighted mention, and the service learns whom to tell.
``@"Name"`` (or with “…” or «…») says exactly where a name ends, for a name that is followed by
letters or that is the start of another participant's name. Both work without JavaScript; the
comment form's autocomplete (static/js/mentions.js) only helps to type them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"data-user"}, "ol": {"start"}}
ALLOWED_CLASSES = {"span": {"mention"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("zero", {"linkify": True, "breaks": True}).enable(
    ["emphasis", "list", "link", "blockquote", "linkify", "newline"]
)


@dataclass(frozen=True)
class Mentionable:
    user_id: int
    name: str


@dataclass(frozen=True)
class RenderedComment:
    html: str
    mentioned_user_ids: frozenset[int]
    link_count: int


def render_comment(body: str, *, mentionable: Iterable[Mentionable] = ()) -> RenderedComment:
    """Render ``body`` to sanitised HTML, highlighting mentions of ``mentionable`` people."""
    candidates = sorted((m for m in mentionable if m.name.strip()), key=lambda m: len(m.name), reverse=True)
    tokens = _markdown.parse(body or "")
    mentioned: set[int] = set()
    links = 0
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        links += sum(1 for child in token.children if child.type == "link_open")
        token.children = _with_mentions(token.children, candidates, mentioned)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    ).strip()
    return RenderedComment(html=clean, mentioned_user_ids=frozenset(mentioned), link_count=links)


def _with_mentions(children: list[Token], candidates: list[Mentionable], mentioned: set[int]) -> list[Token]:
    """Split text tokens (outside links) at ``@Name`` mentions into text and mention tokens."""
    if not candidates:
        return children
    result: list[Token] = []
    in_link = 0
    for child in children:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        if child.type != "text" or in_link or "@" not in child.content:
            result.append(child)
            continue
        result.extend(_split_mentions(child.content, candidates, mentioned))
    return result


def _split_mentions(text: str, candidates: list[Mentionable], mentioned: set[int]) -> list[Token]:
    tokens: list[Token] = []
    plain_start = 0
    position = text.find("@")
    while position != -1:
        match = _mention_at(text, position + 1, candidates)
        if match is None:
            position = text.find("@", position + 1)
            continue
        if position > plain_start:
            tokens.append(_text_token(text[plain_start:position]))
        mention, end = match
        tokens.append(_mention_token(mention, "@" + text[position + 1 : end].strip('"“”«»')))
        mentioned.add(mention.user_id)
        plain_start = end
        position = text.find("@", end)
    if plain_start < len(text):
        tokens.append(_text_token(text[plain_start:]))
    return tokens


QUOTES = {'"': '"', "“": "”", "«": "»"}


def _mention_at(text: str, start: int, candidates: list[Mentionable]) -> tuple[Mentionable, int] | None:
    """The participant mentioned by the ``@`` before ``start``, and where the mention ends."""
    if start > 1 and (text[start - 2].isalnum()):  # an e-mail address, not a mention
        return None
    closing = QUOTES.get(text[start : start + 1])
    if closing is not None:
        end_quote = text.find(closing, start + 1)
        if end_quote == -1:
            return None
        quoted = " ".join(text[start + 1 : end_quote].split()).casefold()
        for candidate in candidates:
            if " ".join(candidate.name.split()).casefold() == quoted:
                return candidate, end_quote + 1
        return None
    for candidate in candidates:
        end = start + len(candidate.name)
        if text[start:end].casefold() == candidate.name.casefold() and (end == len(text) or not text[end].isalnum()):
            return candidate, end
    return None


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _mention_token(mention: Mentionable, written: str) -> Token:
    # Escaped here: html_inline tokens are written out as they are, then sanitised.
    from html import escape

    return Token(
        "html_inline",
        "",
        0,
        content=f'<span class="mention" data-user="{mention.user_id}">{escape(written)}</span>',
    )
