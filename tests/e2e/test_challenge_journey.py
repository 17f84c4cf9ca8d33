"""A municipality's need meets the market, in Bokmål: the municipality's person describes the need
in the editor, adds a document and sends it for approval; the coordinator adds the evaluators and
publishes it; then a question answered in public, two confidential solutions (supplier A cannot
open B's), two evaluators scoring (one excluded from one solution by a conflict of interest), the
award and the project it becomes.
Every page passes axe at 1280 and 375 px without sideways scrolling.

Elements are found by role, id and data attributes, not English text: the interface is Bokmål and
the catalogue is compiled separately. One journey on purpose (the database restore is the cost)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from challenges.models import Challenge, Phase, Publication, SlotSeries
from events.models import OSLO
from goals.models import Goal
from tests.accounts.factories import UserFactory
from tests.challenges.dialogue_factories import meetings_over
from tests.challenges.factories import scene_create
from tests.e2e.harness import assert_accessible
from tests.partners.factories import member_add

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE = 1280, 375


def _check_at_both_widths(page) -> None:
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (page.url, width, overflow)
    page.set_viewport_size({"width": WIDE, "height": 800})


def _as(context, user, url) -> None:
    context.clear_cookies()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "nb", "url": url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": url,
            }
        )
    context.add_cookies(cookies)


def _submit(page, challenge, *, partner=None, number="", name="", text):
    page.goto(f"{challenge.url}submit/")
    form = page.locator("[data-testid=submission-form]")
    if partner is not None:
        form.locator("#id_partner").select_option(str(partner.pk))
    else:
        if form.locator("#id_partner").count():
            form.locator("#id_partner").select_option("")
        form.locator("#id_organisation_number").fill(number)
        form.locator("#id_organisation_name").fill(name)
    form.locator("#id_description").fill(text)
    for field in form.locator("textarea[id^=id_requirement_]").all():
        field.fill("Ja, slik.")
    form.locator("input[name=maturity][value=pilot]").check()
    form.locator("#id_price_indication").fill("100 000 kr")
    _check_at_both_widths(page)
    form.locator("[data-testid=submission-save]").click()
    page.wait_for_url(re.compile(r"/submissions/\d+/$"))
    expect(page.locator("[data-testid=submission-content]")).to_contain_text(text)
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


def _evaluate(page, challenge, submission_id, *, conflict: bool, score: str = ""):
    page.goto(f"{challenge.url}submissions/{submission_id}/")
    form = page.locator("[data-testid=declaration-form]")
    form.locator(f"input[name=conflict][value={'yes' if conflict else 'no'}]").check()
    _check_at_both_widths(page)
    form.locator("button[type=submit]").click()
    if conflict:  # excluded: back on the list, and the solution is closed to them
        page.wait_for_url(re.compile(r"/submissions/$"))
        assert page.request.get(f"{challenge.url}submissions/{submission_id}/").status == 404
        return
    expect(page.locator("[data-testid=declaration]")).to_have_attribute("data-conflict", "false")
    scores = page.locator("[data-testid=score-form]")
    for field in scores.locator("input[name^=score_]").all():
        field.fill(score)
    for field in scores.locator("textarea[name^=why_]").all():
        field.fill("Begrunnet.")
    scores.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=score-form] input[name^=score_]").first).to_have_value(score)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _describe_and_publish(page, context, scene, url) -> Challenge:
    """The editor: the municipality's person drafts, adds a document, sends it; a coordinator adds
    the evaluators and publishes."""
    drafter = member_add(scene.municipality).user
    _as(context, drafter, url)
    page.goto(f"{scene.hub.url}challenges/")
    page.locator("[data-testid=new-challenge]").click()
    form = page.locator("[data-testid=challenge-form]")
    form.locator("#id_title").fill("Trygg skolevei om vinteren")
    form.locator("#id_summary").fill("Barn skal gå trygt til skolen i mørket.")
    form.locator("#id_need").fill("Mange barn går i **mørke** kryss.")
    form.locator("#id_owner_unit").fill("Oppvekst")
    form.locator("#id_owner_partner").select_option(str(scene.municipality.pk))
    form.locator("#id_primary_goal").select_option(str(Goal.objects.get(number=11).pk))
    deadline = timezone.localtime() + timedelta(days=14)
    form.locator("#id_submission_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_requirements").fill("Virker i mørket\nKan brukes av barn")
    form.locator("#id_criteria").fill("Kvalitet: 60\nPris: 40")
    _check_at_both_widths(page)
    page.locator("[data-testid=challenge-save]").click()
    challenge = Challenge.objects.get(title="Trygg skolevei om vinteren")
    page.wait_for_url(f"**{challenge.url}")
    page.goto(f"{challenge.url}documents/")
    upload = page.locator("[data-testid=document-form]")
    upload.locator("#id_title").fill("Behovsbeskrivelse")
    upload.locator("#id_file").set_input_files({"name": "behov.pdf", "mimeType": "application/pdf", "buffer": PDF})
    upload.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=documents] li")).to_have_count(1)
    _check_at_both_widths(page)
    page.goto(f"{challenge.url}approval/")
    page.locator("[data-testid=submit-for-approval]").click()
    expect(page.locator("[data-testid=publication]")).to_have_attribute("data-publication", "submitted")
    _check_at_both_widths(page)

    _as(context, scene.coordinator, url)
    page.goto(f"{challenge.url}edit/")
    page.locator("#id_evaluators").fill(f"{scene.lead_evaluator.email}\n{scene.evaluator.email}")
    page.locator("[data-testid=challenge-save]").click()
    page.wait_for_url(f"**{challenge.url}")
    page.locator("[data-testid=approval-link]").click()
    page.locator("[data-testid=approve-publish]").click()
    page.wait_for_url(f"**{challenge.url}")
    expect(page.locator("[data-testid=challenge-documents]")).to_contain_text("Behovsbeskrivelse")
    challenge.refresh_from_db()
    assert challenge.publication == Publication.PUBLISHED and challenge.evaluators.count() == 2
    # The market dialogue opens (the phase form itself is used below, for the competition).
    Challenge.objects.filter(pk=challenge.pk).update(phase=Phase.DIALOGUE)
    challenge.refresh_from_db()
    return challenge


def _dialogue_meetings(page, context, scene, challenge, url) -> None:
    """The market dialogue's meetings: the coordinator announces a dialogue meeting (an event of the
    hub) and three one-to-one meetings of equal length; supplier B books one with its organisation
    number (A sees only that one is taken); after the meetings the summary is published."""
    start = timezone.localtime(timezone.now() + timedelta(days=3), OSLO).replace(second=0, microsecond=0)
    _as(context, scene.coordinator, url)
    page.goto(challenge.url)
    page.locator("[data-testid=meeting-new]").click()
    form = page.locator("[data-testid=meeting-form]")
    form.locator("#id_title").fill("Dialogkonferanse")
    form.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_ends_at").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_address").fill("Rådhuset")
    _check_at_both_widths(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=dialogue-meetings] [data-testid=meeting-link]")).to_have_count(1)
    page.locator("[data-testid=series-new]").click()
    form = page.locator("[data-testid=series-form]")
    form.locator("#id_title").fill("En-til-en-møter")
    form.locator("#id_starts_at").fill((start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_slot_minutes").fill("30")
    form.locator("#id_slot_count").fill("3")
    form.locator("#id_place").fill("Rådhuset, rom 2")
    _check_at_both_widths(page)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dialogue/slots/\d+/$"))
    series_url = page.url

    _as(context, scene.b_member, url)
    page.goto(series_url)
    booking = page.locator("[data-testid=booking-form]")
    booking.locator("input[name=slot]").nth(1).check()
    booking.locator("#id_organisation_number").fill(scene.b_number)
    booking.locator("#id_organisation_name").fill("Leverandør B AS")
    booking.locator("[data-testid=booking-save]").click()
    expect(page.locator("[data-testid=own-booking]")).to_contain_text("Leverandør B AS")
    _check_at_both_widths(page)
    _as(context, scene.a_member, url)
    page.goto(series_url)
    expect(page.locator("[data-testid=slot-counts]")).to_have_attribute("data-taken", "1")
    expect(page.locator("body")).not_to_contain_text("Leverandør B AS")

    # The meetings are held; the coordinator publishes the summary on the challenge page.
    meetings_over(SlotSeries.objects.get(challenge=challenge))
    _as(context, scene.coordinator, url)
    page.goto(series_url)
    page.locator("[data-testid=summary-link]").click()
    page.locator("#id_summary").fill("Tre møter. **Lys** og synlighet var tema.")
    _check_at_both_widths(page)
    page.locator("[data-testid=summary-save]").click()
    expect(page.locator("[data-testid=dialogue-summary] strong")).to_have_text("Lys")


def test_a_need_goes_from_dialogue_to_an_awarded_project(page, context, live_asgi_server):
    scene = scene_create(phase=Phase.DIALOGUE)
    conflicted = scene.evaluator
    url = live_asgi_server.url
    challenge = _describe_and_publish(page, context, scene, url)

    # Anyone reads the need; the timeline marks the current phase.
    _as(context, None, url)
    page.goto(f"{scene.hub.url}challenges/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    page.locator(f'[data-testid=challenge-list] a[href="{challenge.url}"]').click()
    expect(page.locator('[data-testid=timeline] [aria-current="step"]')).to_have_attribute("data-phase", "dialogue")
    _check_at_both_widths(page)

    # Supplier B asks, anonymously; nobody else sees the question until it is answered.
    _as(context, scene.b_member, url)
    page.goto(challenge.url)
    form = page.locator("[data-testid=question-form]")
    form.locator("#id_text").fill("Hvor mange kryss gjelder det?")
    form.locator("#id_anonymous").check()
    form.locator("button[type=submit]").click()
    expect(page.locator('[data-testid=questions] [data-published="false"]')).to_contain_text("Hvor mange kryss")
    _check_at_both_widths(page)
    _as(context, scene.a_member, url)
    page.goto(challenge.url)
    expect(page.locator("[data-testid=questions] [data-question]")).to_have_count(0)

    # The coordinator answers and publishes, then opens the competition.
    _as(context, scene.coordinator, url)
    page.goto(challenge.url)
    page.locator("[data-testid=answer-link]").click()
    page.locator("#id_answer").fill("Tolv kryss ved fire skoler.")
    _check_at_both_widths(page)
    page.locator("[data-testid=answer-form] button[type=submit]").click()
    expect(page.locator('[data-testid=questions] [data-published="true"]')).to_contain_text("Tolv kryss")

    # Dialogue meetings and one-to-one meetings, with the summary afterwards.
    _dialogue_meetings(page, context, scene, challenge, url)

    page.locator("[data-testid=manage-link]").click()
    page.locator("[data-testid=phase-form] select").select_option("competition")
    _check_at_both_widths(page)
    page.locator("[data-testid=phase-form] button[type=submit]").click()
    expect(page.locator('[data-testid=timeline] [aria-current="step"]')).to_have_attribute("data-phase", "competition")

    # Two confidential solutions; A cannot open B's.
    _as(context, scene.a_member, url)
    a_id = _submit(page, challenge, partner=scene.supplier_a, text="Sensorer i kryssene.")
    _check_at_both_widths(page)
    _as(context, scene.b_member, url)
    b_id = _submit(page, challenge, number=scene.b_number, name="Leverandør B AS", text="Lys i refleksvestene.")
    _as(context, scene.a_member, url)
    assert page.request.get(f"{challenge.url}submissions/{b_id}/").status == 404
    page.goto(challenge.url)
    expect(page.locator("body")).not_to_contain_text("Lys i refleksvestene.")

    # The deadline passes: one evaluator has a conflict with A, both score.
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1), phase=Phase.EVALUATION
    )
    _as(context, conflicted, url)
    _evaluate(page, challenge, a_id, conflict=True)
    _evaluate(page, challenge, b_id, conflict=False, score="9")
    _as(context, scene.lead_evaluator, url)
    _evaluate(page, challenge, a_id, conflict=False, score="8")
    _evaluate(page, challenge, b_id, conflict=False, score="5")

    # The ranking leaves the conflicted evaluator out of A's total; the award is decided and logged.
    page.goto(f"{challenge.url}submissions/")
    ranking = page.locator("[data-testid=ranking] tbody tr")
    expect(ranking.first).to_have_attribute("data-submission", str(a_id))
    expect(ranking.first.locator("[data-total]")).to_have_text("8,00")
    expect(ranking.nth(1).locator("[data-total]")).to_have_text("7,00")
    _check_at_both_widths(page)
    award = page.locator("[data-testid=award-form]")
    award.locator(f"input[name=submission][value='{a_id}']").check()
    award.locator("#id_reasons").fill("Høyest samlet poeng.")
    award.locator("#id_summary").fill("Sensorer i tolv kryss.")
    award.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=award]")).to_contain_text("Leverandør A AS")
    _check_at_both_widths(page)

    # The award becomes a project (a proposal in the hub's review); once published it is linked.
    challenge.refresh_from_db()
    project = challenge.project
    assert project is not None and project.lead_partner == scene.supplier_a
    project.save_revision().publish()
    _as(context, UserFactory(verified=True), url)
    page.goto(challenge.url)
    expect(page.locator("[data-testid=award]")).to_contain_text("Sensorer i tolv kryss.")
    page.locator("[data-testid=project-link]").click()
    expect(page.locator("h1")).to_contain_text(challenge.title)
