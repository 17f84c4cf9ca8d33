"""Close code 4409 means the same on both live sockets (static/js/live-socket.js).

A page whose `after` the server cannot bring up to date frame by frame (here: a number beyond the
latest change, as a page from another database or a rolled-back test would carry) is closed with
4409. Reconnecting would send the same number and be refused again, so the client stops, reports
"stale", and the page offers a reload: the thread's notice on a project page, the centre's on the
notification centre. The number is changed in the page before its scripts run.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from discussions.services import project_thread_ensure
from tests.discussions.factories import commenter_create
from tests.e2e.harness import assert_accessible
from tests.e2e.test_discussion_journeys import hub, log_in, project  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FAR_AHEAD = 99_999


def first_load_with(page, selector: str, attribute: str, value: int) -> None:
    """On the next page load only, ``attribute`` of ``selector`` is ``value`` before the page's
    scripts run (they are deferred: they run after the document turns "interactive")."""
    page.add_init_script(
        f"""
        document.addEventListener("readystatechange", () => {{
          if (document.readyState !== "interactive" || sessionStorage.getItem("e2e-once")) {{
            return;
          }}
          sessionStorage.setItem("e2e-once", "done");
          document.querySelector({selector!r}).setAttribute({attribute!r}, "{value}");
        }});
        """
    )


def test_a_thread_page_too_far_ahead_stops_and_offers_a_reload(page, live_asgi_server, project):  # noqa: F811
    project_thread_ensure(project)
    first_load_with(page, "#discussion", "data-last-seq", FAR_AHEAD)
    page.goto(project.url)
    block = page.locator("section#discussion")
    expect(block).to_have_attribute("data-connection", "stale")
    expect(page.locator("#discussion-stale")).to_be_visible()
    expect(page.locator("#discussion-connection")).to_be_hidden()
    assert_accessible(page)
    # The reload link brings the page as the server renders it, and that one follows live.
    page.locator("#discussion-stale a").click()
    expect(block).to_have_attribute("data-connection", "live")
    expect(page.locator("#discussion-stale")).to_be_hidden()
    assert_accessible(page)


def test_the_notification_centre_too_far_ahead_stops_and_offers_a_reload(page, live_asgi_server, hub):  # noqa: F811
    person = commenter_create(display_name="Kari Nordmann")
    centre = reverse("notifications:centre")
    log_in(page, person, centre)
    bell = page.locator("#notification-bell")
    expect(bell).to_have_attribute("data-connection", "live")
    expect(page.locator("#notification-resync")).to_be_hidden()
    first_load_with(page, "#notification-bell", "data-after", FAR_AHEAD)
    page.reload()
    expect(bell).to_have_attribute("data-connection", "stale")
    expect(page.locator("#notification-resync")).to_be_visible()
    assert_accessible(page)
