import pytest
from django.test import Client
from django.urls import reverse

from hub.page_cache import CACHE_HEADER
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


def test_a_logged_in_user_switching_by_a_link_on_this_site_saves_the_preference():
    user = UserFactory(preferred_language="nb")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.get(
        reverse("language_switch"), {"language": "nn", "next": "/goals/"}, headers={"Sec-Fetch-Site": "same-origin"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/goals/"
    assert response.cookies["django_language"].value == "nn"
    user.refresh_from_db()
    assert user.preferred_language == "nn"


def test_without_sec_fetch_site_a_referer_from_this_site_counts_as_this_site(client):
    user = UserFactory(preferred_language="nb")
    client.force_login(user)

    client.get(reverse("language_switch"), {"language": "en"}, headers={"Referer": "http://testserver/goals/"})

    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Referer": "https://evil.example/page"},
        {},
    ],
)
def test_a_link_on_another_site_sets_the_cookie_but_not_the_saved_preference(client, headers):
    user = UserFactory(preferred_language="nb")
    client.force_login(user)

    response = client.get(reverse("language_switch"), {"language": "en", "next": "/goals/"}, headers=headers)

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.preferred_language == "nb"


def test_a_post_still_needs_its_csrf_token():
    user = UserFactory(preferred_language="nb")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(reverse("language_switch"), {"language": "en"}).status_code == 403
    user.refresh_from_db()
    assert user.preferred_language == "nb"


def test_the_redirect_is_never_stored_by_a_shared_cache(client):
    response = client.get(reverse("language_switch"), {"language": "en", "next": "/goals/"})

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_next_address_keeps_its_query_string(client):
    response = client.get(reverse("language_switch"), {"language": "en", "next": "/search/?q=fisk&page=2"})

    assert response["Location"] == "/search/?q=fisk&page=2"


def _language_menu(html):
    menu = html[html.index('<details class="language-menu"') :]
    return menu[: menu.index("</details>")]


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_language_menu_is_three_links_without_a_token(client, logged_in):
    if logged_in:
        client.force_login(UserFactory())
    client.cookies["django_language"] = "nn"

    menu = _language_menu(client.get(reverse("goal_list") + "?x=1&y=2").content.decode())

    assert "<form" not in menu
    assert "csrfmiddlewaretoken" not in menu
    switch = reverse("language_switch")
    for code in ("nb", "nn", "en"):
        assert f'href="{switch}?language={code}&amp;next=%2Fgoals%2F%3Fx%3D1%26y%3D2"' in menu
    assert menu.count('aria-current="true"') == 1
    assert 'hreflang="nn" href' in menu.split('aria-current="true"')[0].rsplit("<li>", 1)[1]


def test_an_anonymous_page_with_the_language_menu_is_still_cached(client):
    first = client.get(reverse("goal_list"))
    second = client.get(reverse("goal_list"))

    assert 'class="language-menu"' in first.content.decode()
    assert not first.cookies
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
