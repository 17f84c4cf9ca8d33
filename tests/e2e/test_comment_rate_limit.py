"""The comment rate limit holds against parallel requests: ten simultaneous POSTs from one account
to the real ASGI server, and exactly one is accepted (201), the others refused (429)."""

import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from discussions.models import Comment
from tests.discussions.factories import thread_scene_create
from tests.discussions.live_client import session_cookie

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARALLEL = 10
TIMEOUT = 30


def _post(url: str, session: str, body: str) -> int:
    csrf = secrets.token_hex(16)
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"body": body}).encode(),
        headers={
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_parallel_posts_from_one_account_are_accepted_once(live_asgi_server):
    scene = thread_scene_create()
    session = session_cookie(scene.alice)
    url = f"{live_asgi_server.url}/threads/{scene.thread.pk}/comments/"
    start = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    lock = threading.Lock()

    def post(number: int) -> None:
        start.wait()
        status = _post(url, session, f"Kommentar nummer {number}")
        with lock:
            statuses.append(status)

    workers = [threading.Thread(target=post, args=(number,)) for number in range(PARALLEL)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT)

    assert sorted(statuses) == [201] + [429] * (PARALLEL - 1), live_asgi_server.log()
    assert Comment.objects.filter(thread=scene.thread, author=scene.alice).count() == 1
