import pytest
from django.conf import settings
from wagtail.models import Site

from cms.models import FooterSettings, NavigationSettings
from tests.cms.factories import hub_page_create, standard_page_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_navigation_renders_the_configured_links_and_marks_the_current_page(english, home):
    # Site-wide pages (not in a hub) show the site's menu.
    hub = standard_page_create(parent=home, title="Fjordvik lab")
    about = standard_page_create(parent=home, title="About")
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    navigation.links = [
        ("link", {"label": "Our hub", "page": hub, "url": ""}),
        ("link", {"label": "Elsewhere", "page": None, "url": "https://example.org/"}),
    ]
    navigation.save()

    html = english.get(hub.url).content.decode()
    about_html = english.get(about.url).content.decode()

    assert '<nav aria-label="Main"' in html
    assert f'<a class="ds-link" href="{hub.url}" aria-current="page">Our hub</a>' in html
    assert '<a class="ds-link" href="https://example.org/">Elsewhere</a>' in html
    assert ">The goals</a>" in html, "the goals link stays after the configured ones"
    assert f'<a class="ds-link" href="{hub.url}">Our hub</a>' in about_html, "not current on another page"


def test_navigation_changes_show_at_once(english, home):
    hub = hub_page_create(parent=home)
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    navigation.links = [("link", {"label": "First label", "page": hub, "url": ""})]
    navigation.save()
    assert "First label" in english.get(home.url).content.decode()

    navigation.links = [("link", {"label": "Second label", "page": hub, "url": ""})]
    navigation.save()

    html = english.get(home.url).content.decode()
    assert "Second label" in html and "First label" not in html


def test_footer_renders_text_contact_details_and_links(english, home):
    about = standard_page_create(parent=home, title="About Dugnad")
    footer = FooterSettings.for_site(Site.objects.get(is_default_site=True))
    footer.text = "Run by the fictional county."
    footer.contact_email = "post@example.org"
    footer.contact_phone = "+47 700 00 000"
    footer.links = [("link", {"label": "Privacy", "page": about, "url": ""})]
    footer.save()

    html = english.get(home.url).content.decode()

    assert "Run by the fictional county." in html
    assert 'href="mailto:post@example.org"' in html
    assert 'href="tel:+4770000000"' in html
    assert 'aria-labelledby="site-footer-links"' in html
    assert f'href="{about.url}">Privacy</a>' in html


def test_footer_falls_back_to_the_default_sentence(english, home):
    html = english.get(home.url).content.decode()

    assert "Dugnad: local partnerships for the Sustainable Development Goals." in html
