"""The comment rate limit holds against parallel requests: ten simultaneous POSTs from one account
to the real ASGI server, and exactly one is accepted (201), the others refused (429)."""

import threading

import pytest

from discussions.models import Comment
from tests.discussions.factories import thread_scene_create
from tests.discussions.live_client import session_cookie
from tests.e2e.harness import comment_post_http

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARALLEL = 10
TIMEOUT = 30


def test_parallel_posts_from_one_account_are_accepted_once(live_asgi_server):
    scene = thread_scene_create()
    session = session_cookie(scene.alice)
    start = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    lock = threading.Lock()

    def post(number: int) -> None:
        start.wait()
        status, _content = comment_post_http(
            live_asgi_server.url, scene.thread.pk, session, f"Kommentar nummer {number}", timeout=TIMEOUT
        )
        with lock:
            statuses.append(status)

    workers = [threading.Thread(target=post, args=(number,)) for number in range(PARALLEL)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT)

    assert sorted(statuses) == [201] + [429] * (PARALLEL - 1), live_asgi_server.log()
    assert Comment.objects.filter(thread=scene.thread, author=scene.alice).count() == 1
