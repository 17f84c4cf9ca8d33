import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.roles import REGISTERED_USERS
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(client, email, display_name="Kari Nordmann"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "display_name": display_name, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_creates_a_registered_user_with_a_display_name_and_sends_a_verification_mail(client, mailoutbox):
    response = sign_up(client, "Kari@Example.org", display_name="  Kari Nordmann ")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="kari@example.org")
    assert user.display_name == "Kari Nordmann"
    assert list(user.groups.values_list("name", flat=True)) == [REGISTERED_USERS]
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["kari@example.org"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_sign_up_requires_a_display_name_of_at_most_80_characters(client):
    response = sign_up(client, "kari@example.org", display_name="x" * 81)

    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_login_is_refused_until_the_address_is_verified(client, mailoutbox):
    sign_up(client, "kari@example.org")
    client.logout()

    response = client.post(reverse("account_login"), {"login": "kari@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    EmailAddress.objects.filter(email="kari@example.org").update(verified=True)
    response = client.post(reverse("account_login"), {"login": "kari@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(User.objects.get(email="kari@example.org").pk)


def test_signing_up_with_an_address_in_use_answers_like_a_new_one_and_creates_nobody(client, mailoutbox):
    UserFactory(email="taken@example.org", verified=True)

    fresh = sign_up(client, "fresh@example.org")
    client.logout()
    taken = sign_up(client, "Taken@example.org")

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    # Only the owner of the address learns that it already has an account.
    assert [mail.to for mail in mailoutbox] == [["fresh@example.org"], ["taken@example.org"]]


def test_logging_in_switches_to_the_users_preferred_language(client):
    UserFactory(email="nynorsk@example.org", preferred_language="nn", verified=True)

    response = client.post(reverse("account_login"), {"login": "nynorsk@example.org", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nn"


def test_logging_in_without_a_preferred_language_leaves_the_language_alone(client):
    UserFactory(email="any@example.org", verified=True)

    response = client.post(reverse("account_login"), {"login": "any@example.org", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert "django_language" not in response.cookies
