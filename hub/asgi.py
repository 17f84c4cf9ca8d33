"""The ASGI entry point: Django for HTTP, Channels for websockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from hub.observability import RequestIdASGI, WebsocketObservability  # noqa: E402
from hub.request_limits import RequestBodyLimit  # noqa: E402
from hub.routing import websocket_urlpatterns  # noqa: E402
from hub.websocket_auth import AuthMiddlewareStack  # noqa: E402
from hub.websocket_limits import WebsocketConnectionCap  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": RequestIdASGI(RequestBodyLimit(django_asgi_app)),
        "websocket": WebsocketObservability(
            WebsocketConnectionCap(AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
            routes=[str(pattern.pattern) for pattern in websocket_urlpatterns],
        ),
    }
)
