import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_switching_sets_the_cookie_and_saves_the_preference(client):
    user = UserFactory(preferred_language="nb")
    client.force_login(user)

    response = client.post(reverse("language_switch"), {"language": "en", "next": "/goals/"})

    assert response.status_code == 302
    assert response["Location"] == "/goals/"
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_an_anonymous_visitor_gets_the_cookie_only(client):
    response = client.post(reverse("language_switch"), {"language": "nn", "next": "/goals/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nn"


def test_the_next_page_is_in_the_new_language(client):
    client.post(reverse("language_switch"), {"language": "en", "next": "/"})

    response = client.get(reverse("account_login"))

    assert response.headers["Content-Language"] == "en"


def test_an_unknown_language_is_refused(client):
    user = UserFactory(preferred_language="nb")
    client.force_login(user)

    response = client.post(reverse("language_switch"), {"language": "xx", "next": "/goals/"})

    assert response.status_code == 400
    assert "django_language" not in response.cookies
    user.refresh_from_db()
    assert user.preferred_language == "nb"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored(client, next_url):
    response = client.post(reverse("language_switch"), {"language": "en", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_only_post_with_a_csrf_token_is_accepted():
    client = Client(enforce_csrf_checks=True)

    assert client.get(reverse("language_switch"), {"language": "en"}).status_code == 405
    assert client.post(reverse("language_switch"), {"language": "en"}).status_code == 403


def test_the_switcher_posts_to_the_language_switch(client):
    response = client.get(reverse("account_login"))

    assert f'action="{reverse("language_switch")}"' in response.content.decode()
