"""The anonymous full-page cache (hub.page_cache) and the dependency versions it keeps pages by (cms.dependency)."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from cms import dependency
from cms.dependency import everything_changed
from hub.page_cache import CACHE_HEADER, AnonymousPageCacheMiddleware
from partners.models import PartnershipStatus
from partners.services import partnership_decide
from tests.accounts.factories import UserFactory
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    partner_create,
    partner_index_create,
    partnership_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


@pytest.fixture
def index(hub):
    return partner_index_create(hub)


def _approved(hub, **fields):
    partner = partner_create(**fields)
    partnership_create(partner=partner, hub=hub)
    return partner


def test_an_anonymous_visitor_gets_the_second_request_from_the_cache(client, hub, index):
    _approved(hub, name="Fjordkraft Testselskap AS")

    first = client.get(index.url)
    second = client.get(index.url)

    assert first.status_code == second.status_code == 200
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert "Fjordkraft Testselskap AS" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_pages_for_anonymous_visitors_hold_no_per_visitor_data(client, hub, index):
    for url in (hub.url, index.url):
        response = client.get(url)

        html = response.content.decode()
        assert response[CACHE_HEADER] == "miss"
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in html
        assert "X-CSRFToken" not in html


def test_the_cached_page_answers_head_requests(client, hub):
    client.get(hub.url)

    response = client.head(hub.url)

    assert response.status_code == 200
    assert response[CACHE_HEADER] == "hit"


def test_a_logged_in_user_is_never_served_from_or_stored_in_the_cache(client, hub):
    user = UserFactory(display_name="Kari Innlogget")
    client.get(hub.url)  # an anonymous visitor fills the cache
    client.force_login(user)

    logged_in = client.get(hub.url)

    assert CACHE_HEADER not in logged_in
    assert "Kari Innlogget" in logged_in.content.decode()
    client.logout()
    everything_changed()  # the anonymous entry goes; the logged-in page must not take its place
    client.force_login(user)
    client.get(hub.url)
    client.logout()
    anonymous = client.get(hub.url)
    assert anonymous[CACHE_HEADER] == "miss"
    assert "Kari Innlogget" not in anonymous.content.decode()


@pytest.mark.parametrize("cookie", [settings.SESSION_COOKIE_NAME, "messages"])
def test_a_visitor_with_a_session_or_pending_messages_bypasses_the_cache(client, hub, cookie):
    client.get(hub.url)
    client.cookies[cookie] = "anything"

    response = client.get(hub.url)

    assert response.status_code == 200
    assert CACHE_HEADER not in response


@pytest.mark.parametrize("header", [{"Authorization": "Bearer x"}, {"HX-Request": "true"}])
def test_authorised_and_htmx_requests_bypass_the_cache(client, hub, header):
    client.get(hub.url)

    response = client.get(hub.url, headers=header)

    assert CACHE_HEADER not in response


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/healthz"])
def test_private_paths_bypass_the_cache(client, url):
    client.get(url)

    response = client.get(url)

    assert CACHE_HEADER not in response


def test_languages_are_cached_apart(client, hub):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(hub.url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    bokmaal = client.get(hub.url)
    bokmaal_again = client.get(hub.url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_again = client.get(hub.url)

    assert english[CACHE_HEADER] == bokmaal[CACHE_HEADER] == "miss"
    assert english_again[CACHE_HEADER] == bokmaal_again[CACHE_HEADER] == "hit"
    assert '<html lang="en"' in english_again.content.decode()
    assert '<html lang="nb"' in bokmaal_again.content.decode()
    assert english_again["Content-Language"] == "en"


def test_approving_a_partnership_makes_the_directory_fresh(client, hub, index, django_capture_on_commit_callbacks):
    coordinator = coordinator_create(hub)
    partnership = partnership_create(
        partner=partner_create(name="Nyleg Godkjent AS"), hub=hub, status=PartnershipStatus.APPLIED
    )
    assert "Nyleg Godkjent AS" not in client.get(index.url).content.decode()
    assert client.get(index.url)[CACHE_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        partnership_decide(actor=coordinator, partnership=partnership, to_status=PartnershipStatus.APPROVED)

    response = client.get(index.url)
    assert response[CACHE_HEADER] == "miss"
    assert "Nyleg Godkjent AS" in response.content.decode()


def test_publishing_a_page_edit_shows_the_new_title(client, hub):
    assert "Gamal tittel" not in client.get(hub.url).content.decode()
    hub.title = "Gamal tittel"
    hub.save_revision().publish()
    assert "Gamal tittel" in client.get(hub.url).content.decode()

    hub.title = "Ny tittel"
    hub.save_revision().publish()

    response = client.get(hub.url)
    assert response[CACHE_HEADER] == "miss"
    assert "Ny tittel" in response.content.decode()
    assert "Gamal tittel" not in response.content.decode()


def test_a_draft_leaves_the_public_page_as_published(client, hub):
    hub.title = "Publisert tittel"
    hub.save_revision().publish()
    client.get(hub.url)

    hub.title = "Utkast"
    hub.save_revision()

    response = client.get(hub.url)
    assert "Publisert tittel" in response.content.decode()
    assert "Utkast" not in response.content.decode()


def test_changed_replaces_now_and_once_more_after_the_commit_with_every_key_of_the_transaction(
    django_capture_on_commit_callbacks,
):
    first, second = dependency.hub(1), dependency.page(2)
    before = {key: dependency.version(key) for key in (first, second, dependency.ANY)}

    with django_capture_on_commit_callbacks() as callbacks:
        dependency.changed(first)
        dependency.changed(second)
    during = {key: dependency.version(key) for key in before}
    assert all(during[key] != before[key] for key in before)
    assert len(callbacks) == 1

    callbacks[0]()
    assert all(dependency.version(key) != during[key] for key in before)


def test_an_evicted_version_never_matches_an_old_entry(client, hub):
    from django.core.cache import cache

    client.get(hub.url)
    assert client.get(hub.url)[CACHE_HEADER] == "hit"
    cache.delete(dependency.version_key(dependency.hub(hub.pk)))

    assert client.get(hub.url)[CACHE_HEADER] == "miss"


# --- What is stored: the middleware alone, with responses made to order ----------------------------


def _middleware(response):
    return AnonymousPageCacheMiddleware(lambda request: response)


def _through(middleware, request):
    """Two passes of the same request: the second shows whether the first was stored."""
    middleware(request)
    return middleware(request)


def _html(**headers):
    response = HttpResponse("<p>Hei</p>", content_type="text/html; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    return response


def test_a_plain_html_response_is_stored():
    second = _through(_middleware(_html()), RequestFactory().get("/side/"))

    assert second[CACHE_HEADER] == "hit"


def test_a_response_that_sets_a_cookie_is_not_stored():
    response = _html()
    response.set_cookie("csrftoken", "abc")

    second = _through(_middleware(response), RequestFactory().get("/side/"))

    assert CACHE_HEADER not in second


@pytest.mark.parametrize(
    "response",
    [
        _html(**{"Cache-Control": "private"}),
        _html(**{"Cache-Control": "no-cache, no-store, must-revalidate, private, max-age=0"}),
        _html(Vary="HX-Request"),
        _html(**{"Content-Encoding": "gzip"}),
        HttpResponse("{}", content_type="application/json"),
        HttpResponse("<p>Ikkje funne</p>", status=404),
        HttpResponse(status=302),
    ],
    ids=["private", "never_cache", "vary", "compressed", "json", "404", "redirect"],
)
def test_responses_that_may_not_be_shared_are_not_stored(response):
    second = _through(_middleware(response), RequestFactory().get("/side/"))

    assert CACHE_HEADER not in second


def test_post_is_never_cached():
    second = _through(_middleware(_html()), RequestFactory().post("/side/"))

    assert CACHE_HEADER not in second


def test_the_cache_can_be_turned_off(settings):
    settings.DUGNAD_PAGE_CACHE = False

    second = _through(_middleware(_html()), RequestFactory().get("/side/"))

    assert CACHE_HEADER not in second


# --- Entries written by other code (a deploy): misses, never errors ---------------------------------


@pytest.mark.parametrize(
    "old_entry",
    [
        ("a-content-version", 200, [("Content-Type", "text/html")], b"<p>Gammal</p>"),  # before dependencies
        {"format": 1, "versions": {}, "status": 200, "headers": [], "content": b"<p>Gammal</p>"},
        "not an entry at all",
    ],
    ids=["tuple", "other-format", "garbage"],
)
def test_an_entry_of_another_format_is_a_miss_and_is_replaced(old_entry):
    from django.core.cache import cache

    middleware = _middleware(_html())
    request = RequestFactory().get("/side/")
    cache.set(middleware._key(request), old_entry)

    first = middleware(request)
    second = middleware(request)

    assert first[CACHE_HEADER] == "miss"
    assert first.content == b"<p>Hei</p>"
    assert second[CACHE_HEADER] == "hit"
