import pytest
from django.urls import reverse

from accounts.admin.forms import UserCreationForm, UserEditForm
from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def test_wagtails_user_admin_adds_and_edits_users_by_display_name_without_first_and_last_name(admin_client):
    member = UserFactory(email="member@example.org", display_name="Member")

    add_page = admin_client.get(reverse("wagtailusers_users:add"))
    assert add_page.status_code == 200
    assert 'name="display_name"' in add_page.content.decode()
    assert 'name="first_name"' not in add_page.content.decode()

    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new@example.org",
            "display_name": "New person",
            "preferred_language": "nn",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="new@example.org")
    assert (created.display_name, created.preferred_language, created.first_name) == ("New person", "nn", "")

    edit_url = reverse("wagtailusers_users:edit", args=[member.pk])
    assert 'value="Member"' in admin_client.get(edit_url).content.decode()
    response = admin_client.post(
        edit_url,
        {"email": "member@example.org", "display_name": "Renamed", "preferred_language": "", "is_active": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Renamed"
    assert admin_client.get(reverse("wagtailusers_users:index")).status_code == 200


def test_the_admin_forms_require_a_display_name_and_no_first_or_last_name():
    form = UserCreationForm(data={"email": "a@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert set(form.errors) == {"display_name"}
    assert "first_name" not in UserEditForm.base_fields
    assert "last_name" not in UserEditForm.base_fields
