from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from allauth.account.signals import email_confirmed, user_logged_in

        from partners import hub_hooks, receivers  # noqa: F401 (hub_hooks registers Wagtail hooks on import)

        user_logged_in.connect(receivers.accept_invitations_on_login, dispatch_uid="partners_invitations_on_login")
        email_confirmed.connect(
            receivers.accept_invitations_on_email_confirmed, dispatch_uid="partners_invitations_on_email_confirmed"
        )
