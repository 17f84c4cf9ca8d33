"""StreamField blocks for Dugnad's pages.

Every block renders through its own template under ``cms/blocks/`` so that markup, Designsystemet
classes and accessibility live in one place. The page's title is the only h1, so headings inside a
body start at h2 and ``BodyBlock`` refuses an h3 before the first h2.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

# Body text has no heading features: headings come from HeadingBlock, which keeps the outline valid.
BODY_RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
# Short texts (introductions, call-to-action text) need emphasis and links, nothing structural.
INTRO_RICH_TEXT_FEATURES = ["bold", "italic", "link"]


def _require_page_or_url(value):
    """A link needs exactly one target; two would leave the reader guessing which one counts."""
    if bool(value.get("page")) == bool(value.get("url")):
        message = _("Choose either a page or a web address, not both.")
        raise StructBlockValidationError(
            block_errors={"page": ValidationError(message), "url": ValidationError(message)}
        )


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading (h2)")), ("h3", _("Subheading (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading_block.html"


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", BODY_RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "cms/blocks/rich_text_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    """An image whose alternative text is required: the editor must say what it shows."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=255,
        required=True,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=255, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A prominent invitation to act; it links either to a page on the site or to an address."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=INTRO_RICH_TEXT_FEATURES, required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Web address"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=80)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        _require_page_or_url(value)
        return value


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = RichTextBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()

    def clean(self, value):
        value = super().clean(value)
        # Screen-reader users navigate by headings; an h3 with no h2 above it skips a level.
        for child in value:
            if child.block_type != "heading":
                continue
            if child.value["level"] == "h3":
                raise StreamBlockValidationError(
                    non_block_errors=ErrorList([_("Start with a heading (h2) before the first subheading (h3).")])
                )
            break
        return value


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page on the site or to an address elsewhere (menus, footer).

    ``label`` is in the language of the pages the menu is on; ``label_nn`` and ``label_en`` are
    optional translations, shown in those languages (``cms.languages.in_language``).
    """

    label = blocks.CharBlock(
        label=_("Label"), max_length=80, help_text=_("In the hub's language (Bokmål for site-wide menus).")
    )
    label_nn = blocks.CharBlock(
        label=_("Label in Nynorsk"), max_length=80, required=False, help_text=_("If empty, the label above is shown.")
    )
    label_en = blocks.CharBlock(
        label=_("Label in English"), max_length=80, required=False, help_text=_("If empty, the label above is shown.")
    )
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Web address"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        _require_page_or_url(value)
        return value


class LinkListBlock(blocks.StreamBlock):
    link = LinkBlock()
