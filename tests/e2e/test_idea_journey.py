"""Everyone takes part: a citizen posts an idea for a goal, two others support it, someone comments
in its discussion, and the coordinator takes it forward and turns it into a project proposal that
links back to the idea; the author is told. Every public page passes axe at 1280 and 375 px,
without sideways scrolling. One journey on purpose (each browser test's database restore is the
expensive part)."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Page, Site

from cms.models import HomePage
from ideas import services
from ideas.models import Idea, IdeaStatus
from notifications.models import EventKind, Notification
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.e2e.harness import assert_accessible
from tests.partners.factories import coordinator_create, hub_create, member_add
from tests.projects.factories import approved_partner_create, project_index_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE = 1280, 375


def _home() -> HomePage:
    home = HomePage(title="Dugnad", slug="dugnad-ideas")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


def _check(page) -> None:
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, overflow)
    page.set_viewport_size({"width": WIDE, "height": 800})


def _log_in(page, user, next_path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/accounts/login/?next={next_path}")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_a_citizens_idea_is_supported_discussed_and_becomes_a_project_proposal(page, live_asgi_server):
    hub = hub_create(home=_home(), title="Fjordvik", default_language="en")
    index = project_index_create(hub)
    partner = approved_partner_create(hub, name="Sykkellaget")
    author = UserFactory(verified=True, display_name="Ada Idé")
    supporters = [UserFactory(verified=True) for _n in range(2)]
    coordinator = coordinator_create(hub, display_name="Kari Koordinator")
    member_add(partner, user=coordinator)
    ideas_url = f"{hub.url}ideas/"

    page.set_viewport_size({"width": WIDE, "height": 800})
    _log_in(page, author, f"{ideas_url}new/")
    _check(page)
    page.get_by_label("Title").fill("Delesykler ved kaia")
    page.get_by_label("Your idea").fill("Sykler for **pendlerne** ved hurtigbåten.")
    page.get_by_label(re.compile(r"^11\. ")).check()
    page.get_by_role("button", name="Post the idea").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    idea = Idea.objects.get(title="Delesykler ved kaia")
    expect(page.get_by_role("heading", name="Delesykler ved kaia", level=1)).to_be_visible()
    expect(page.locator(".rich-text strong")).to_have_text("pendlerne")

    page.locator("textarea#id_body").fill("Gjerne med el-sykler også.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".comment", has_text="Gjerne med el-sykler også.").first).to_be_visible()
    _check(page)

    for supporter in supporters:
        services.idea_support(actor=supporter, idea=idea)

    idea_path = f"{ideas_url}{idea.pk}/"
    _log_in(page, coordinator, idea_path)
    expect(page.get_by_text("2 people support this idea.")).to_be_visible()
    page.locator("#id_status").select_option(IdeaStatus.TAKEN_FORWARD)
    page.locator("#id_answer").fill("Vi tar den videre med Sykkellaget.")
    page.get_by_role("button", name="Publish the answer").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/(#answer)?$"))
    expect(page.locator("#answer")).to_contain_text("Vi tar den videre med Sykkellaget.")
    _check(page)
    page.locator("#id_lead_partner").select_option(label="Sykkellaget")
    page.get_by_role("button", name="Make the project proposal").click()
    expect(page.locator(".idea-project")).to_contain_text("This idea became a project proposal")

    idea.refresh_from_db()
    project = idea.project
    assert project is not None and not project.live and idea.status == IdeaStatus.TAKEN_FORWARD
    assert f"/ideas/{idea.pk}/" in str(project.get_latest_revision_as_object().body[0].value)
    page.goto(f"{index.url}proposals/{project.pk}/")
    link = page.locator(".idea-origin a")
    expect(link).to_have_text("Delesykler ved kaia")
    _check(page)

    page.goto(ideas_url)
    expect(page.get_by_text("2 supporters")).to_be_visible()
    _check(page)
    assert Notification.objects.filter(recipient=author, kind=EventKind.IDEA, data__event="project").exists()
