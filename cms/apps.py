from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")

    def ready(self):
        from cms.dependency import connect_signals

        # Saving, publishing or moving anything public pages are built from makes the cached pages
        # and fragments that show it out of date (cms.dependency).
        connect_signals()
        _localized_numbers_in_admin_forms()


def _localized_numbers_in_admin_forms():
    """Every Wagtail admin form (pages, snippets, model viewsets) reads "62,47" as people write it."""
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override

    from cms.forms import LocalizedDecimalField

    register_form_field_override(models.DecimalField, override={"form_class": LocalizedDecimalField})
