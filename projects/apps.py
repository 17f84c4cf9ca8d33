from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from projects import receivers

        receivers.connect()

        from projects import wagtail_mail

        wagtail_mail.connect()

        from projects import hub_hooks  # noqa: F401 (registers the Wagtail hook that adds a hub's project list)
