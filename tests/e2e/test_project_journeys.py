"""Browser journeys for projects (issue 4), with axe on every public page passed.

(1) A member of an approved partner proposes a project from the hub's project list; a bad date is
refused and what was typed is kept. (2) A coordinator reviews the proposal in the Wagtail admin:
requests changes, the proposer reads the comment and edits, the coordinator approves and the page
is published. (3) A project partner posts a progress update with a new outcome value; the chart
and the table show it, to anonymous visitors too. (4) Anyone browses a hub's projects: goal,
status, free text, sorting, pages, and a project's own page.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from email.header import decode_header, make_header

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from wagtail.models import Page, Site, WorkflowPage, WorkflowState
from wagtail.users.models import UserProfile

from cms.management.commands.seed_demo import HOME_SLUG
from cms.models import HomePage
from goals.models import Goal, Target
from partners.models import PartnershipStatus
from projects import services
from projects.models import OutcomeMeasurement, ProjectPage, ProjectStatus
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.harness import TRANSITIONS_FINISHED, WCAG_TAGS, assert_accessible, message_text
from tests.partners.factories import (
    coordinator_create,
    hub_create,
    member_add,
    partner_create,
    partner_index_create,
    partnership_create,
)
from tests.projects.factories import (
    approved_partner_create,
    goal,
    outcome_create,
    project_create,
    project_index_create,
    target,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Resolves when every finite animation on the page has finished (Wagtail fades messages and dialogs in).


def nb(message: str) -> str:
    """A msgid as the browser (locale nb-NO, a Bokmål hub) reads it."""
    with translation.override("nb"):
        return gettext(message)


def nb_label(choice) -> str:
    with translation.override("nb"):
        return str(choice.label)


def nb_number(value: Decimal) -> str:
    with translation.override("nb"):
        return formats.localize(value)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def mails_to(server, user, *texts: str) -> list:
    """Mails to ``user`` whose plain text holds every one of ``texts``.

    (Not "exactly one mail": the notifications app may tell the proposer too, in its own words.)
    """
    return [
        message
        for message in server.messages()
        if message["To"] == user.email and all(text in message_text(message) for text in texts)
    ]


def _home() -> HomePage:
    """The default Site's root, with the slug every browser test uses (see test_partner_journeys._home)."""
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
    partner_index_create(hub)
    return hub


@pytest.fixture
def index(hub):
    return project_index_create(hub)


@pytest.fixture
def partners(hub):
    """Two approved partners of the hub and one that is not (it must not be offered)."""
    lead = approved_partner_create(hub, name="Havkraft AS")
    other = approved_partner_create(hub, name="Tareskogen forskningssenter")
    waiting = partner_create(name="Venter AS")
    partnership_create(partner=waiting, hub=hub, status=PartnershipStatus.APPLIED)
    return lead, other


@pytest.fixture
def proposer(partners):
    lead, _other = partners
    return member_add(lead, email="kari@example.org", display_name="Kari Nordmann").user


def log_in(page, user, next_path: str) -> None:
    page.goto(f"/accounts/login/?next={next_path}")
    assert_accessible(page)
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


# Wagtail's own markup that fails a WCAG rule, as (rule, CSS selector of the elements) pairs; only
# these nodes are forgiven, and only for that rule. Draftail (the rich-text editor of the page's
# description) gives its contenteditable role="textbox" no accessible name, and the workflow
# action dialog (wagtailadmin/shared/workflow_action_modal.html) puts <div> fields straight in a <ul>.
WAGTAIL_OWN_VIOLATIONS = [
    ("aria-input-field-name", ".Draftail-Editor .public-DraftEditor-content"),
    ("list", ".modal-dialog ul.fields"),
]

AXE_WITH_EXCEPTIONS = """async ([tags, exceptions]) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const forgiven = (rule, node) => exceptions.some(([id, selector]) => {
    const element = node.target.length === 1 ? document.querySelector(node.target[0]) : null;
    return id === rule && element !== null && element.matches(selector);
  });
  return result.violations
    .map((v) => ({rule: v.id, help: v.help, targets: v.nodes.filter((n) => !forgiven(v.id, n)).map((n) => n.target)}))
    .filter((v) => v.targets.length > 0);
}"""


def admin_check(page) -> None:
    """axe on a Wagtail admin page: every WCAG 2.1 A/AA rule, minus WAGTAIL_OWN_VIOLATIONS."""
    # Let Wagtail's fade-ins finish, or axe measures the contrast of a half-transparent banner.
    page.evaluate(TRANSITIONS_FINISHED)
    violations = page.evaluate(AXE_WITH_EXCEPTIONS, [WCAG_TAGS, WAGTAIL_OWN_VIOLATIONS])
    assert not violations, f"axe found accessibility violations on {page.url}: {violations}"


def review_decide(page, title: str, action: str, comment: str) -> None:
    """On the admin dashboard: a proposal's action menu, the action, a comment in Wagtail's dialog."""
    row = page.locator("#awaiting-review-section tr", has=page.get_by_role("link", name=title))
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name=action).click()
    dialog = page.locator(".modal-dialog").filter(has=page.locator("textarea[name=comment]"))
    dialog.locator("textarea[name=comment]").fill(comment)
    admin_check(page)  # the dialog, too
    # The dialog posts the decision, then reloads the dashboard (the same address: wait for the load).
    with page.expect_navigation(url=re.compile(r"/admin/$")):
        dialog.get_by_role("button", name=action).click()


def _target_box(page, code: str):
    return page.locator(f"input[name=targets][value='{target(code).pk}']")


def _open_targets_of(page, code: str) -> None:
    """Open the goal's <details> holding the target, with the keyboard (Enter on its summary)."""
    details = page.locator("details.project-targets__goal", has=_target_box(page, code))
    if details.get_attribute("open") is None:
        details.locator("summary").focus()
        page.keyboard.press("Enter")
    _target_box(page, code).wait_for(state="visible")


# --- 1. Proposing ---------------------------------------------------------------------------------


def test_a_partner_member_proposes_a_project(page, live_asgi_server, hub, index, partners, proposer):
    lead, other = partners
    propose_path = f"{index.url}propose/"

    # Anonymous visitors find "Propose a project" on the list; the page it leads to explains that
    # partners propose, how to become one, and to log in.
    page.goto(index.url)
    assert_accessible(page)
    # The target filter follows the goal filter at once (static/js/target-filter.js).
    targets = page.locator("form.project-filters select[name=target] option")
    expect(targets).to_have_count(Target.objects.count() + 1)
    page.select_option("form.project-filters select[name=goal]", "7")
    expect(targets).to_have_count(Target.objects.filter(goal__number=7).count() + 1)
    assert all(code.startswith("7.") for code in targets.evaluate_all("os => os.slice(1).map(o => o.value)"))
    page.select_option("form.project-filters select[name=target]", "7.2")
    page.select_option("form.project-filters select[name=goal]", "")
    expect(targets).to_have_count(Target.objects.count() + 1)
    expect(page.locator("form.project-filters select[name=target]")).to_have_value("7.2")
    page.get_by_role("link", name=nb("Propose a project")).first.click()
    page.wait_for_url(f"{live_asgi_server.url}{propose_path}")
    expect(page.get_by_role("link", name=nb("Apply for partnership for your organisation"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=nb("Log in, or create an account")).click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert_accessible(page)
    page.fill("input[name=login]", proposer.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_asgi_server.url}{propose_path}")
    expect(page.locator("h1")).to_have_text(nb("Propose a project"))
    assert_accessible(page)

    # Only the partners approved in this hub are offered; the proposer leads for their own one.
    lead_options = page.locator("#id_lead_partner option")
    expect(lead_options.filter(has_text="Havkraft AS")).to_have_count(1)
    expect(lead_options.filter(has_text="Tareskogen forskningssenter")).to_have_count(0)
    expect(page.locator("#id_partners").get_by_text("Venter AS")).to_have_count(0)

    page.fill("#id_title", "Grønn havn")
    page.fill("#id_summary", "Landstrøm for skip som ligger til kai i Ålesund.")
    page.fill("#id_body_text", "Første avsnitt om havna.\n\nAndre avsnitt om skipene.")
    page.select_option("#id_status", ProjectStatus.PLANNED)
    page.fill("#id_start_date", "2026-09-01")
    page.fill("#id_end_date", "2026-03-01")  # before the start: refused
    page.select_option("#id_primary_goal", str(goal(14).pk))
    page.check(f"input[name=goals][value='{goal(7).pk}']")
    _open_targets_of(page, "14.1")
    _target_box(page, "14.1").check()
    _open_targets_of(page, "7.2")
    _target_box(page, "7.2").focus()
    page.keyboard.press("Space")  # keyboard: Space ticks a checkbox
    expect(_target_box(page, "7.2")).to_be_checked()
    page.select_option("#id_lead_partner", str(lead.pk))
    page.check(f"input[name=partners][value='{other.pk}']")
    page.fill("#id_contact_email", "kari@example.org")
    page.locator(".project-form button[type=submit][data-variant=primary]").click()

    summary = page.locator(".ds-error-summary")
    expect(summary.get_by_text(nb("The end date is before the start date."))).to_be_visible()
    expect(page.locator("#id_end_date")).to_have_attribute("aria-invalid", "true")
    assert not ProjectPage.objects.exists()
    assert_accessible(page)

    # What was typed is kept, ticked targets included (their goals' sections open again).
    expect(page.locator("#id_title")).to_have_value("Grønn havn")
    expect(page.locator("#id_body_text")).to_have_value("Første avsnitt om havna.\n\nAndre avsnitt om skipene.")
    expect(page.locator("#id_start_date")).to_have_value("2026-09-01")
    expect(page.locator("#id_primary_goal")).to_have_value(str(goal(14).pk))
    expect(_target_box(page, "14.1")).to_be_checked()
    expect(_target_box(page, "7.2")).to_be_checked()
    expect(page.locator(f"input[name=partners][value='{other.pk}']")).to_be_checked()

    # The error summary links to the field; follow it, correct the date and send with the keyboard.
    summary.get_by_role("link").first.click()
    page.fill("#id_end_date", "2027-12-31")
    page.locator(".project-form button[type=submit][data-variant=primary]").focus()
    page.keyboard.press("Enter")

    # (The browser keeps the #id_end_date the summary's link added: a redirect inherits the fragment.)
    page.wait_for_url(re.compile(rf"{re.escape(index.url)}proposals/\d+/(#id_end_date)?$"))
    project = ProjectPage.objects.get(title="Grønn havn")
    expect(page).to_have_url(re.compile(rf"{re.escape(index.url)}proposals/{project.pk}/(#id_end_date)?$"))
    status = page.locator(".project-review-status")
    expect(status.locator("h2")).to_have_text(nb("Waiting for review by the hub's coordinators"))
    expect(page.locator(".messages").get_by_text("Grønn havn")).to_be_visible()
    expect(page.get_by_text("Andre avsnitt om skipene.")).to_be_visible()
    facts = page.locator(".project-facts")
    expect(facts.get_by_text("Tareskogen forskningssenter")).to_be_visible()
    expect(facts.get_by_role("link", name=re.compile(r"14\.1"))).to_be_visible()
    assert_accessible(page)

    # A draft in the hub's own review workflow, with what the form said.
    assert not project.live and project.proposed_by == proposer
    assert project.get_parent().pk == index.pk
    state = project.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == WorkflowPage.objects.get(page=hub).workflow
    assert (project.start_date, project.end_date) == (date(2026, 9, 1), date(2027, 12, 31))
    assert project.primary_goal.number == 14
    assert {t.code for t in project.targets.all()} == {"14.1", "7.2"}
    assert [p.name for p in project.partners.all()] == ["Tareskogen forskningssenter"]
    assert project.lead_partner == lead

    # The proposer is told by e-mail, with a link to the proposal's page.
    mails = mails_to(live_asgi_server, proposer, f"{index.url}proposals/{project.pk}/")
    assert mails and all("Grønn havn" in subject(message) for message in mails)

    # The list does not show it to anyone yet.
    page.goto(index.url)
    expect(page.locator(".project-card")).to_have_count(0)
    assert_accessible(page)

    # The form and the proposal fit a 320 px wide screen without sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (propose_path, f"{index.url}proposals/{project.pk}/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


# --- 2. Review in the Wagtail admin ---------------------------------------------------------------


@pytest.fixture
def coordinator(hub):
    user = coordinator_create(hub, email="koordinator@example.org", display_name="Kim Koordinator")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the journey reads Wagtail's English labels
    profile.save()
    return user


@pytest.fixture
def proposal(index, partners, proposer):
    lead, other = partners
    return services.project_propose(
        actor=proposer,
        index=index,
        fields=services.ProposalFields(
            title="Grønn havn",
            summary="Landstrøm for skip som ligger til kai.",
            primary_goal=goal(13),
            goals=[goal(7)],
            targets=[target("13.2"), target("7.2")],
            status=ProjectStatus.PLANNED,
            lead_partner=lead,
            partners=[other],
            body_text="Skip i havna går på landstrøm.",
        ),
    )


def test_a_coordinator_requests_changes_then_approves_and_the_proposer_follows(
    page, context, live_asgi_server, hub, index, proposer, coordinator, proposal
):
    comment = "Legg til en sluttdato & et budsjett, takk."
    proposal_path = f"{index.url}proposals/{proposal.pk}/"

    # The coordinator finds the proposal on the dashboard and reads it in the editor.
    log_in(page, coordinator, "/admin/")
    page.locator("#awaiting-review-section").get_by_role("link", name="Grønn havn").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{proposal.pk}/edit/$"))
    expect(page.locator("#id_title")).to_have_value("Grønn havn")
    admin_check(page)

    # Back on the dashboard, request changes with a comment. (Deciding from the editor's action
    # menu works too, but Wagtail's autosave then races the editor's own submit and logs a 400.)
    page.goto("/admin/")
    review_decide(page, "Grønn havn", "Request changes", comment)
    expect(page.locator("#awaiting-review-section")).to_have_count(0)
    admin_check(page)

    proposal.refresh_from_db()
    assert proposal.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not proposal.live
    mails = mails_to(live_asgi_server, proposer, comment, proposal_path)
    assert mails and all("Grønn havn" in subject(message) for message in mails)

    # The proposer finds it on "My organisations" with the comment, and opens the proposal's page.
    context.clear_cookies()
    log_in(page, proposer, "/partners/mine/")
    proposals = page.locator("section[aria-labelledby=proposals-heading]")
    expect(proposals.get_by_text(nb("Changes requested"))).to_be_visible()
    expect(proposals.get_by_text(comment)).to_be_visible()
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size(size)
    proposals.get_by_role("link", name="Grønn havn").click()
    page.wait_for_url(f"{live_asgi_server.url}{proposal_path}")

    # The proposer reads the status and the comment on the proposal's page, and edits.
    status = page.locator(".project-review-status")
    expect(status.locator("h2")).to_have_text(nb("Changes requested"))
    expect(status.locator(".project-review-status__comment").get_by_text(comment)).to_be_visible()
    assert_accessible(page)

    status.get_by_role("link", name=nb("Edit the proposal")).click()
    page.wait_for_url(f"{live_asgi_server.url}{proposal_path}edit/")
    expect(page.locator("#id_title")).to_have_value("Grønn havn")
    expect(_target_box(page, "13.2")).to_be_checked()
    assert_accessible(page)
    page.fill("#id_end_date", "2027-06-30")
    page.fill("#id_funding_notes", "Enova og kommunen, 2 millioner kroner.")
    page.locator(".project-form button[type=submit][data-variant=primary]").click()
    page.wait_for_url(f"{live_asgi_server.url}{proposal_path}")
    expect(page.locator(".project-review-status h2")).to_have_text(nb("Waiting for review by the hub's coordinators"))
    expect(page.locator(".project-facts").get_by_text("Enova og kommunen, 2 millioner kroner.")).to_be_visible()
    assert_accessible(page)

    # The coordinator approves from the dashboard, with a comment; that publishes the page.
    context.clear_cookies()
    live_asgi_server.clear_outbox()
    log_in(page, coordinator, "/admin/")
    review_decide(page, "Grønn havn", "Approve with comment", "Flott prosjekt!")
    expect(page.locator("#awaiting-review-section")).to_have_count(0)
    admin_check(page)

    proposal.refresh_from_db()
    assert proposal.live and proposal.end_date == date(2027, 6, 30)
    assert proposal.funding_notes == "Enova og kommunen, 2 millioner kroner."
    mails = mails_to(live_asgi_server, proposer, "Flott prosjekt!", proposal.url)
    assert mails and all("Grønn havn" in subject(message) for message in mails)

    # The proposer sees it published and follows the link to the project's public page.
    context.clear_cookies()
    log_in(page, proposer, proposal_path)
    status = page.locator(".project-review-status")
    expect(status.locator("h2")).to_have_text(nb("Approved and published"))
    assert_accessible(page)
    status.get_by_role("link", name=nb("See the project's page")).click()
    page.wait_for_url(f"{live_asgi_server.url}{proposal.url}")
    expect(page.locator("h1")).to_have_text("Grønn havn")
    assert_accessible(page)

    # And anyone finds it in the hub's list.
    context.clear_cookies()
    page.goto(index.url)
    expect(page.locator(".project-card").get_by_role("link", name="Grønn havn")).to_be_visible()
    assert_accessible(page)


# --- 3. Progress updates --------------------------------------------------------------------------


def test_a_project_partner_posts_a_progress_update_with_a_new_outcome_value(
    page, context, live_asgi_server, index, partners
):
    lead, other = partners
    member = member_add(other, email="forsker@example.org", display_name="Fia Forsker").user
    project = project_create(
        index, title="Tareskog i Breisundet", primary_goal=goal(14), lead_partner=lead, partners=[other]
    )
    outcome = outcome_create(project, title="Tareskog plantet", unit="dekar", baseline=0, target_value=50)
    earlier = timezone.localdate() - timedelta(days=60)
    services.progress_update_create(
        actor=member,
        page=project,
        partner=other,
        reported_on=earlier,
        text="<p>Første felt.</p>",
        outcome_values={outcome.pk: "8"},
    )
    today = timezone.localdate()

    # An anonymous visitor has the page before the update, and the page cache keeps a copy.
    assert page.goto(project.url).headers["x-dugnad-cache"] == "miss"
    assert page.reload().headers["x-dugnad-cache"] == "hit"
    chart = page.locator(".project-outcome svg.line-chart__svg")
    expect(chart.locator(".line-chart__marker")).to_have_count(2)  # the baseline and one measurement
    # The target is a labelled line, and the caption points to the table of the same figures.
    expect(chart.locator(".line-chart__target-label")).to_contain_text(re.compile(r"\b50\b"))
    table_link = page.locator(".project-outcome .chart__table-link")
    table_id = table_link.get_attribute("href").removeprefix("#")
    expect(page.locator(f"table#{table_id}")).to_have_count(1)
    assert_accessible(page)

    log_in(page, member, project.url)
    page.get_by_role("link", name=nb("Post a progress update")).click()
    page.wait_for_url(f"{live_asgi_server.url}/projects/{project.pk}/updates/new/")
    expect(page.locator("#id_reported_on")).to_have_value(today.isoformat())
    # The outcome's numbers are written the way the field wants them typed (a decimal comma).
    help_text = page.locator(f"#id_outcome_{outcome.pk}_helptext")
    expect(help_text).to_contain_text(nb_number(Decimal("50.00")))
    expect(help_text).not_to_contain_text("50.00")
    assert_accessible(page)

    # A value that is not a number is refused; the text is kept.
    page.fill("#id_text", "Vi plantet tare på to nye felt.\n\nDykkerne fra Giske hjalp til.")
    page.fill(f"#id_outcome_{outcome.pk}", "tolv")
    page.locator(".project-form button[type=submit][data-variant=primary]").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    expect(page.locator(f"#id_outcome_{outcome.pk}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_text")).to_have_value("Vi plantet tare på to nye felt.\n\nDykkerne fra Giske hjalp til.")
    assert_accessible(page)

    # A Norwegian decimal comma, sent with Enter from the field.
    page.fill(f"#id_outcome_{outcome.pk}", "12,5")
    page.locator(f"#id_outcome_{outcome.pk}").press("Enter")
    page.wait_for_url(f"{live_asgi_server.url}{project.url}#updates-heading")

    measurement = OutcomeMeasurement.objects.get(outcome=outcome, measured_on=today)
    assert measurement.value == Decimal("12.50")
    shown = nb_number(measurement.value)
    latest = page.locator(".project-update").first
    expect(latest.get_by_text("Dykkerne fra Giske hjalp til.")).to_be_visible()
    expect(latest.locator(".project-update__values strong")).to_have_text(shown)
    chart = page.locator(".project-outcome svg.line-chart__svg")
    expect(chart.locator(".line-chart__marker")).to_have_count(3)
    # SVG lengths take a decimal point in every language (Bokmål would write "12,0").
    for marker in chart.locator(".line-chart__marker").all():
        expect(marker).to_have_attribute("transform", re.compile(r"^translate\(\d+(\.\d+)? \d+(\.\d+)?\)$"))
    expect(chart.locator("desc")).to_contain_text(shown)
    rows = page.locator(".outcome-table tbody tr")
    expect(rows).to_have_count(4)  # baseline, two measurements, target
    expect(rows.nth(2).locator("th time")).to_have_attribute("datetime", today.isoformat())
    expect(rows.nth(2).locator("td")).to_have_text(shown)
    assert_accessible(page)

    # Anonymous visitors see the new value at once: the cached copy is out of date.
    context.clear_cookies()
    assert page.goto(project.url).headers["x-dugnad-cache"] == "miss"
    expect(page.locator(".project-outcome .line-chart__marker")).to_have_count(3)
    expect(page.locator(".outcome-table tbody tr").nth(2).locator("td")).to_have_text(shown)
    expect(page.get_by_role("link", name=nb("Post a progress update"))).to_have_count(0)
    assert_accessible(page)


# --- 4. Browsing the list -------------------------------------------------------------------------


def _expect_count(page, number: int) -> None:
    # Retried until the new page has loaded: the element is missing while it navigates.
    expect(page.locator("#project-count")).to_have_text(re.compile(rf"^\s*{number}\s"))


def _titles(page):
    return page.locator(".project-card__title")


def test_anyone_filters_searches_sorts_and_pages_the_project_list(page, live_asgi_server, hub, index, partners):
    lead, other = partners
    goals = {g.number: g for g in Goal.objects.all()}
    statuses = [ProjectStatus.ACTIVE, ProjectStatus.PLANNED, ProjectStatus.COMPLETED]
    for number in range(15):
        project_create(
            index,
            title=f"Prosjekt {number:02d}",
            primary_goal=goals[1 + number % 5],
            status=statuses[number % 3],
            lead_partner=lead,
        )
    today = timezone.localdate()
    project_create(
        index,
        title="Tareskog i Breisundet",
        summary="Vi planter tare og teller fisk.",
        primary_goal=goals[14],
        goals=[goals[13]],
        status=ProjectStatus.COMPLETED,
        lead_partner=other,
        last_reported_at=today - timedelta(days=3),
    )
    project_create(
        index,
        title="Solceller på skolen",
        primary_goal=goals[7],
        goals=[goals[14]],
        status=ProjectStatus.ACTIVE,
        lead_partner=lead,
        last_reported_at=today - timedelta(days=1),
    )
    project_create(index, title="Hemmelig utkast", primary_goal=goals[14], lead_partner=lead, live=False)

    page.goto(index.url)
    _expect_count(page, 17)
    expect(page.locator(".project-card")).to_have_count(12)
    expect(_titles(page).first).to_have_text("Solceller på skolen")  # newest first
    expect(page.get_by_text("Hemmelig utkast")).to_have_count(0)
    assert_accessible(page)

    # Goal 14, primary or further: the kelp forest and the school's solar panels.
    page.select_option("#id_goal", "14")
    page.locator("#id_q").press("Enter")  # keyboard: Enter in the form submits it
    _expect_count(page, 2)
    expect(page).to_have_url(re.compile(r"[?&]goal=14(&|$)"))
    assert set(_titles(page).all_inner_texts()) == {"Tareskog i Breisundet", "Solceller på skolen"}
    assert_accessible(page)

    # And completed: only the kelp forest is left.
    page.select_option("#id_status", ProjectStatus.COMPLETED)
    page.locator(".project-filters button[type=submit]").press("Enter")
    _expect_count(page, 1)
    expect(_titles(page)).to_have_text(["Tareskog i Breisundet"])
    assert_accessible(page)

    # Free text in the summary, the other filters cleared.
    page.get_by_role("link", name=nb("Clear filters")).click()
    _expect_count(page, 17)
    page.fill("#id_q", "teller fisk")
    page.locator("#id_q").press("Enter")
    _expect_count(page, 1)
    expect(_titles(page)).to_have_text(["Tareskog i Breisundet"])
    assert_accessible(page)

    # Nothing matches: the empty state says so and offers the way back.
    page.fill("#id_q", "finnes ikke")
    page.locator("#id_q").press("Enter")
    _expect_count(page, 0)
    expect(page.locator(".project-empty").get_by_role("link", name=nb("Show all projects"))).to_be_visible()
    assert_accessible(page)

    # Recently updated first: the projects that reported lead, newest report first.
    page.goto(index.url)
    page.select_option("#id_sort", "updated")
    page.get_by_role("button", name=nb("Show projects")).click()
    page.wait_for_url(re.compile(r"sort=updated"))
    expect(_titles(page).nth(0)).to_have_text("Solceller på skolen")
    expect(_titles(page).nth(1)).to_have_text("Tareskog i Breisundet")
    assert_accessible(page)

    # Page 2 keeps the sort.
    page.locator(".ds-pagination a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page).to_have_url(re.compile(r"[?&]sort=updated(&|$)"))
    expect(page.locator(".project-card")).to_have_count(5)
    expect(page.locator(".ds-pagination [aria-current=page]")).to_have_text(re.compile(r"2\s*$"))
    expect(_titles(page).filter(has_text="Solceller på skolen")).to_have_count(0)
    assert_accessible(page)

    # A project's own page.
    page.goto(f"{index.url}?q=tareskog")
    page.get_by_role("link", name="Tareskog i Breisundet").click()
    project = ProjectPage.objects.get(title="Tareskog i Breisundet")
    page.wait_for_url(f"{live_asgi_server.url}{project.url}")
    expect(page.locator("h1")).to_have_text("Tareskog i Breisundet")
    expect(page.locator(".project-hero .project-status")).to_have_text(nb_label(ProjectStatus.COMPLETED))
    facts = page.locator(".project-facts")
    expect(facts.locator(".goal-badge")).to_have_count(2)
    expect(facts.get_by_role("link", name="Tareskogen forskningssenter")).to_be_visible()
    assert_accessible(page)

    # Both pages fit a 320 px wide screen without sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (project.url, f"{index.url}?goal=14"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
