"""Everyone takes part: a pupil answers a youth consultation with an access code on a phone; the
coordinator approves the free text, the consultation closes, the coordinator publishes the summary,
and the public results page shows the counts, the chart with its table and the age-band breakdown.
Every page passes axe (the public ones at 1280 and 375 px, without sideways scrolling; the pupil's
form also at 320 px).

One journey on purpose: the browser tests share one server and each test's database restore is the
expensive part."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from consultations.models import Answer, Consultation, Moderation, QuestionKind
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.consultations.factories import code_create, consultation_create, question_create
from tests.e2e.harness import assert_accessible
from tests.partners.factories import coordinator_create, hub_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE, NARROW = 1280, 375, 320


def _no_sideways_scroll(page, width) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, (width, overflow)


def _check(page, widths=(WIDE, PHONE), back_to=WIDE) -> None:
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        _no_sideways_scroll(page, width)
    page.set_viewport_size({"width": back_to, "height": 800})


def test_a_pupil_answers_with_a_code_and_the_hub_publishes_what_it_heard(page, context, live_asgi_server):
    hub = hub_create(title="Fjordvik", default_language="en")
    coordinator = coordinator_create(hub, email="koordinator@example.org")
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "en"
    profile.save()
    consultation = consultation_create(hub, title="What do young people need downtown?", plain_language=True)
    question_create(consultation, QuestionKind.SINGLE, "Do you have a place to be after school?", options=("Yes", "No"))
    question_create(consultation, QuestionKind.RATING, "How fun is downtown?", low_label="Boring", high_label="Great")
    question_create(consultation, QuestionKind.MULTIPLE, "What would you use?", options=("Skate park", "Library"))
    question_create(consultation, QuestionKind.RANKING, "What matters most?", options=("Green", "Active", "Quiet"))
    question_create(consultation, QuestionKind.TEXT, "What do you wish for?")
    code = code_create(consultation, label="7B Fjordvik ungdomsskole", code="KFJ7B2XQ")

    # The pupil, on a phone: the code page, then the form in plain language.
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(f"{hub.url}consultations/code/")
    expect(page.get_by_text("We do not ask for your name")).to_be_visible()
    _check(page, (WIDE, PHONE, NARROW), back_to=PHONE)
    page.get_by_label("Your code").fill("kfj7b 2xq")
    page.get_by_label("13–15").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What do young people need downtown?")
    expect(page.locator(".consultation--plain")).to_be_visible()
    _check(page, (WIDE, PHONE, NARROW), back_to=PHONE)
    page.get_by_role("group", name=re.compile("Do you have a place")).get_by_label("Yes").check()
    page.get_by_label("5 – Great").check()
    page.get_by_label("Skate park").check()
    for place, option in enumerate(("Active", "Green", "Quiet"), start=1):
        page.get_by_label(option).select_option(str(place))
    page.get_by_label("What do you wish for?").fill("A roof over the skate park")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you! We got your answers.")
    _check(page, (WIDE, PHONE, NARROW))
    response = code.responses.get()
    assert response.age_band == "13-15" and response.user is None

    # The coordinator approves the free text in the admin.
    page.goto("/accounts/login/?next=/admin/")
    page.fill("input[name=login]", coordinator.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/admin/consultations/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Codes, moderation and summary of")).click()
    expect(page.get_by_role("cell", name="A roof over the skate park", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Publish A roof")).click()
    expect(page.get_by_text("Nothing waits for moderation.")).to_be_visible()
    assert Answer.objects.get(text="A roof over the skate park").moderation == Moderation.APPROVED

    # The window passes; the coordinator writes and publishes the summary.
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page.get_by_label("What we heard, what we will do").fill("We heard you want **a roof**. We will build it.")
    page.get_by_role("button", name="Publish the summary").click()
    expect(page.get_by_text("Published on the results page.")).to_be_visible()
    assert_accessible(page)

    # Anyone can now read the results.
    context.clear_cookies()
    page.goto(f"{hub.url}consultations/{consultation.pk}/")
    expect(page.get_by_text("This consultation is closed.")).to_be_visible()
    _check(page)
    page.get_by_role("link", name="See the results").click()
    expect(page.locator("#summary-heading")).to_be_visible()
    expect(page.locator(".rich-text strong")).to_have_text("a roof")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Yes 1 100 %"))).to_be_visible()
    expect(page.get_by_text("A roof over the skate park")).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="By age").first).to_contain_text("13–15")
    _check(page)
    page.goto(f"{hub.url}consultations/")
    expect(page.get_by_role("link", name="What do young people need downtown?")).to_be_visible()
    _check(page)
