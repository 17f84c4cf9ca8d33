"""Template helpers for the embeds and the share dialog."""

from django import template

from accounts.urls_absolute import page_absolute_url

register = template.Library()


@register.filter
def absolute_page_url(page) -> str:
    """A page's full address on ``SITE_URL`` (links in an embed open on Dugnad, wherever it is framed)."""
    return page_absolute_url(page)
