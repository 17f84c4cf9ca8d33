"""Notification pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cms.forms import add_service_errors
from notifications import centre, following, services
from notifications.emails import EMAILED_BY_SOURCE, email_frequencies, email_preferences_save
from notifications.models import EmailFrequency, EventKind
from notifications.unsubscribe import ALL, InvalidToken, unsubscribe, unsubscribe_token_read, unsubscribe_user

# --- E-mail preferences and unsubscribing (notifications.emails, notifications.unsubscribe) -------


class EmailPreferencesForm(forms.Form):
    """One radio group per kind of event: how often to be e-mailed about it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in EventKind:
            if kind in EMAILED_BY_SOURCE:
                continue
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=EmailFrequency.choices,
                widget=forms.RadioSelect(attrs={"class": "ds-input"}),
            )


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    """The logged-in person chooses, per kind of event, immediately, daily, weekly or never."""
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            try:
                email_preferences_save(user=request.user, frequencies=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your e-mail choices have been saved."))
                return redirect("notifications:email_settings")
    else:
        form = EmailPreferencesForm(initial=email_frequencies(request.user))
    return render(request, "notifications/email_settings.html", {"form": form, "frequencies": EmailFrequency.choices})


@csrf_exempt  # The signed token authenticates the request; mail clients POST without a CSRF token (RFC 8058).
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token: str):
    """GET asks for confirmation (link checkers and previews must not unsubscribe anyone); POST, from
    the page's button or a mail client's one-click ``List-Unsubscribe=One-Click``, unsubscribes."""
    try:
        user = unsubscribe_user(token)
        _user_id, kind = unsubscribe_token_read(token)
    except InvalidToken:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        unsubscribe(token=token)
        done = True
    context = {
        "done": done,
        "all": kind == ALL,
        "kind_label": "" if kind == ALL else EventKind(kind).label,
        "logged_in_as_owner": request.user.is_authenticated and request.user.pk == user.pk,
    }
    # The e-mail was written in the recipient's language; the page they land on from it speaks it too.
    with translation.override(user.preferred_language or translation.get_language()):
        return render(request, "notifications/unsubscribe.html", context)


# --- Following and the notification centre (notifications.following, notifications.centre) -------


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _safe_next(request, fallback: str) -> str:
    """The ``next`` the form carried (the page it was on), if it is on this site; else ``fallback``."""
    url = request.POST.get("next") or ""
    hosts = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=request.is_secure()):
        return url
    return fallback


def _followable(request, kind: str, pk: int):
    target = following.target_get(kind, pk)
    if target is None or not following.can_see(request.user, target):
        raise Http404
    return target


@login_required
@require_http_methods(["POST"])
def follow_view(request, kind: str, pk: int):
    """The follow button (a plain form: no JavaScript needed); back to the page it was on."""
    target = _followable(request, kind, pk)
    services.follow(user=request.user, target=target)
    messages.success(request, _("You now follow “%(title)s”.") % {"title": following.target_title(target)})
    return _see_other(_safe_next(request, reverse("notifications:following")))


@login_required
@require_http_methods(["POST"])
def unfollow_view(request, kind: str, pk: int):
    """Stop following; remembered, so an automatic follow does not come back."""
    target = _followable(request, kind, pk)
    services.unfollow(user=request.user, target=target)
    messages.success(request, _("You no longer follow “%(title)s”.") % {"title": following.target_title(target)})
    return _see_other(_safe_next(request, reverse("notifications:following")))


@login_required
@never_cache
@require_http_methods(["GET"])
def following_list(request):
    """What I follow, grouped by kind, each with a Stop following button."""
    return render(request, "notifications/following.html", {"groups": following.followed_groups(request.user, request)})


@login_required
@never_cache
@require_http_methods(["GET"])
def notification_centre(request):
    """The person's notifications, newest first, a page at a time, in their language."""
    notifications = centre.with_relations(centre.visible_notifications(request.user))
    paginator = Paginator(notifications, centre.PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page_obj.number),
        "items": [centre.item_context(notification) for notification in page_obj],
        "unread": centre.bell(request.user).unread,
    }
    return render(request, "notifications/centre.html", context)


@login_required
@require_http_methods(["GET"])
def notification_open(request, pk: int):
    """Follow a notification's link from the centre: it is read now."""
    notification = centre.visible_notifications(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        services.mark_read(user=request.user, notification_ids=[notification.pk])
    url = notification.url
    if not (url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})):
        url = reverse("notifications:centre")
    return redirect(url)


def _marked(request):
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"unread": centre.unread_count(request.user)})
    return _see_other(_safe_next(request, reverse("notifications:centre")))


@login_required
@require_http_methods(["POST"])
def notification_mark_read(request, pk: int):
    """Mark one notification read (someone else's id changes nothing)."""
    services.mark_read(user=request.user, notification_ids=[pk])
    return _marked(request)


@login_required
@require_http_methods(["POST"])
def notifications_mark_all_read(request):
    changed = services.mark_read(user=request.user)
    if changed and "application/json" not in request.headers.get("Accept", ""):
        messages.success(request, _("All your notifications are marked as read."))
    return _marked(request)
