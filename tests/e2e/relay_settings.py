"""The browser tests' settings with the embedded defaults' channel layer (the database relay), for
server processes that must reach each other without Redis."""

from hub.settings.test import *  # noqa: F403

CHANNEL_LAYERS = {"default": {"BACKEND": "hub.relay.layers.DatabaseRelayChannelLayer"}}
