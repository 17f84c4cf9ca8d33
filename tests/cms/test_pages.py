import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from cms.blocks import BodyBlock, CallToActionBlock, CaptionedImageBlock
from cms.models import HomePage, HubPage, NewsIndexPage, NewsPage, StandardPage
from tests.cms.factories import (
    hub_page_create,
    image_create,
    news_index_create,
    standard_page_create,
)

pytestmark = pytest.mark.django_db


def test_page_types_go_only_where_they_belong(home):
    root = Page.get_first_root_node()
    hub = hub_page_create(parent=home)
    standard = standard_page_create(parent=hub)
    assert NewsIndexPage.can_create_at(hub)
    news_index = news_index_create(hub=hub)

    assert HomePage.can_create_at(root)
    assert HubPage.can_create_at(root), "a hub can be the root of its own site"
    assert HubPage.can_create_at(home), "a hub can be a section of a shared site"
    assert not HubPage.can_create_at(hub)
    assert not HubPage.can_create_at(standard)
    assert not HomePage.can_create_at(home)
    assert not HomePage.can_create_at(hub)
    assert not StandardPage.can_create_at(root)
    assert StandardPage.can_create_at(home)
    assert StandardPage.can_create_at(hub)
    assert StandardPage.can_create_at(standard)
    assert not NewsIndexPage.can_create_at(home)
    assert not NewsIndexPage.can_create_at(hub), "one news index per hub"
    assert NewsPage.can_create_at(news_index)
    assert not NewsPage.can_create_at(hub)


def _every_block(*, image, link_page):
    return [
        ("heading", {"text": "Heading two", "level": "h2"}),
        ("heading", {"text": "Heading three", "level": "h3"}),
        ("text", "<p>Some <b>rich</b> text</p>"),
        ("image", {"image": image, "alt_text": "Two people planting a tree", "caption": "Planting day"}),
        ("quote", {"text": "Together we do more.", "attribution": "A mayor"}),
        (
            "call_to_action",
            {"heading": "Join us", "text": "<p>Come along</p>", "page": link_page, "url": "", "button_label": "Go"},
        ),
    ]


def test_a_standard_page_with_every_block_renders_them_all_with_one_h1(client, home):
    hub = hub_page_create(parent=home, title="Fjordvik lab")
    image = image_create(title="Tree")
    page = standard_page_create(parent=hub, title="About the lab", body=_every_block(image=image, link_page=hub))

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<h2 class="ds-heading" data-size="md">Heading two</h2>' in html
    assert '<h3 class="ds-heading" data-size="sm">Heading three</h3>' in html
    assert "<b>rich</b>" in html
    assert 'alt="Two people planting a tree"' in html
    assert "/media/images/" in html, "the image is a rendition, not the original"
    assert "Planting day</figcaption>" in html
    assert "Together we do more." in html and "A mayor" in html
    assert f'<a class="ds-button" href="{hub.url}">Go</a>' in html
    assert 'style="' not in html, "the Content-Security-Policy forbids inline styles"
    assert 'aria-current="page">About the lab</a>' in html, "breadcrumbs end at the current page"
    assert f'href="{hub.url}">Fjordvik lab</a></li>' in html, "breadcrumbs pass through the hub"


def test_the_image_block_requires_alt_text(db):
    image = image_create()
    block = CaptionedImageBlock()

    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert (
        block.clean(block.to_python({"image": image.pk, "alt_text": "A tree", "caption": ""}))["alt_text"] == "A tree"
    )


def test_call_to_action_needs_exactly_one_target(home):
    block = CallToActionBlock()
    base = {"heading": "Join", "text": "", "button_label": "Go"}

    with pytest.raises(ValidationError):
        block.clean(block.to_python({**base, "page": None, "url": ""}))
    with pytest.raises(ValidationError):
        block.clean(block.to_python({**base, "page": home.pk, "url": "https://example.org"}))
    assert block.clean(block.to_python({**base, "page": None, "url": "https://example.org"}))["url"]


def test_body_refuses_a_subheading_before_the_first_heading(db):
    block = BodyBlock()

    with pytest.raises(ValidationError):
        block.clean(block.to_python([{"type": "heading", "value": {"text": "Sub", "level": "h3"}}]))
    value = block.to_python(
        [
            {"type": "heading", "value": {"text": "Main", "level": "h2"}},
            {"type": "heading", "value": {"text": "Sub", "level": "h3"}},
        ]
    )
    assert len(block.clean(value)) == 2


def test_the_home_page_lists_its_live_hubs_and_a_hub_shows_its_details(client, home):
    hub = hub_page_create(
        parent=home,
        title="Fjordvik lab",
        municipality="Fjordvik",
        contact_email="post@fjordvik.example",
        hero_image=image_create(),
    )
    draft = hub_page_create(parent=home, title="Unpublished hub")
    draft.unpublish()

    home_html = client.get(home.url).content.decode()
    hub_html = client.get(hub.url).content.decode()

    assert "Fjordvik lab" in home_html
    assert "Unpublished hub" not in home_html
    assert home_html.count("<h1") == 1 and hub_html.count("<h1") == 1
    assert "Fjordvik" in hub_html
    assert 'href="mailto:post@fjordvik.example"' in hub_html
    assert 'class="hub-hero"' in hub_html
    assert 'style="' not in home_html + hub_html
