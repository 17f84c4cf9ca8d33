"""The profile page, the language switcher, and one's own data (download, closing the account)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import AccountCloseForm, ProfileForm
from accounts.language import language_cookie_set, language_is_available
from accounts.models import DataExport
from accounts.services import (
    account_close,
    data_export_request,
    preferred_language_set,
    profile_update,
)


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
    """Django's ``set_language`` for the header's language menu, a list of plain links.

    It sets the language cookie and, for a logged-in user, remembers the choice on their profile.
    The menu is links (GET), not a form, so that pages hold no CSRF token and anonymous visitors'
    pages can be served from the anonymous page cache (``hub.page_cache``). Saving the preference
    is a write, so a GET saves it only when the browser says the request came from this site
    (``Sec-Fetch-Site``, else a same-site ``Referer``): a link on another site can at most set the
    cookie, as it could for anyone. A POST (with its CSRF token) is still accepted.

    An unknown language is refused with 400 (the menu only offers valid ones, so only a forged
    request sends anything else); an unsafe ``next`` falls back to the referring page or home.
    """
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

    if request.user.is_authenticated and (request.method == "POST" or _is_same_site(request)):
        preferred_language_set(user=request.user, language=language)
    response = language_cookie_set(HttpResponseRedirect(next_url), language)
    # The redirect depends on the visitor and writes: never from a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _is_same_site(request):
    """True if the browser says this request comes from one of this site's own pages (or was typed)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    return _is_safe_url(request, request.META.get("HTTP_REFERER"))


def _is_safe_url(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(
        url=url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


# --- Own data --------------------------------------------------------------------------------------

EXPORT_SALT = "accounts.data-export"


def _download_token(data_export: DataExport) -> str:
    return signing.dumps(data_export.pk, salt=EXPORT_SALT)


@login_required
@require_http_methods(["GET", "POST"])
def personal_data(request):
    """Download a copy of one's data (built in the background) or go on to close the account."""
    if request.method == "POST":
        data_export_request(user=request.user)
        messages.success(
            request, _("We are putting together a copy of your data. We will e-mail you when it is ready.")
        )
        return redirect("personal_data")
    current = request.user.data_exports.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    exports = [{"export": item, "token": _download_token(item) if item.ready_at else ""} for item in current]
    return render(request, "accounts/personal_data.html", {"exports": exports})


@login_required
def data_export_download(request, token: str):
    """The ZIP, for the person it belongs to, while the signed link is valid."""
    try:
        export_id = signing.loads(token, salt=EXPORT_SALT, max_age=settings.DATA_EXPORT_DAYS * 24 * 3600)
    except signing.BadSignature as error:
        raise Http404(_("This download link is not valid any more. Ask for a new copy.")) from error
    data_export = DataExport.objects.filter(pk=export_id, user=request.user, ready_at__isnull=False).first()
    path = settings.DATA_EXPORT_ROOT / data_export.file_name if data_export else None
    if path is None or not path.exists() or data_export.expires_at < timezone.now():
        raise Http404(_("This download link is not valid any more. Ask for a new copy."))
    filename = f"dugnad-data-{data_export.ready_at:%Y-%m-%d}.zip"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type="application/zip")


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    """Close one's own account, confirmed with the password; erased after the grace period."""
    form = AccountCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_close(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["password"],
                remove_comment_text=form.cleaned_data["remove_comment_text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(
                request,
                _("Your account is closed. Your personal data will be erased within %(days)s days.")
                % {"days": settings.ACCOUNT_ERASURE_GRACE_DAYS},
            )
            return redirect("/")
    return render(
        request, "accounts/close_account.html", {"form": form, "grace_days": settings.ACCOUNT_ERASURE_GRACE_DAYS}
    )
