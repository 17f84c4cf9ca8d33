"""A person downloads a copy of their data and deletes their account, in each language; axe on every page."""

import json
import re
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.e2e.harness import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DOWNLOAD_LINK = {"nb": "Last ned dataene mine", "nn": "Last ned dataa mine", "en": "Download my data"}
ASK = {"nb": "Be om en kopi av dataene mine", "nn": "Be om ein kopi av dataa mine", "en": "Ask for a copy of my data"}
DELETE = {"nb": "Slett kontoen min", "nn": "Slett kontoen min", "en": "Delete my account"}
CLOSED = {"nb": "Kontoen din er stengt", "nn": "Kontoen din er stengd", "en": "Your account is closed"}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_download_my_data_then_delete_my_account(page, context, live_asgi_server, language, tmp_path):
    call_command("seed_demo", "--password", "demo-password-123", verbosity=0)
    user = UserFactory(email=f"eier-{language}@example.org", display_name="Eira Eier", verified=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_asgi_server.url}])

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_asgi_server.url}/")

    page.goto("/accounts/profile/")
    page.get_by_role("link", name=DOWNLOAD_LINK[language]).click()
    page.wait_for_url(re.compile(r"/accounts/data/$"))
    assert_accessible(page)
    page.get_by_role("button", name=ASK[language]).click()
    download_link = page.locator("a[href*='/accounts/data/download/']")
    download_link.wait_for()
    assert_accessible(page)
    with page.expect_download() as download_info:
        download_link.click()
    path = tmp_path / "data.zip"
    download_info.value.save_as(path)
    data = json.loads(zipfile.ZipFile(path).read("personal-data.json"))
    assert data["accounts"]["account"]["email"] == user.email

    page.get_by_role("link", name=DELETE[language]).first.click()
    page.wait_for_url(re.compile(r"/accounts/close/$"))
    assert_accessible(page)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("input[name=remove_comment_text]").check()
    page.get_by_role("button", name=DELETE[language]).click()
    page.wait_for_url(f"{live_asgi_server.url}/")
    expect(page.locator("#main")).to_contain_text(CLOSED[language])
    assert_accessible(page)
    closed = User.objects.get(pk=user.pk)
    assert (closed.is_active, closed.erase_comment_text) == (False, True)
