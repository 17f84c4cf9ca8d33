"""E-mails about one's own account, in the person's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import DataExport
from accounts.urls_absolute import absolute_url


def data_export_ready_send(data_export: DataExport) -> None:
    """Tell the person their copy is ready; the link leads to the page that offers it after log-in."""
    user = data_export.user
    context = {
        "data_url": absolute_url(reverse("personal_data")),
        "expires_at": data_export.expires_at,
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("accounts/email/data_export_ready_subject.txt", context).split())
        body = render_to_string("accounts/email/data_export_ready_body.txt", context)
    EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()
