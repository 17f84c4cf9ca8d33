import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_server_answers_health_and_a_websocket_round_trip(page, live_asgi_server):
    page.goto("/healthz")
    assert '"status": "ok"' in page.content()

    answer = page.evaluate(
        """() => new Promise((resolve, reject) => {
            const socket = new WebSocket(`ws://${location.host}/ws/ping/`);
            socket.onopen = () => socket.send(JSON.stringify({type: "ping", echo: "hello"}));
            socket.onmessage = (event) => { resolve(JSON.parse(event.data)); socket.close(); };
            socket.onerror = () => reject(new Error("websocket failed"));
        })"""
    )

    assert answer == {"type": "pong", "authenticated": False, "echo": "hello"}
