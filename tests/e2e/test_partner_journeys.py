"""Browser journeys on the public partner pages, with axe on every page passed.

(a) A logged-in person registers a new organisation, accepts the hub's terms and applies; the
application shows as "Applied" under "My organisations". (b) Anyone browses a hub's directory of
approved partners: filters by kind and by goal, searches, pages, and opens a partner's page.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from wagtail.models import Page, Site

from cms.management.commands.seed_demo import HOME_SLUG
from cms.models import HomePage
from goals.models import Goal
from partners.models import Partner, PartnerKind, Partnership, PartnershipStatus
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.e2e.harness import assert_accessible
from tests.partners.factories import (
    hub_create,
    partner_create,
    partner_index_create,
    partner_terms_create,
    partnership_create,
    valid_organisation_number,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def nb(message: str) -> str:
    with translation.override("nb"):
        return gettext(message)


def _label(choice) -> str:
    """A choice's label as the browser (locale nb-NO, a Bokmål hub) sees it."""
    with translation.override("nb"):
        return str(choice.label)


def _expect_count(page, number: int) -> None:
    # Retried until the new page has loaded: the element is missing while it navigates.
    expect(page.locator("#partner-count")).to_have_text(re.compile(rf"^\s*{number}\s"))


def _home() -> HomePage:
    """The default Site's root page, with the slug seed_demo gives it.

    The server process caches the sites' root paths (Wagtail, an hour, in its own memory unless
    Redis is configured), and the test process cannot clear that cache. Every browser test that
    makes a site root therefore uses the same slug, so that whatever the server cached still holds.
    """
    home = HomePage(title="Dugnad", slug=HOME_SLUG)
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def hub(live_asgi_server):
    hub = hub_create(home=_home(), title="Ålesund framtidslab")
    partner_terms_create(hub, text="<p>Vi deler det vi lærer med de andre partnerne.</p>")
    return hub


@pytest.fixture
def index(hub):
    return partner_index_create(hub)


def test_a_person_registers_an_organisation_and_applies(page, live_asgi_server, hub, index):
    person = UserFactory(verified=True, display_name="Kari Nordmann")
    apply_path = f"{index.url}apply/"
    number = valid_organisation_number(777)

    page.goto(index.url)
    assert_accessible(page)
    page.locator(f"a[href='{apply_path}']").first.click()

    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert_accessible(page)
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()

    page.wait_for_url(f"{live_asgi_server.url}{apply_path}")
    expect(page.get_by_text("Vi deler det vi lærer med de andre partnerne.")).to_be_visible()
    assert_accessible(page)

    # Submitting without the terms is refused with an explanation, and nothing is saved.
    page.fill("input[name=name]", "Havkraft AS")
    page.select_option("select[name=kind]", PartnerKind.BUSINESS)
    page.fill("input[name=organisation_number]", f"{number[:3]} {number[3:6]} {number[6:]}")
    page.fill("input[name=municipality]", "Giske")
    # The description is Markdown; Preview (a plain form post) shows it rendered and saves nothing.
    page.fill("textarea[name=description]", "Vi lager **strøm** av bølger.")
    page.get_by_role("button", name=nb("Preview")).click()
    preview = page.locator("#id_description_preview")
    expect(preview.locator("strong")).to_have_text("strøm")
    expect(page.locator("textarea[name=description]")).to_have_value("Vi lager **strøm** av bølger.")
    expect(page.locator(".ds-error-summary")).to_have_count(0)
    assert not Partner.objects.exists()
    assert_accessible(page)
    page.check(f"input[name=goals][value='{Goal.objects.get(number=7).pk}']")
    page.check(f"input[name=goals][value='{Goal.objects.get(number=14).pk}']")
    page.fill("input[name=focus_themes]", "bølgekraft, hav")
    page.locator("#apply-new button[type=submit][data-variant=primary]").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    expect(page.locator("#id_accept_terms")).to_have_attribute("aria-invalid", "true")
    assert not Partner.objects.exists()
    assert_accessible(page)

    # The form kept what was typed (except the file); accept the terms and apply.
    expect(page.locator("input[name=name]")).to_have_value("Havkraft AS")
    page.check("#id_accept_terms")
    page.locator("#apply-new button[type=submit][data-variant=primary]").click()

    page.wait_for_url(re.compile(r"/partners/mine/havkraft-as/$"))
    expect(page.locator("h1")).to_have_text("Havkraft AS")
    # Back in the edit box, the description is the Markdown that was written, not HTML.
    expect(page.locator("textarea[name=description]")).to_have_value("Vi lager **strøm** av bølger.")
    assert_accessible(page)
    partnership = Partnership.objects.get(partner__name="Havkraft AS", hub=hub)
    assert partnership.status == PartnershipStatus.APPLIED and partnership.terms_id is not None

    page.goto("/partners/mine/")
    card = page.locator(".partner-mine__item", has_text="Havkraft AS")
    expect(card.locator(".partnership-status")).to_have_text(_label(PartnershipStatus.APPLIED))
    expect(card.get_by_text("Ålesund framtidslab")).to_be_visible()
    assert_accessible(page)


def _directory(hub):
    goals = {goal.number: goal for goal in Goal.objects.all()}
    kinds = [PartnerKind.BUSINESS, PartnerKind.PUBLIC_SECTOR, PartnerKind.RESEARCH_EDUCATION]
    for number in range(30):
        partner = partner_create(
            name=f"Partner {number:02d}",
            kind=kinds[number % 3],
            municipality="Ålesund",
            description=f"<p>Organisasjon nummer {number}.</p>",
            website=f"https://partner{number}.example",
            goals=[goals[1 + number % 17]],
        )
        partnership_create(partner=partner, hub=hub)
    special = partner_create(
        name="Tareskogen forskningssenter",
        kind=PartnerKind.RESEARCH_EDUCATION,
        municipality="Giske",
        description="<p>Vi forsker på <strong>tare</strong> og livet i havet.</p>",
        public_email="post@tareskogen.example",
        goals=[goals[14]],
    )
    special.focus_themes.set(["blå skog"])
    partnership_create(partner=special, hub=hub)
    partnership_create(partner=partner_create(name="Venter AS"), hub=hub, status=PartnershipStatus.APPLIED)


def test_anyone_browses_filters_searches_and_pages_the_directory(page, live_asgi_server, hub, index):
    _directory(hub)

    page.goto(index.url)
    expect(page.locator(".partner-card")).to_have_count(24)
    _expect_count(page, 31)
    expect(page.get_by_text("Venter AS")).to_have_count(0)
    assert_accessible(page)

    # Kind: research and education (10 numbered partners and the research centre).
    page.select_option("#id_kind", PartnerKind.RESEARCH_EDUCATION)
    page.locator("#id_q").press("Enter")  # keyboard: Enter in the form submits it
    _expect_count(page, 11)
    expect(page.locator(".partner-card")).to_have_count(11)
    expect(page).to_have_url(re.compile(r"[?&]kind=research_education(&|$)"))
    assert_accessible(page)

    # And goal 14: partner 13 also works on it, but is a business; only the research centre is left.
    page.select_option("#id_goal", str(14))
    page.locator(".partner-filters button[type=submit]").press("Enter")  # keyboard on the button
    _expect_count(page, 1)
    expect(page.locator(".partner-card").first.get_by_text("Tareskogen forskningssenter")).to_be_visible()
    assert_accessible(page)

    # A free-text search on a focus theme, with the other filters cleared.
    page.locator(".partner-filters__actions a").click()  # clear the filters
    _expect_count(page, 31)
    page.fill("#id_q", "blå skog")
    page.locator("#id_q").press("Enter")
    _expect_count(page, 1)
    assert_accessible(page)

    # Nothing matches: the empty state says so.
    page.fill("#id_q", "finnes ikke")
    page.locator("#id_q").press("Enter")
    _expect_count(page, 0)
    expect(page.locator(".partner-empty")).to_be_visible()
    assert_accessible(page)

    # Page 2 of everything.
    page.goto(index.url)
    page.locator(".ds-pagination a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator(".partner-card")).to_have_count(7)
    expect(page.locator(".ds-pagination [aria-current=page]")).to_have_text(re.compile(r"2\s*$"))
    assert_accessible(page)

    # A partner's page.
    page.get_by_role("link", name="Tareskogen forskningssenter").click()
    slug = Partner.objects.get(name="Tareskogen forskningssenter").slug
    page.wait_for_url(f"{live_asgi_server.url}{index.url}{slug}/")
    expect(page.locator("h1")).to_have_text("Tareskogen forskningssenter")
    expect(page.locator("strong", has_text="tare")).to_be_visible()
    expect(page.get_by_role("link", name="post@tareskogen.example")).to_be_visible()
    expect(page.locator(".goal-badge")).to_have_count(1)
    assert_accessible(page)

    # Both pages fit a 320 px wide screen without sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (page.url, f"{live_asgi_server.url}{index.url}?kind=business"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
