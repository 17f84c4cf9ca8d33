from allauth.account.adapter import DefaultAccountAdapter

from accounts.language import language_cookie_set, language_is_available
from accounts.services import user_register


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
