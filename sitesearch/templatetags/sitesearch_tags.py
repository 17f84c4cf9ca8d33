"""Search results' excerpts with the matched words marked: the text is escaped first, then
``<mark>`` is put around whole words whose index form is one of the query's."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cms.search_text import normalise_word
from projects.models import ProjectStatus
from sitesearch.selectors import KIND_LABELS

register = template.Library()

_PARTS = re.compile(r"(\w+)")
EXCERPT_WORDS = 40
WORDS_BEFORE_MATCH = 10


def _marked(parts: list[str], terms: set[str]) -> str:
    out = []
    for part in parts:
        if part and _PARTS.fullmatch(part) and normalise_word(part) in terms:
            out.append(f"<mark>{escape(part)}</mark>")
        else:
            out.append(escape(part))
    return "".join(out)


@register.simple_tag
def highlight(text, terms) -> SafeString:
    """``text`` (plain) escaped, with the words that match ``terms`` (index forms) in ``<mark>``."""
    return mark_safe(_marked(_PARTS.split(str(text or "")), set(terms or ())))  # escaped above


@register.simple_tag
def excerpt(text, terms) -> SafeString:
    """About ``EXCERPT_WORDS`` words of ``text`` around its first match, escaped and marked."""
    text = " ".join(str(text or "").split())
    parts = _PARTS.split(text)  # words at odd positions
    terms = set(terms or ())
    word_positions = list(range(1, len(parts), 2))
    first = next((i for i, position in enumerate(word_positions) if normalise_word(parts[position]) in terms), 0)
    start_word = max(0, first - WORDS_BEFORE_MATCH)
    end_word = min(len(word_positions), start_word + EXCERPT_WORDS)
    if not word_positions:
        return mark_safe(escape(text))
    start = word_positions[start_word] if start_word else 0
    end = word_positions[end_word - 1] + 1 if end_word < len(word_positions) else len(parts)
    body = _marked(parts[start:end], terms)
    prefix = "… " if start_word else ""
    suffix = " …" if end_word < len(word_positions) else ""
    return mark_safe(f"{prefix}{body}{suffix}")


@register.simple_tag(takes_context=True)
def search_filter_url(context, facet: str, value: str | None) -> str:
    """The current search's query string with ``facet`` set to ``value`` (None: removed), on the first page."""
    params = context["request"].GET.copy()
    if value is None:
        params.pop(facet, None)
    else:
        params[facet] = value
    params.pop("page", None)
    return f"?{params.urlencode()}"


@register.simple_tag
def search_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.simple_tag
def search_status_label(status: str) -> str:
    return str(dict(ProjectStatus.choices).get(status, status))
