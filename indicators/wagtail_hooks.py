"""Indicators in the Wagtail admin (the "Indicators" menu and its views, see ``indicators.admin``) and
the public pages below each hub (``cms.hub_routes``). Wagtail serves only addresses of letters,
digits, ``_`` and ``-`` ending in ``/``: hence ``csv/`` rather than ``data.csv``."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.hub_routes import HubSection
from cms.models import HubPage
from indicators import services, views
from indicators.admin import views as admin_views
from indicators.admin.access import can_use_indicators_admin


@hooks.register("register_admin_urls")
def register_indicators_admin_urls():
    return [
        path("indicators/", admin_views.IndicatorsIndexView.as_view(), name=admin_views.INDEX_URL_NAME),
        path("indicators/import/", admin_views.IndicatorsImportView.as_view(), name="indicators_admin_import"),
        path("indicators/<int:pk>/", admin_views.IndicatorClassifyView.as_view(), name="indicators_admin_edit"),
        path(
            "indicators/hubs/<int:hub_id>/perspectives/",
            admin_views.PerspectivesView.as_view(),
            name="indicators_admin_perspectives",
        ),
        path(
            "indicators/perspectives/<int:pk>/",
            admin_views.PerspectiveEditView.as_view(),
            name="indicators_admin_perspective_edit",
        ),
    ]


class IndicatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_indicators_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_indicators_menu_item():
    return IndicatorsMenuItem(
        _("Indicators"), reverse(admin_views.INDEX_URL_NAME), name="indicators", icon_name="table", order=320
    )


@hooks.register("register_hub_routes")
def indicator_routes():
    return [
        path("indicators/", views.indicator_list, name="indicator_list"),
        path("indicators/<str:code>/", views.indicator_detail, name="indicator_detail"),
        path("indicators/<str:code>/csv/", views.indicator_csv, name="indicator_csv"),
    ]


@hooks.register("after_create_page")
def perspectives_for_new_hub(request, page):
    """A new hub (in the admin or by ``cms.services.hub_create``) starts with the KS perspectives, so the
    admin pages only read them: no write on a GET. A hub made before this hook gets them on its first
    import, or from the button on its perspectives page."""
    if isinstance(page.specific, HubPage):
        services.perspectives_ensure(page.specific)


@hooks.register("register_hub_section")
def indicators_hub_section():
    return HubSection(_("Indicators"), "indicators/", order=50)
