"""The privacy and accessibility statements, linked from every footer and from sign-up."""

from django import template

from cms.selectors import statement_links as _statement_links

register = template.Library()


@register.simple_tag
def statement_links() -> list[dict]:
    return _statement_links()


@register.simple_tag
def privacy_statement_url() -> str:
    return next((link["url"] for link in _statement_links() if link["kind"] == "privacy"), "")
