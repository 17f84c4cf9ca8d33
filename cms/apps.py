from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")

    def ready(self):
        from cms.page_cache import connect_signals

        # Saving, publishing or moving anything public pages are built from makes every cached
        # anonymous page out of date (hub.page_cache).
        connect_signals()
