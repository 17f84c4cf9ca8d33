from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from accounts.language import language_cookie_set, language_is_available
from accounts.services import user_register
from accounts.urls_absolute import absolute_url, absolute_url_rebase

# The links allauth builds from the request for its e-mails (confirmation, password reset, sign-up).
EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


class AccountAdapter(DefaultAccountAdapter):
    """Dugnad's hooks into allauth's sign-up and login."""

    def save_user(self, request, user, form, commit=True):
        """Keep the display name from the sign-up form and register the user through the service.

        allauth fills in e-mail and password; ``user_register`` saves and adds the user to the
        "Registered users" group in one transaction.
        """
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        if commit:
            user_register(user=user)
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails with their links on ``SITE_URL``, like every other e-mail of the site.

        allauth builds its links from the request (and signs off with the request's host); they are
        moved onto the site's public address, so that they agree with the rest whichever host the
        request came in on.
        """
        context = {
            # The sign-off ("Thank you for using Dugnad!" and the address) names the site, not the request's host.
            "current_site": SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=absolute_url("/")),
            **context,
        }
        for key in EMAIL_LINKS:
            if context.get(key):
                context[key] = absolute_url_rebase(context[key])
        return super().send_mail(template_prefix, email, context)

    def post_login(self, request, user, **kwargs):
        """Switch to the user's preferred language as soon as they are logged in.

        The cookie is what LocaleMiddleware reads, so the page after the redirect, and every
        later one, is in the language the user chose, whichever browser they use.
        """
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "preferred_language", "")
        if language and language_is_available(language) and hasattr(response, "set_cookie"):
            language_cookie_set(response, language)
        return response
