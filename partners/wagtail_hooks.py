"""The partners registry in the Wagtail admin: the "Partners" menu, its views and the dashboard panel.

The permission policies are registered first, before any viewset asks Wagtail for one (Wagtail
would otherwise create its default model-permission policy and refuse ours). The hook that gives
each new hub its partner directory is in ``partners.hub_hooks``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from partners.admin.access import (
    can_use_partners_admin,
    partner_permission_policy,
    partner_terms_permission_policy,
    partnership_permission_policy,
)
from partners.models import Partner, Partnership, PartnerTerms

register_permission_policy(Partnership, partnership_permission_policy)
register_permission_policy(Partner, partner_permission_policy)
register_permission_policy(PartnerTerms, partner_terms_permission_policy)

from partners.admin import views as admin_views  # noqa: E402 (after the policies: importing views may build viewsets)
from partners.admin.viewsets import PartnersViewSetGroup  # noqa: E402


@hooks.register("register_admin_viewset")
def register_partners_viewsets():
    return PartnersViewSetGroup()


@hooks.register("register_admin_urls")
def register_partners_admin_urls():
    hub = "partners/hubs/<int:hub_id>"
    return [
        path("partners/hubs/", admin_views.PartnerHubsView.as_view(), name="partners_admin_hubs"),
        path(f"{hub}/export.csv", admin_views.partners_export_view, name="partners_admin_export"),
        path(f"{hub}/import/", admin_views.PartnersImportView.as_view(), name="partners_admin_import"),
    ]


class PartnerHubsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_partners_admin(request.user)


@hooks.register("register_partners_admin_menu_item")
def register_partner_hubs_menu_item():
    return PartnerHubsMenuItem(
        _("Export and import"), reverse("partners_admin_hubs"), name="partner-hubs", icon_name="download", order=10
    )


@hooks.register("construct_homepage_panels")
def add_pending_partnerships_panel(request, panels):
    if can_use_partners_admin(request.user):
        panels.append(admin_views.PendingPartnershipsPanel(request))
