"""Every error a person can meet in a form is in their language, Django's, allauth's and Dugnad's alike.

Each form's error path is walked with the Django test client in Bokmål, Nynorsk and English (the
language cookie). The error texts shown (error summary, field messages, alerts) must be there, and in
Norwegian they must hold no English words; in Nynorsk no Bokmål-only words either (which would mean
a fallback to Bokmål), and in English they must be English.
"""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.accounts.images import upload
from tests.discussions.factories import commenter_create, thread_scene_create
from tests.partners.factories import hub_create, partner_index_create
from tests.projects.factories import scene_create

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "nn", "en"]
# Words no Norwegian error message has.
ENGLISH = re.compile(
    r"\b(the|this|that|your|you|is|are|must|please|enter|valid|field|required|password|characters?|"
    r"too|short|common|match|address|email|incorrect|specified|keep|under|picture|not)\b",
    re.IGNORECASE,
)
# Words that only Bokmål spells this way: in Nynorsk they are ikkje, kva, eg, viss, vere, frå, nokon, oppgje…
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hva|jeg|hvis|være|fra|noen|oppgi|hvordan|allerede|mulig|bare|navn|påkrevet|nåværende)\b", re.IGNORECASE
)
# Words no English error message has (a label or message left in Norwegian).
NORWEGIAN = re.compile(r"\b(navn|namn|feltet|påkrevet|påkravd|passord|ikke|ikkje|må|oppgi|oppgje)\b", re.IGNORECASE)
ERROR_CLASSES = {"ds-error-summary", "ds-validation-message", "errorlist", "ds-alert"}
PASSWORD = "a-long-and-unusual-passphrase"


class _ErrorText(HTMLParser):
    """The text inside error summaries, field messages and alerts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if self.depth or classes & ERROR_CLASSES:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.parts.append(data.strip())


def error_text(response) -> str:
    parser = _ErrorText()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def sign_up(client, **fields):
    data = {"email": "kari@example.org", "display_name": "Kari", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), {**data, **fields})


def signup_bad_address_and_short_password(client):
    return sign_up(client, email="kari-at-example", password1="kort1", password2="kort1")


def signup_common_password(client):
    return sign_up(client, password1="password123", password2="password123")


def signup_numeric_password(client):
    return sign_up(client, password1="8461927350", password2="8461927350")


def signup_mismatched_passwords(client):
    return sign_up(client, password2="another-long-passphrase")


def login_wrong_password(client):
    user = UserFactory(verified=True, email="kari@example.org")
    return client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-1234"})


def login_missing_fields(client):
    return client.post(reverse("account_login"), {"login": "", "password": ""})


def password_reset_bad_address(client):
    return client.post(reverse("account_reset_password"), {"email": "nobody-at-example"})


def password_change_wrong_old_password(client):
    client.force_login(UserFactory(verified=True))
    data = {"oldpassword": "not-my-password-1", "password1": "kort", "password2": "kort"}
    return client.post(reverse("account_change_password"), data)


def email_change_bad_address(client):
    user = UserFactory(verified=True, email="kari@example.org")
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    client.force_login(user)
    return client.post(reverse("account_email"), {"action_add": "", "email": "kari-at-example"})


def profile_bad_avatar(client):
    client.force_login(UserFactory(display_name="Kari"))
    avatar = upload(b"hello, I am text\n" * 20, name="cat.png")
    return client.post(reverse("profile"), {"display_name": "Kari", "preferred_language": "", "avatar": avatar})


def partner_application_missing_fields(client):
    index = partner_index_create(hub_create(title="Ålesund"))
    client.force_login(UserFactory(verified=True))
    return client.post(f"{index.url}apply/", {"action": "new"})


def project_proposal_missing_fields(client):
    scene = scene_create()
    client.force_login(scene.proposer)
    return client.post(f"{scene.index.url}propose/", {"title": ""})


def comment_too_long(client):
    scene = thread_scene_create()
    client.force_login(commenter_create())
    body = "x" * (settings.DISCUSSIONS_COMMENT_MAX_LENGTH + 1)
    return client.post(reverse("discussions:comment_create", args=[scene.thread.pk]), {"body": body})


ERROR_PATHS = [
    signup_bad_address_and_short_password,
    signup_common_password,
    signup_numeric_password,
    signup_mismatched_passwords,
    login_wrong_password,
    login_missing_fields,
    password_reset_bad_address,
    password_change_wrong_old_password,
    email_change_bad_address,
    profile_bad_avatar,
    partner_application_missing_fields,
    project_proposal_missing_fields,
    comment_too_long,
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("walk", ERROR_PATHS, ids=[walk.__name__ for walk in ERROR_PATHS])
def test_form_errors_are_in_the_persons_language(client, walk, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = walk(client)

    assert response.status_code == 200, response.status_code  # the form again, with its errors
    text = error_text(response)
    assert text, "no error was shown"
    if language == "en":
        assert ENGLISH.search(text), f"en: {text}"
        assert not NORWEGIAN.search(text), f"en: Norwegian in: {text}"
        return
    english = sorted({word.lower() for word in ENGLISH.findall(text)})
    assert not english, f"{language}: English {english} in: {text}"
    if language == "nn":
        bokmal = sorted({word.lower() for word in BOKMAL_ONLY.findall(text)})
        assert not bokmal, f"nn: Bokmål {bokmal} in: {text}"
