import pytest
from django.conf import settings

from tests.cms.factories import hub_page_create, standard_page_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def nynorsk_hub(home):
    return hub_page_create(parent=home, default_language="nn")


def test_without_a_language_cookie_a_hub_speaks_its_own_language(client, nynorsk_hub):
    response = client.get(nynorsk_hub.url, HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="nn"' in response.content.decode()
    assert response["Content-Language"] == "nn"
    assert "Cookie" in response["Vary"]


def test_pages_below_a_hub_follow_the_hub_language(client, nynorsk_hub):
    page = standard_page_create(parent=nynorsk_hub)

    response = client.get(page.url, HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="nn"' in response.content.decode()


def test_an_explicit_language_choice_wins_over_the_hub_language(client, nynorsk_hub):
    page = standard_page_create(parent=nynorsk_hub)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    hub_response = client.get(nynorsk_hub.url)
    page_response = client.get(page.url)

    assert '<html lang="en"' in hub_response.content.decode()
    assert '<html lang="en"' in page_response.content.decode()


def test_a_page_outside_any_hub_keeps_the_site_default(client, home, nynorsk_hub):
    page = standard_page_create(parent=home)

    response = client.get(page.url)

    assert f'<html lang="{settings.LANGUAGE_CODE}"' in response.content.decode()
