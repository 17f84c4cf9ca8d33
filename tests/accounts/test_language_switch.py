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


def test_an_anonymous_visitor_switches_with_get():
    client = Client(enforce_csrf_checks=True)

    response = client.get(reverse("language_switch"), {"language": "nn", "next": "/goals/"})

    assert response.status_code == 302
    assert response["Location"] == "/goals/"
    assert response.cookies["django_language"].value == "nn"


def test_an_anonymous_get_with_an_unknown_language_or_unsafe_next_is_refused_or_ignored(client):
    assert client.get(reverse("language_switch"), {"language": "xx"}).status_code == 400

    response = client.get(reverse("language_switch"), {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_a_logged_in_user_must_post_with_a_csrf_token():
    user = UserFactory(preferred_language="nb")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.get(reverse("language_switch"), {"language": "en"}).status_code == 405
    assert client.post(reverse("language_switch"), {"language": "en"}).status_code == 403
    user.refresh_from_db()
    assert user.preferred_language == "nb"


def test_the_switcher_uses_get_without_a_token_for_anonymous_visitors(client):
    html = client.get(reverse("account_login")).content.decode()
    form = html[html.index('<form class="language-switcher"') :]
    form = form[: form.index("</form>")]

    assert f'action="{reverse("language_switch")}"' in form
    assert 'method="get"' in form
    assert "csrfmiddlewaretoken" not in form


def test_the_switcher_posts_with_a_token_for_logged_in_users(client):
    client.force_login(UserFactory())
    html = client.get(reverse("profile")).content.decode()
    form = html[html.index('<form class="language-switcher"') :]
    form = form[: form.index("</form>")]

    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
