"""What every app's Wagtail admin asks about hubs: which hubs someone coordinates, who coordinates
any, and the refusal page.

Coordinators are not given Django model permissions: what they may see in the admin follows from
the hubs they coordinate (``HubPage.coordinators_group``). Site administrators see every hub.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.roles import SITE_ADMINISTRATORS
from cms.models import HubPage
from cms.permissions import is_site_administrator


def forbidden(request) -> HttpResponseForbidden:
    """A real 403 page in the admin's look.

    Wagtail turns a raised PermissionDenied into a redirect to the dashboard; for a download or a
    decision that someone may not make, an explicit refusal is clearer (and testable).
    """
    response = render(
        request,
        "cms/admin/forbidden.html",
        {"page_title": _("Not allowed"), "header_title": _("Not allowed"), "breadcrumbs_items": []},
        status=403,
    )
    return HttpResponseForbidden(response.content)


def coordinated_hubs(user) -> QuerySet[HubPage]:
    """The hubs this person coordinates: their own, or every hub for site administrators."""
    if is_site_administrator(user):
        return HubPage.objects.all().order_by("title")
    if user is None or not user.is_authenticated or not user.is_active:
        return HubPage.objects.none()
    return HubPage.objects.filter(coordinators_group__in=user.groups.all()).order_by("title")


@dataclass(frozen=True)
class HubsShown:
    """An admin list's hubs: every hub the person coordinates, and those shown (one, if ``?hub=`` chose it)."""

    hubs: list[HubPage]
    shown: list[HubPage]

    @property
    def chosen(self) -> HubPage | None:
        return self.shown[0] if len(self.shown) == 1 else None

    @property
    def shown_ids(self) -> list[int]:
        return [hub.pk for hub in self.shown]


def hubs_shown(user, chosen: str) -> HubsShown:
    """The hubs an admin list shows for ``?hub=<chosen>``: that hub if the person coordinates it, else all."""
    hubs = list(coordinated_hubs(user))
    return HubsShown(hubs=hubs, shown=[hub for hub in hubs if str(hub.pk) == chosen] or hubs)


def users_who_coordinate() -> QuerySet:
    """Active people who coordinate some hub, and the site administrators."""
    coordinator_groups = HubPage.objects.exclude(coordinators_group=None).values("coordinators_group")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=SITE_ADMINISTRATORS) | Q(groups__in=coordinator_groups))
        .distinct()
    )
