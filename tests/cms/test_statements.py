"""The privacy and accessibility statements: created with the demo, one of each, linked from every footer."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cms.models import HubPage, StatementKind, StatementPage
from cms.services import statement_pages_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", "--password", "demo-password-123", stdout=StringIO())
    return HubPage.objects.get()


def _footer_links(response) -> set[str]:
    footer = BeautifulSoup(response.content, "html.parser").find("footer")
    return {a["href"] for a in footer.find_all("a", href=True)}


def test_seed_demo_publishes_both_statements_and_every_footer_links_them(client, demo):
    privacy = StatementPage.objects.live().get(kind=StatementKind.PRIVACY)
    accessibility = StatementPage.objects.live().get(kind=StatementKind.ACCESSIBILITY)
    assert "sessionid" in str(privacy.body), "the privacy statement names the cookies"
    assert "uutilsynet.no" in str(accessibility.body), "the accessibility statement names the authority"

    for url in ["/", demo.url, "/goals/", "/goals/7/", "/accounts/login/", privacy.url, accessibility.url]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {privacy.url, accessibility.url} <= _footer_links(response), url


def test_sign_up_says_what_happens_to_the_data_and_links_the_privacy_statement(client, demo):
    privacy = StatementPage.objects.get(kind=StatementKind.PRIVACY)

    response = client.get("/accounts/signup/", HTTP_COOKIE="django_language=en")

    paragraph = BeautifulSoup(response.content, "html.parser").find(id="signup-privacy")
    assert "never share them" in paragraph.get_text()
    assert paragraph.find("a")["href"] == privacy.url


def test_an_installation_has_one_statement_of_each_kind(demo):
    second = StatementPage(title="Another", slug="another", kind=StatementKind.PRIVACY)
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert "kind" in error.value.message_dict

    assert statement_pages_ensure(parent=demo) == [], "existing statements are left alone"
    assert StatementPage.objects.count() == 2


def test_an_unpublished_statement_leaves_the_footer(client, demo):
    privacy = StatementPage.objects.get(kind=StatementKind.PRIVACY)
    privacy.unpublish()

    assert privacy.url not in _footer_links(client.get("/goals/"))
