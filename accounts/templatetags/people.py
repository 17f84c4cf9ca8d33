"""``{{ user|public_name }}``: a person's name as others see it (``accounts.names.public_name``)."""

from django import template

from accounts.names import public_name as _public_name

register = template.Library()


@register.filter
def public_name(user) -> str:
    return _public_name(user)
