"""Every public form renders its radios and checkboxes with Designsystemet, each group in a fieldset.

The pages are fetched as the people who use them, before and after a failed submission (errors
change how a field is rendered), and every ``<input type="radio|checkbox">`` must carry the
``ds-input`` class and every group of them (inputs sharing a name) sit in a ``<fieldset>`` with a
``<legend>``.
"""

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from discussions.forms import CommentReportForm
from discussions.models import Thread
from partners.models import PartnerRole
from tests.discussions.factories import comment_create, forum_create
from tests.partners.factories import member_add, partner_create, partner_index_create
from tests.projects.factories import outcome_create, project_create, scene_create, user_create

pytestmark = pytest.mark.django_db


def _named_by_row_and_column(soup, control) -> bool:
    """A radio in a table of choices (kind × frequency) is named by its row and column headers instead."""
    ids = (control.get("aria-labelledby") or "").split()
    headers = [soup.find(id=identifier) for identifier in ids]
    return (
        control.find_parent("table") is not None
        and len(ids) == 2
        and all(header is not None and header.get_text(strip=True) for header in headers)
    )


def _problems(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    groups: dict[str, list] = {}
    for control in soup.select("input[type=radio], input[type=checkbox]"):
        if "ds-input" not in (control.get("class") or []):
            problems.append(f"{control.get('name')}: no ds-input class")
        groups.setdefault(control.get("name"), []).append(control)
    for name, controls in groups.items():
        if len(controls) < 2 and controls[0].get("type") == "checkbox":
            continue  # a single checkbox ("I accept") has its own label
        for control in controls:
            fieldset = control.find_parent("fieldset")
            legend = fieldset.find("legend") if fieldset else None
            if legend is not None and legend.get_text(strip=True):
                continue
            if _named_by_row_and_column(soup, control):
                continue
            problems.append(f"{name}: option {control.get('value')} is not in a fieldset with a legend")
    return problems


@pytest.fixture
def scene():
    scene = scene_create()
    partner_index_create(scene.hub)
    return scene


def _pages(scene) -> list[tuple[object, str, dict | None]]:
    """(user, url, data to post or None) for every public form page."""
    project = project_create(scene.index, lead_partner=scene.lead, partners=[scene.participant])
    outcome_create(project)
    comment = comment_create(Thread.objects.get(project=project))
    forum_create(scene.hub)
    reporter = user_create()
    administrator = user_create()
    partner = partner_create(name="Skjema AS", administrator=administrator)
    member_add(partner, role=PartnerRole.MEMBER)
    hub_url = scene.hub.url
    return [
        (scene.proposer, f"{scene.index.url}propose/", {"title": ""}),
        (scene.participant_member, f"/projects/{project.pk}/updates/new/", {"text": ""}),
        (reporter, f"/comments/{comment.pk}/report/", {"note": "x"}),
        (reporter, f"{hub_url}forum/new/", {"title": ""}),
        (administrator, f"{hub_url}partners/apply/", {"action": "new"}),
        (administrator, f"/partners/mine/{partner.slug}/", {"name": ""}),
        (reporter, "/notifications/settings/", None),
        (reporter, "/accounts/profile/", None),
        (None, "/accounts/signup/", None),
        (None, "/accounts/login/", None),
        (None, f"{scene.index.url}", None),
    ]


def test_every_public_form_renders_controls_with_designsystemet(client, scene):
    checked = 0
    for user, url, data in _pages(scene):
        client.logout()
        if user is not None:
            client.force_login(user)
        responses = [client.get(url)]
        if data is not None:
            responses.append(client.post(url, data))
        for response in responses:
            assert response.status_code == 200, (url, response.status_code)  # errors re-render the form
            html = response.content.decode()
            assert not _problems(html), (url, response.request["REQUEST_METHOD"], _problems(html))
            checked += html.count('type="radio"') + html.count('type="checkbox"')
    assert checked > 100  # the proposal form alone has every target as a checkbox


def test_the_report_form_offers_its_reasons_in_a_fieldset():
    # The form that prompted this: tiny unstyled radios without a legend.
    html = render_to_string("accounts/includes/fields.html", {"form": CommentReportForm()})
    soup = BeautifulSoup(html, "html.parser")
    radios = soup.select("input[type=radio]")
    assert radios and all("ds-input" in radio["class"] for radio in radios)
    assert all(radio.find_parent("div")["class"] == ["ds-field"] for radio in radios)
    assert soup.fieldset.legend.get_text(strip=True)
