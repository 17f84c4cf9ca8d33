"""Render form widgets with Designsystemet's classes, keeping Django's accessibility attributes.

Django adds ``aria-invalid`` and ``aria-describedby`` (pointing at ``<id>_helptext`` and
``<id>_error``) when it renders a bound field; the field templates give those ids to the help
text and the error message.
"""

import re

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, FileInput, RadioSelect, Select
from django.forms.boundfield import BoundWidget

register = template.Library()


@register.filter
def ds_widget(bound_field):
    """The field's widget with Designsystemet's class added to any class it already has.

    Radio and checkbox groups get the class on every option (Django passes the attributes on);
    the shared field template renders them option by option with ``ds_options`` instead.
    """
    return bound_field.as_widget(attrs={"class": _with_ds_input(bound_field.field.widget.attrs)})


@register.filter
def ds_options(bound_field) -> list[BoundWidget]:
    """The options of a radio or checkbox group, each input with Designsystemet's ``ds-input`` class.

    Iterating a bound field gives options with the widget's own attributes only; this adds the
    class (and keeps ``required``, ``aria-invalid`` and the ids Django gives), so that a template
    writes ``{{ option.tag }}`` and a ``<label>`` per option without each form setting the class.
    """
    widget = bound_field.field.widget
    id_ = widget.attrs.get("id") or bound_field.auto_id
    attrs = bound_field.build_widget_attrs({"id": id_} if id_ else {})
    attrs["class"] = _with_ds_input(widget.attrs)
    return [
        BoundWidget(widget, option, bound_field.form.renderer)
        for option in widget.subwidgets(bound_field.html_name, bound_field.value(), attrs=attrs)
    ]


def _with_ds_input(attrs: dict) -> str:
    classes = attrs.get("class", "").split()
    if "ds-input" not in classes:
        classes.append("ds-input")
    return " ".join(classes)


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


_BARE_LINK = re.compile(r"<a(?=\s)(?![^>]*\sclass=)", re.IGNORECASE)


@register.filter(is_safe=True)
def ds_links(html: str) -> str:
    """``html`` with Designsystemet's ``ds-link`` class on every link that has no class of its own.

    allauth writes its links inside translated messages (``Please <a href=…>sign up</a>``); adding
    the class here keeps allauth's messages, and their translations, as they are.
    """
    return _BARE_LINK.sub('<a class="ds-link"', str(html))
