"""Form helpers for text people write on the public site in the Markdown subset (``cms.markdown``)."""

from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from cms.markdown import markdown_html

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
