"""The Wagtail admin speaks the coordinator's language: Bokmål, Nynorsk (Bokmål where Wagtail has none) or English.

Each page is rendered as a hub coordinator with the language cookie, and the text a person reads or
hears (text nodes and the aria-label, title, placeholder and alt attributes) is searched for English
words that must not be there in Norwegian and must be there in English.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from partners.models import PartnershipStatus
from tests.discussions.factories import thread_scene_create
from tests.partners.factories import partner_create, partnership_create
from tests.projects.admin_support import project_create

pytestmark = pytest.mark.django_db

# English words and phrases of the admin's chrome, chosen so that none of them is also Norwegian.
ENGLISH = [
    "Request changes",
    "In moderation",
    "Dashboard",
    "Pages",
    "Search",
    "Save draft",
    "Edit",
    "Delete",
    "Settings",
    "Approve",
    "Reports",
    "Workflows",
    "Submitted",
    "Preview",
    "History",
    "Cancel",
    "Keyboard shortcuts",
    "Toggle",
    "Show",
    "Help",
    "Organisations",
    "Partnerships",
    "Threads",
]
# What the English admin must show on these pages (so the list above is a real test).
ENGLISH_EXPECTED = {"Request changes", "Dashboard", "Pages", "Search", "Edit"}
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class _ReadableText(HTMLParser):
    """Collects what a person reads or hears: text outside scripts, styles and templates, and labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def readable_text(html: str) -> str:
    parser = _ReadableText()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_found(text: str) -> set[str]:
    return {phrase for phrase in ENGLISH if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)}


@pytest.fixture
def admin_pages():
    """A hub with a coordinator, a project, a proposal waiting in the hub's workflow, an application."""
    scene = thread_scene_create()
    partner = partner_create(name="Havbruk AS", administrator=scene.alice)
    partnership_create(partner=partner, hub=scene.hub, status=PartnershipStatus.APPLIED, applied_by=scene.alice)
    proposal = project_create(scene.project.get_parent(), title="Ny sykkelbane", live=False)
    proposal.get_workflow().start(proposal, scene.alice)
    pages = {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore", args=[scene.project.get_parent().pk]),
        "proposal in moderation": reverse("wagtailadmin_pages:edit", args=[proposal.pk]),
        "published project": reverse("wagtailadmin_pages:edit", args=[scene.project.pk]),
        "partnerships": reverse("partnership_admin:index"),
        "organisations": reverse("partner_admin:index"),
        "discussion queue": reverse("discussions_admin_queue"),
        "discussion threads": reverse("discussion_thread_admin:index"),
    }
    return scene.coordinator, pages


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_admin_shows_no_english_to_norwegian_coordinators(client, admin_pages, language):
    coordinator, pages = admin_pages
    client.force_login(coordinator)
    client.cookies["django_language"] = language

    found = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert f'lang="{language}"' in response.content.decode(), name
        if english := english_found(readable_text(response.content.decode())):
            found[name] = sorted(english)

    assert not found, f"{language}: English in the admin: {found}"


def test_the_admin_is_in_english_for_english_coordinators(client, admin_pages):
    coordinator, pages = admin_pages
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"

    text = "\n".join(readable_text(client.get(url).content.decode()) for url in pages.values())

    assert english_found(text) >= ENGLISH_EXPECTED
    assert "Be om endringer" not in text


def test_the_workflow_actions_and_states_are_translated():
    with override("nb"):
        assert (gettext("Request changes"), gettext("In Moderation")) == ("Be om endringer", "Til moderering")
    with override("nn"):
        assert (gettext("Request changes"), gettext("In Moderation")) == ("Be om endringar", "Til moderering")


def test_nynorsk_falls_back_to_bokmal_where_wagtail_has_no_nynorsk():
    """Wagtail ships no Nynorsk; Django falls back to LANGUAGE_CODE (nb), never to the English msgid."""
    with override("nb"):
        bokmal = gettext("Dashboard")
    with override("nn"):
        nynorsk = gettext("Dashboard")

    assert bokmal == "Kontrollpanel"
    assert nynorsk == bokmal


@pytest.mark.parametrize(
    ("language", "main_menu", "broken_link"),
    [
        # "Main menu" is missing from Wagtail's Bokmål JavaScript catalogue: ours has it, in both.
        ("nb", "Hovedmeny", "Brutt lenke"),
        # Wagtail has no Nynorsk JavaScript catalogue: its Bokmål fills in, never the English.
        ("nn", "Hovudmeny", "Brutt lenke"),
        ("en", "Main menu", "Broken link"),
    ],
)
def test_the_admin_javascript_catalogue_follows_the_language(client, admin_pages, language, main_menu, broken_link):
    coordinator, _pages = admin_pages
    client.force_login(coordinator)
    client.cookies["django_language"] = language

    script = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    found = re.search(r"const newcatalog = (\{.*?\n  \});", script, re.S)
    catalogue = json.loads(found[1]) if found else {}

    if language == "en":
        assert "Main menu" not in catalogue  # an English catalogue is empty: the msgid is the text
    else:
        assert (catalogue["Main menu"], catalogue["Broken link"]) == (main_menu, broken_link)
