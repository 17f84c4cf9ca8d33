"""The profile page and the language switcher."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from accounts.language import language_cookie_set, language_is_available
from accounts.services import preferred_language_set, profile_update


@login_required
def profile(request):
    """Show and change the logged-in user's own profile."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, has_avatar=bool(user.avatar))
        if form.is_valid():
            try:
                profile_update(
                    user=user,
                    display_name=form.cleaned_data["display_name"],
                    avatar=form.cleaned_data["avatar"],
                    remove_avatar=form.cleaned_data.get("remove_avatar", False),
                    preferred_language=form.cleaned_data["preferred_language"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                response = redirect("profile")
                if user.preferred_language:
                    # The confirmation is shown on the next page, which is already in the new language.
                    translation.activate(user.preferred_language)
                    language_cookie_set(response, user.preferred_language)
                messages.success(request, _("Your profile has been saved."))
                return response
    else:
        form = ProfileForm(
            initial={"display_name": user.display_name, "preferred_language": user.preferred_language},
            has_avatar=bool(user.avatar),
        )
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
def language_switch(request):
    """Django's ``set_language``, which also remembers the choice on a logged-in user's profile.

    A visitor who is not logged in switches with GET: it only sets the language cookie, and a form
    without a CSRF token keeps the pages they see free of per-visitor data, so that they can be
    served from the anonymous page cache (``hub.page_cache``). A logged-in user's choice is saved
    on their profile, a write, so it takes a POST with its CSRF token.

    An unknown language is refused with 400 (the form only offers valid ones, so only a forged
    request sends anything else); an unsafe ``next`` falls back to the referring page or home.
    """
    if request.method == "GET" and request.user.is_authenticated:
        return HttpResponseNotAllowed(["POST"])
    data = request.POST if request.method == "POST" else request.GET
    language = data.get("language", "")
    if not language_is_available(language):
        return HttpResponseBadRequest(_("Unknown language."))

    next_url = data.get("next") or request.META.get("HTTP_REFERER")
    if not _is_safe_url(request, next_url):
        next_url = request.META.get("HTTP_REFERER")
        if not _is_safe_url(request, next_url):
            next_url = "/"
    next_url = translate_url(next_url, language)

    if request.user.is_authenticated:
        preferred_language_set(user=request.user, language=language)
    return language_cookie_set(HttpResponseRedirect(next_url), language)


def _is_safe_url(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(
        url=url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
