"""A place on cms pages where higher apps add actions (the hub's "Share / embed" button and dialog).

cms does not import the apps above it: they register a Wagtail hook ``cms_page_actions``, a function
``(request, page) -> str`` returning safe HTML, or "" to add nothing for that page.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def page_actions(context, page) -> str:
    """What the ``cms_page_actions`` hooks add for ``page``, in registration order."""
    request = context.get("request")
    parts = (hook(request, page) for hook in hooks.get_hooks("cms_page_actions"))
    return mark_safe("".join(conditional_escape(part) for part in parts if part))
