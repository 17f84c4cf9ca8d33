from django.urls import path

from discussions.consumers import ThreadConsumer
from hub.consumers import PingConsumer
from notifications.consumers import InboxConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    path("ws/threads/<int:thread_id>/", ThreadConsumer.as_asgi()),
    path("ws/me/", InboxConsumer.as_asgi()),
]
