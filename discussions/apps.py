from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from discussions import receivers

        receivers.connect()

        from discussions import hub_hooks  # noqa: F401 (registers the Wagtail hook that adds a hub's forum)
