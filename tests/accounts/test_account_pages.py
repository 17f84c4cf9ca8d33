"""Every allauth page Dugnad uses renders in the site's layout and meets the basic a11y and CSP rules."""

from html.parser import HTMLParser

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


class PageAudit(HTMLParser):
    """Collects what the checks below need from a page."""

    def __init__(self):
        super().__init__()
        self.h1_count = 0
        self.label_targets = set()
        self.inputs = []
        self.ids = set()
        self.inline_styles = []
        self.event_handlers = []
        self.inline_scripts = 0
        self.positive_tabindex = []
        self.described_by = []
        self.has_site_header = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "h1":
            self.h1_count += 1
        if tag == "header" and "site-header" in (attrs.get("class") or ""):
            self.has_site_header = True
        if tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit", "button"}:
            self.inputs.append(attrs)
        if "style" in attrs:
            self.inline_styles.append(tag)
        self.event_handlers += [name for name in attrs if name.startswith("on")]
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline_scripts += 1
        if (attrs.get("tabindex") or "0").lstrip("-").isdigit() and int(attrs.get("tabindex") or 0) > 0:
            self.positive_tabindex.append(tag)
        if attrs.get("aria-describedby"):
            self.described_by += attrs["aria-describedby"].split()


def audit(response):
    assert response.status_code == 200, response
    page = PageAudit()
    page.feed(response.content.decode())
    assert page.has_site_header, "not rendered in the site's base.html"
    assert page.h1_count == 1
    assert page.inline_styles == []
    assert page.event_handlers == []
    assert page.inline_scripts == 0
    assert page.positive_tabindex == []
    for field in page.inputs:
        assert field.get("id") in page.label_targets or field.get("aria-label"), field
    assert set(page.described_by) <= page.ids
    return page


ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_email_verification_sent",
    "account_inactive",
]
LOGGED_IN_PAGES = ["account_logout", "account_email", "account_change_password", "account_reauthenticate", "profile"]


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_anonymous_account_pages(client, url_name):
    audit(client.get(reverse(url_name)))


@pytest.mark.parametrize("url_name", LOGGED_IN_PAGES)
def test_logged_in_account_pages(client, url_name):
    client.force_login(UserFactory(verified=True))

    audit(client.get(reverse(url_name)))


def test_forms_with_errors_tie_each_error_to_its_input(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-address", "password1": "x", "password2": "y"})

    page = audit(response)
    content = response.content.decode()
    assert "ds-error-summary" in content
    assert 'href="#id_email"' in content
    invalid = {field["id"] for field in page.inputs if field.get("aria-invalid") == "true"}
    assert {"id_email", "id_display_name", "id_password1"} <= invalid
    assert {"id_email_error", "id_display_name_error", "id_password1_error"} <= set(page.described_by)


def test_login_failure_is_summarised(client):
    UserFactory(email="someone@example.org", verified=True)

    response = client.post(reverse("account_login"), {"login": "someone@example.org", "password": "wrong"})

    audit(response)
    assert "ds-error-summary" in response.content.decode()


def test_email_confirmation_pages(client):
    user = UserFactory()
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key

    page = audit(client.get(reverse("account_confirm_email", args=[key])))
    assert page.h1_count == 1
    audit(client.get(reverse("account_confirm_email", args=["not-a-key"])))


def test_password_reset_from_key_pages(client):
    user = UserFactory(verified=True)
    uidb36, key = user_pk_to_url_str(user), default_token_generator.make_token(user)

    # allauth moves the key into the session and redirects before showing the form.
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": uidb36, "key": key}), follow=True
    )
    content = audit(response)
    assert {"id_password1", "id_password2"} <= {field["id"] for field in content.inputs}

    audit(client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": uidb36, "key": "bad-key"})))


def test_email_change_page_with_a_pending_address(client):
    user = UserFactory(verified=True)
    EmailAddress.objects.create(user=user, email="new@example.org", verified=False, primary=False)
    client.force_login(user)

    response = client.get(reverse("account_email"))

    audit(response)
    assert 'id="pending-email"' in response.content.decode()
