"""The site's Markdown subset (cms.markdown): what it renders, what it refuses to render, and the way
back from stored HTML to Markdown for editing."""

import pytest

from cms.markdown import html_to_markdown, markdown_html

ROUND_TRIPS = [
    "Vi lager strøm av bølger.\n\nOg vi deler det vi lærer.",
    "**Fet**, *kursiv*, [lenke](https://example.org) og https://dugnad.example/om",
    "- en\n- to *tre*\n\n1. a\n2. b\n\n> sitat\n> linje to\n\nslutt\nlinje",
    "3 < 4, <b>ikke html</b>, \\*stjerner\\* og \\[klammer\\]",
    "5. start\n6. videre",
    "1\\. ikke en nummerert liste\n\\- heller ikke en punktliste\n\\> eller et sitat",
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_markdown_made_from_stored_html_renders_the_same_html(text):
    html = markdown_html(text)

    assert markdown_html(html_to_markdown(html)) == html


def test_the_subset_renders_and_raw_html_stays_text():
    html = markdown_html('**Fet** [x](javascript:alert(1)) <script>alert("x")</script> <b>b</b>')

    assert "<strong>Fet</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert 'href="javascript' not in html


def test_what_the_admins_editor_stores_comes_back_as_markdown():
    # Draftail's HTML for bold, italic, lists and links; headings from older descriptions become bold.
    html = "<h2>Om oss</h2><p>Vi lager <b>strøm</b> og <i>varme</i>.<br/>Ny linje.</p><ol><li>Én</li><li>To</li></ol>"

    text = html_to_markdown(html)

    assert text == "**Om oss**\n\nVi lager **strøm** og *varme*.\nNy linje.\n\n1. Én\n2. To"
    assert "<" not in text


def test_coordinators_edit_partner_descriptions_in_wagtails_rich_text_editor():
    from wagtail.admin.rich_text import DraftailRichTextArea

    from partners.admin.viewsets import PartnerViewSet

    form_class = PartnerViewSet.edit_handler.bind_to_model(PartnerViewSet.model).get_form_class()

    assert isinstance(form_class.base_fields["description"].widget, DraftailRichTextArea)
