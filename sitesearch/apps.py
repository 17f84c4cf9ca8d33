from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesearchConfig(AppConfig):
    name = "sitesearch"
    verbose_name = _("Site search")

    def ready(self):
        from sitesearch import receivers

        receivers.connect()
