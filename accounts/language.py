"""The language cookie, set the way Django's own ``set_language`` view sets it."""

from django.conf import settings


def language_is_available(language_code):
    """True if the code is one of the site's languages (``settings.LANGUAGES``)."""
    return language_code in dict(settings.LANGUAGES)


def language_cookie_set(response, language_code):
    """Remember the language in the browser, so LocaleMiddleware uses it on the next request.

    The caller has checked the code with ``language_is_available``.
    """
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language_code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
