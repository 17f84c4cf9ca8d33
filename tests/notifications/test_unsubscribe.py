"""One-click unsubscribing with a signed link: without logging in, without a CSRF token (RFC 8058)."""

import re

import pytest
from django.core import mail
from django.core.signing import Signer
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notifications.emails import email_frequencies
from notifications.models import EmailFrequency, EmailPreference, EventKind
from notifications.unsubscribe import (
    ALL,
    SALT,
    InvalidToken,
    unsubscribe_token,
    unsubscribe_token_read,
    unsubscribe_url,
)
from tests.accounts.factories import UserFactory
from tests.notifications.mail_helpers import BASE_URL, notify_one

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.SITE_URL = BASE_URL


def _path(user, kind) -> str:
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=kind)])


def _csrf_checking_client() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    return client


# --- Tokens ---------------------------------------------------------------------------------------


def test_a_token_carries_the_user_and_the_kind():
    assert unsubscribe_token_read(unsubscribe_token(user_id=42, kind=EventKind.COMMENT)) == (42, "comment")
    assert unsubscribe_token_read(unsubscribe_token(user_id=42, kind=ALL)) == (42, "all")


def test_an_altered_or_foreign_token_is_refused():
    token = unsubscribe_token(user_id=42, kind=EventKind.COMMENT)
    other_user = unsubscribe_token(user_id=43, kind=EventKind.COMMENT).split(":", 1)[0]

    for forged in (
        f"{other_user}:{token.split(':', 1)[1]}",  # someone else's id with this signature
        token[:-2],
        Signer(salt="some.other.purpose").sign_object([42, "comment"]),  # signed by this site, for something else
        Signer(salt=SALT).sign_object([42, "everything"]),  # a kind that does not exist
    ):
        with pytest.raises(InvalidToken):
            unsubscribe_token_read(forged)


def test_there_is_no_token_for_an_unknown_kind():
    with pytest.raises(ValueError):
        unsubscribe_token(user_id=1, kind="newsletter")


def test_the_link_is_absolute():
    user = UserFactory()
    assert unsubscribe_url(user_id=user.pk, kind=ALL) == BASE_URL + _path(user, ALL)


# --- The page -------------------------------------------------------------------------------------


def test_opening_the_link_asks_first_and_changes_nothing():
    user = UserFactory()

    response = _csrf_checking_client().get(_path(user, EventKind.COMMENT))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop e-mail about “New comments in discussions I follow”?" in html
    assert re.search(r'<form [^>]*method="post" action="' + re.escape(_path(user, EventKind.COMMENT)) + '"', html)
    assert "csrfmiddlewaretoken" not in html
    assert "no-store" in response["Cache-Control"]  # never in the anonymous page cache
    assert not EmailPreference.objects.filter(user=user).exists()


def test_the_button_unsubscribes_from_that_kind_only_without_logging_in():
    user = UserFactory()

    response = _csrf_checking_client().post(_path(user, EventKind.COMMENT), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    frequencies = email_frequencies(user)
    assert frequencies[EventKind.COMMENT] == EmailFrequency.NEVER
    assert frequencies[EventKind.REPLY] == EmailFrequency.IMMEDIATELY  # untouched


def test_a_mail_clients_one_click_post_unsubscribes_from_everything():
    user = UserFactory()
    client = _csrf_checking_client()

    # RFC 8058: a POST with this body and no cookies; done twice, as clients may.
    for _attempt in range(2):
        response = client.post(
            _path(user, ALL), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200

    assert set(email_frequencies(user).values()) == {EmailFrequency.NEVER}
    assert EmailPreference.objects.filter(user=user).count() == len(EventKind.values)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_link_says_so(method):
    user = UserFactory()
    path = _path(user, ALL)[:-6] + "xxxxx/"

    response = getattr(_csrf_checking_client(), method)(path)

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not EmailPreference.objects.filter(user=user).exists()


def test_the_link_of_a_deleted_or_deactivated_account_does_nothing():
    user = UserFactory(is_active=False)

    response = _csrf_checking_client().post(_path(user, ALL))

    assert response.status_code == 400
    assert not EmailPreference.objects.filter(user=user).exists()


def test_the_page_speaks_the_recipients_language():
    user = UserFactory(preferred_language="en")
    client = Client()
    client.cookies["django_language"] = "nb"

    html = client.get(_path(user, ALL)).content.decode()

    assert '<html lang="en"' in html


def test_only_the_unsubscribe_view_does_without_a_csrf_token():
    user = UserFactory()
    client = _csrf_checking_client()
    client.force_login(user)

    response = client.post(reverse("notifications:email_settings"), dict.fromkeys(EventKind.values, "never"))

    assert response.status_code == 403


def test_the_link_in_an_email_works_logged_out(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_one(scene, EventKind.REPLY, scene.alice)
    [message] = mail.outbox
    link = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert link.startswith(BASE_URL)

    response = _csrf_checking_client().post(link.removeprefix(BASE_URL), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert email_frequencies(scene.alice)[EventKind.REPLY] == EmailFrequency.NEVER
    with translation.override("en"):
        assert str(EventKind.REPLY.label) in response.content.decode()
