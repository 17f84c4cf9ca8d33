"""Every link the site writes into e-mails and feeds is on SITE_URL and leads to a page that exists.

One journey drives each e-mail-producing flow once (allauth's sign-up and password reset, a
partner's application and the decision, an invitation, a proposal through submit / request
changes / resubmit / approve, Wagtail's own review e-mail for another page, comment notifications
sent at once, a weekly digest) and reads both feeds. Every address in every text part, HTML part
and ``List-Unsubscribe`` header, and every ``href`` and ``id`` of the feeds, must start with
``SITE_URL``; each is then requested (as the e-mail's recipient, logged in if they have an
account) and must end on a page that answers 200.

The test settings keep ``SITE_URL`` (``http://127.0.0.1:8000``) apart from the test client's host
(``testserver``), so a link built from the request instead of ``SITE_URL`` fails here.
"""

import html
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.services import data_export_request
from discussions import services as discussions
from notifications.digests import send_digests
from notifications.models import EmailFrequency, EventKind
from partners import services as partners
from partners.models import PartnershipStatus
from projects import services as projects
from tests.cms.factories import standard_page_create
from tests.notifications.factories import citizen_create, follow_create, notify_scene_create
from tests.notifications.mail_helpers import prefer
from tests.partners.factories import coordinator_create, partner_create
from tests.projects.factories import proposal_fields

pytestmark = pytest.mark.django_db

URL = re.compile(r"""https?://[^\s<>"'»«]+""")
ATOM = "{http://www.w3.org/2005/Atom}"


def _addresses(message) -> list[str]:
    """Every http(s) address in the message: text part, HTML part, List-Unsubscribe header."""
    parts = [message.body]
    parts += [html.unescape(content) for content, mimetype in getattr(message, "alternatives", [])]
    parts.append(message.extra_headers.get("List-Unsubscribe", ""))
    return [url.rstrip(".,;:)") for part in parts for url in URL.findall(part)]


def _check(client, url: str, *, user=None) -> None:
    """``url`` is on SITE_URL and ends, after redirects, on a page that answers 200."""
    assert url.startswith(settings.SITE_URL + "/"), f"{url} is not on SITE_URL ({settings.SITE_URL})"
    path = url[len(settings.SITE_URL) :].split("#", 1)[0]
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(path, follow=True)
    assert response.status_code == 200, f"{url} → {response.status_code} ({response.redirect_chain})"


def _check_outbox(client) -> int:
    """Check every link of every message in the outbox, then empty it; how many links there were."""
    User = get_user_model()
    count = 0
    for message in mail.outbox:
        [to] = message.to
        recipient = User.objects.filter(email__iexact=to, is_active=True).first()
        addresses = _addresses(message)
        assert addresses, f"no link in “{message.subject}”"
        for url in sorted(set(addresses)):
            _check(client, url, user=recipient)
            count += 1
    mail.outbox.clear()
    return count


def _check_feed(client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    ids = [element.text for element in root.iter(f"{ATOM}id")]
    assert len(root.findall(f"{ATOM}entry")) >= 1
    for url in sorted(set(hrefs + ids)):
        _check(client, url)
    return len(hrefs) + len(ids)


def _act(page, user, action, capture, comment=""):
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    with capture(execute=True):
        task_state.task.specific.on_action(task_state.specific, user, action, comment=comment)


def test_every_link_in_every_email_and_feed_is_on_site_url_and_resolves(
    client, django_capture_on_commit_callbacks, settings
):
    # The scene's commenters wrote a moment ago; waiting between comments is not what this checks.
    settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS = 0
    capture = django_capture_on_commit_callbacks
    scene = notify_scene_create()
    coordinator = scene.coordinator
    prefer(coordinator, **{EventKind.WAITING: EmailFrequency.IMMEDIATELY})
    checked = 0

    # allauth: sign-up confirmation and password reset, through the real views.
    with capture(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "ny@example.org",
                "display_name": "Ny Bruker",
                "password1": "et-langt-passord-42",
                "password2": "et-langt-passord-42",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    checked += _check_outbox(client)
    client.logout()
    with capture(execute=True):
        client.post(reverse("account_reset_password"), {"email": scene.alice.email})
    assert len(mail.outbox) == 1
    checked += _check_outbox(client)

    # Partners: an application (waiting for the coordinator), the decision, an invitation.
    administrator = citizen_create()
    partner = partner_create(administrator=administrator, name="Ny Søker AS")
    with capture(execute=True):
        partnership = partners.partnership_apply(actor=administrator, partner=partner, hub=scene.hub, accept_terms=True)
    with capture(execute=True):
        partners.partnership_decide(actor=coordinator, partnership=partnership, to_status=PartnershipStatus.APPROVED)
    with capture(execute=True):
        partners.member_invite(actor=administrator, partner=partner, email="invitert@example.org")
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients >= {coordinator.email, administrator.email, "invitert@example.org"}
    checked += _check_outbox(client)

    # A proposal: submitted, changes requested, resubmitted, approved and published.
    with capture(execute=True):
        page = projects.project_propose(**proposal_fields(scene, title="Solcelletak"))
    _act(page, coordinator, "reject", capture, comment="Legg til budsjett")
    fields = proposal_fields(scene, title="Solcelletak", summary="Med budsjett.")
    del fields["index"]
    page.refresh_from_db()
    with capture(execute=True):
        projects.project_proposal_update(page=page, **fields)
    _act(page, coordinator, "approve", capture)
    assert {message.to[0] for message in mail.outbox} == {scene.proposer.email, coordinator.email}
    checked += _check_outbox(client)

    # Wagtail's own e-mail about another page in the hub's review.
    reviewer = coordinator_create(scene.hub)
    other = standard_page_create(parent=scene.hub, title="Om oss")
    other.get_workflow().start(other, coordinator)
    assert [message.to for message in mail.outbox] == [[reviewer.email]]
    checked += _check_outbox(client)

    # Comment notifications sent at once (a reply, a mention), with their unsubscribe links.
    first = scene.thread.comments.filter(author=scene.alice).first()
    with capture(execute=True):
        discussions.comment_post(actor=scene.bob, thread=scene.thread, body="Svar til deg.", reply_to=first)
    assert [message.to for message in mail.outbox] == [[scene.alice.email]]
    assert mail.outbox[0].extra_headers["List-Unsubscribe"]
    checked += _check_outbox(client)

    # The weekly digest: comments in a followed forum topic.
    follower = citizen_create()
    follow_create(follower, scene.topic)
    with capture(execute=True):
        discussions.comment_post(actor=scene.alice, thread=scene.topic, body="Sykkelveien er ferdig.")
    mail.outbox.clear()
    send_digests(EmailFrequency.WEEKLY)
    assert follower.email in {message.to[0] for message in mail.outbox}
    checked += _check_outbox(client)

    # A copy of one's data is ready.
    with capture(execute=True):
        data_export_request(user=scene.alice)
    assert [message.to for message in mail.outbox] == [[scene.alice.email]]
    checked += _check_outbox(client)

    # The feeds: the hub's projects and the goal's.
    checked += _check_feed(client, scene.index.url + "feed/")
    checked += _check_feed(client, reverse("project_goal_feed", args=[13]))

    assert checked > 40
