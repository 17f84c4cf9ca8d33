from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    name = "embeds"
    label = "embeds"
    verbose_name = _("Embeds and site metadata")
    default_auto_field = "django.db.models.BigAutoField"
