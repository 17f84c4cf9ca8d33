"""A database that does not answer gives 503 with Retry-After, never a traceback (hub.views.server_error).

The real outage (PostgreSQL stopped under a running server) is tests/e2e/test_faults_database.py.
"""

import pytest
from django.test import Client, RequestFactory

from hub.views import service_unavailable

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.hub.failing_urls")]


@pytest.fixture
def client():
    # As a browser sees it: the handler's response, not the exception re-raised into the test.
    return Client(raise_request_exception=False)


def test_a_page_whose_database_is_gone_answers_503_with_retry_after_in_the_readers_language(client, settings):
    settings.SERVICE_UNAVAILABLE_RETRY_AFTER = 20

    response = client.get("/failing/database/", HTTP_ACCEPT_LANGUAGE="nn")

    assert response.status_code == 503
    assert response["Retry-After"] == "20"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="nn"' in html
    assert 'href="/failing/database/"' in html  # try again
    assert "Traceback" not in html and "OperationalError" not in html and "administrator" not in html


def test_an_error_raised_from_a_database_error_is_a_503_too(client):
    response = client.get("/failing/rendering/")

    assert response.status_code == 503
    assert '<html lang="nb"' in response.content.decode()  # the site's language without a choice


def test_the_api_answers_503_in_its_json_error_shape(client):
    response = client.get("/api/v1/failing/database/")

    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert response.json()["error"]["code"] == "unavailable"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]


def test_any_other_error_stays_a_500(client):
    response = client.get("/failing/bug/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_503_page_reads_nothing_from_the_database(django_assert_num_queries):
    request = RequestFactory().get("/some/page/", HTTP_ACCEPT_LANGUAGE="en")

    with django_assert_num_queries(0):
        response = service_unavailable(request)

    assert response.status_code == 503
    assert '<html lang="en"' in response.content.decode()


def test_healthz_503_carries_retry_after(client, monkeypatch):
    from hub import views

    def refused():
        raise OSError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", refused)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == "15"
