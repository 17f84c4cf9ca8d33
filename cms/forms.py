"""Form fields every app shares: numbers written the Norwegian way, Markdown with a preview, and a
service's validation errors shown on a form.

People in Norway write "62,47" and "1 234,5" (a decimal comma, spaces as thousands separators);
people who copy from a map or a spreadsheet write "62.47". Django's ``DecimalField`` reads only the
active language's format, so "62,47" was refused in English and "62.47" could be misread. Every
public and admin form with a number uses ``LocalizedDecimalField`` (the Wagtail admin through the
override registered in ``cms.apps``), which reads all of these whatever the language and shows
numbers in the visitor's language.

Services validate what they write and raise ``ValidationError`` (naming fields or not); every view
shows such an error on its form through ``add_service_errors``.
"""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from cms.markdown import markdown_html

# Spaces people (and number formatting) put between groups of thousands: space, no-break space,
# narrow no-break space, thin space, and the apostrophe some spreadsheets use.
_GROUP_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_PLAIN = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[.,])\d{3}((?P=sep)\d{3})*(?P<dec>[.,])\d+")

NUMBER_ERROR = _("Enter a number, for example 62,47 or 1 234,5.")


def parse_localized_decimal(value: str) -> Decimal | None:
    """The number ``value`` stands for, written with a decimal comma or point, or None if it is blank.

    Spaces between digit groups are ignored ("1 234,5"). When both a comma and a point occur, the
    last one is the decimal mark and the other must separate groups of three ("1.234,5",
    "1,234.5"). Anything else raises ``InvalidOperation``; so does infinity or NaN.
    """
    text = _GROUP_SPACES.sub("", str(value).strip().translate(_MINUS_SIGNS))
    if not text:
        return None
    if _PLAIN.fullmatch(text):
        text = text.replace(",", ".")
    else:
        grouped = _GROUPED.fullmatch(text)
        if grouped is None or grouped["sep"] == grouped["dec"]:
            raise InvalidOperation(value)
        text = text.replace(grouped["sep"], "").replace(grouped["dec"], ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation(value)
    return number


class LocalizedDecimalField(forms.DecimalField):
    """A ``DecimalField`` that reads Norwegian and international number formats alike.

    Shown in the visitor's language (``localize``), in a text box that brings up a numeric
    keyboard: ``type="number"`` would refuse a decimal comma in some browsers.
    """

    widget = forms.TextInput
    default_error_messages = {"invalid": NUMBER_ERROR}

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_localized_decimal(value)
        except (InvalidOperation, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number

    def widget_attrs(self, widget):
        # No "step" or "min"/"max" attributes: they belong to type="number", which this field avoids.
        return forms.Field.widget_attrs(self, widget)


# --- Markdown: text people write on the public site in the Markdown subset (cms.markdown) ---

MARKDOWN_HELP = _(
    "Write *italics*, **bold**, lists (lines starting with - or 1.) and links ([text](https://…)); "
    "a blank line starts a new paragraph. Preview shows how it will look."
)
# The name of the submit button that asks for a preview instead of saving.
PREVIEW = "preview"


class MarkdownPreviewMixin:
    """A form with Markdown fields whose "Preview" button shows the text rendered, without saving.

    The button is ``<button name="preview" value="<field name>">`` (components/markdown_field.html);
    it works without JavaScript: the view sees ``wants_preview``, saves nothing and renders the form
    again with what was typed, and ``markdown_preview(name)`` gives the field's rendered HTML.
    """

    @property
    def wants_preview(self) -> bool:
        return self.is_bound and bool(self.data.get(PREVIEW))

    def show_preview(self) -> None:
        """Render the bound form again without validating it: a preview is not a failed save."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def markdown_preview(self, name: str) -> str | None:
        if not self.wants_preview or self.data.get(PREVIEW) != name:
            return None
        return markdown_html(self.data.get(self.add_prefix(name), ""))


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    field: str | None = None,
    fields_for_codes: Mapping[str, str] | None = None,
) -> None:
    """Show a service's ``ValidationError`` on ``form``.

    An error that names a field the form shows goes on that field. An error without a field goes
    on the field ``fields_for_codes`` gives for its code, when the form shows that field (say, an
    uploaded image's errors on the upload). Everything else goes on ``field``: above the form when
    it is None. Each error keeps its code.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
        return
    for item in error.error_list:
        target = (fields_for_codes or {}).get(item.code)
        form.add_error(target if target in form.fields else field, item)
