"""Wagtail admin: "Close account" on the user listing, for those who may close others' accounts."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from accounts.admin.views import AccountCloseOnRequestView
from accounts.permissions import can_close_account


@hooks.register("register_admin_urls")
def register_account_admin_urls():
    return [path("accounts/close/<int:user_id>/", AccountCloseOnRequestView.as_view(), name="account_close_on_request")]


@hooks.register("register_user_listing_buttons")
def account_close_button(user, request_user):
    if user.pk == request_user.pk or user.closed_at is not None or not can_close_account(request_user, user):
        return []
    return [
        Button(
            _("Close account"),
            url=reverse("account_close_on_request", args=[user.pk]),
            icon_name="bin",
            priority=60,
        )
    ]
