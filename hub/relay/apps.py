from django.apps import AppConfig


class RelayConfig(AppConfig):
    name = "hub.relay"
    label = "relay"
    verbose_name = "Live relay"
