"""Consultations in the Wagtail admin (``consultations.admin``) and the public pages below each hub
(``cms.hub_routes``). Wagtail serves only addresses of letters, digits, ``_`` and ``-`` ending in
``/``: hence ``results/csv/``."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.hub_routes import HubSection
from consultations import views
from consultations.admin import views as admin_views
from consultations.admin.views import can_use_consultations_admin


@hooks.register("register_admin_urls")
def register_consultations_admin_urls():
    return [
        path("consultations/", admin_views.index, name=admin_views.INDEX_URL_NAME),
        path("consultations/new/", admin_views.edit, name="consultations_admin_create"),
        path("consultations/<int:pk>/", admin_views.edit, name="consultations_admin_edit"),
        path("consultations/<int:pk>/manage/", admin_views.manage, name="consultations_admin_manage"),
        path("consultations/codes/<int:code_id>/void/", admin_views.code_void, name="consultations_admin_code_void"),
        path(
            "consultations/answers/<int:answer_id>/moderate/",
            admin_views.moderate,
            name="consultations_admin_moderate",
        ),
    ]


class ConsultationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_consultations_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_consultations_menu_item():
    return ConsultationsMenuItem(
        _("Consultations"), reverse(admin_views.INDEX_URL_NAME), name="consultations", icon_name="list-ul", order=330
    )


@hooks.register("register_hub_routes")
def consultation_routes():
    return [
        path("consultations/", views.consultation_list, name="consultation_list"),
        path("consultations/code/", views.code_entry, name="consultation_code"),
        path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
        path("consultations/<int:pk>/results/", views.consultation_results, name="consultation_results"),
        path("consultations/<int:pk>/results/csv/", views.consultation_results_csv, name="consultation_results_csv"),
    ]


@hooks.register("register_hub_section")
def consultations_hub_section():
    return HubSection(_("Consultations"), "consultations/", order=20)
