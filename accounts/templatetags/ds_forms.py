"""Render form widgets with Designsystemet's classes, keeping Django's accessibility attributes.

Django adds ``aria-invalid`` and ``aria-describedby`` (pointing at ``<id>_helptext`` and
``<id>_error``) when it renders a bound field; the field templates give those ids to the help
text and the error message.
"""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, FileInput, RadioSelect, Select

register = template.Library()


@register.filter
def ds_widget(bound_field):
    """The field's widget with Designsystemet's class added to any class it already has."""
    widget = bound_field.field.widget
    classes = [widget.attrs.get("class", "")]
    if not isinstance(widget, RadioSelect | CheckboxSelectMultiple):
        classes.append("ds-input")
    return bound_field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


@register.filter
def ds_kind(bound_field):
    """How the field is laid out: ``checkbox``, ``group`` (a fieldset), ``select``, ``file`` or ``text``."""
    widget = bound_field.field.widget
    if isinstance(widget, RadioSelect | CheckboxSelectMultiple):
        return "group"
    if isinstance(widget, CheckboxInput):
        return "checkbox"
    if isinstance(widget, Select):
        return "select"
    if isinstance(widget, FileInput):
        return "file"
    return "text"
