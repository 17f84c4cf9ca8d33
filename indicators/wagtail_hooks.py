"""The indicators' public pages below each hub (``cms.hub_routes``). Wagtail serves only addresses of
letters, digits, ``_`` and ``-`` ending in ``/``: hence ``csv/`` rather than ``data.csv``."""

from django.urls import path
from wagtail import hooks

from indicators import views


@hooks.register("register_hub_routes")
def indicator_routes():
    return [
        path("indicators/", views.indicator_list, name="indicator_list"),
        path("indicators/<str:code>/", views.indicator_detail, name="indicator_detail"),
        path("indicators/<str:code>/csv/", views.indicator_csv, name="indicator_csv"),
    ]
