"""Only strictly necessary cookies: the session, the CSRF token and the chosen language."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from cms.models import HubPage
from partners.models import Partner
from projects.models import ProjectPage

pytestmark = pytest.mark.django_db

ALLOWED = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def test_no_cookie_but_session_csrf_and_language_is_ever_set(client):
    call_command("seed_demo", "--password", "demo-password-123", stdout=StringIO())
    hub = HubPage.objects.get()
    project = ProjectPage.objects.live().first()
    partner = Partner.objects.filter(partnerships__status="approved").first()
    pages = ["/", hub.url, project.url, f"{hub.url}partners/{partner.slug}/", "/goals/", "/goals/13/"]
    seen = set()

    def visit(method, url, **kwargs):
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code < 500, url
        seen.update(response.cookies.keys())
        return response

    for url in [*pages, "/accounts/login/", "/accounts/signup/"]:
        visit("get", url)
    visit("get", "/i18n/setlang/", data={"language": "en", "next": "/"})
    visit("post", "/accounts/login/", data={"login": "innbygger@fjordvik.example", "password": "wrong"})
    visit("post", "/accounts/login/", data={"login": "innbygger@fjordvik.example", "password": "demo-password-123"})
    for url in [*pages, "/accounts/profile/", "/notifications/"]:
        visit("get", url)
    visit("post", "/accounts/logout/")
    visit("get", "/")

    assert settings.SESSION_COOKIE_NAME in seen, "the walk logged in"
    assert seen <= ALLOWED, f"unexpected cookies: {seen - ALLOWED}"
