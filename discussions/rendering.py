"""Comments are written in the site's Markdown subset (``cms.markdown``) and stored as sanitised HTML.

``@Name`` mentions a participant of the thread: the longest participant name that follows the
``@`` (case does not matter) becomes a highlighted mention, and the service learns whom to tell.
``@"Name"`` (or with “…” or «…») says exactly where a name ends, for a name that is followed by
letters or that is the start of another participant's name. Both work without JavaScript; the
comment form's autocomplete (static/js/mentions.js) only helps to type them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from cms.markdown import render_markdown


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
    mentioned: set[int] = set()
    rendered = render_markdown(
        body or "",
        inline=lambda children: _with_mentions(children, candidates, mentioned),
        extra_tags=frozenset({"span"}),
        extra_attributes={"span": {"data-user"}},
        extra_classes={"span": {"mention"}},
    )
    return RenderedComment(html=rendered.html, mentioned_user_ids=frozenset(mentioned), link_count=rendered.link_count)


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
