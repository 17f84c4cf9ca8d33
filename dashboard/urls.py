from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.comparison, name="comparison"),
]


def hub_routes():
    """The addresses below a hub (``cms.hub_routes``): ``dashboard/`` and ``dashboard/csv/<section>/``.

    Not ``<section>.csv``: Wagtail serves only paths of word characters and hyphens that end in a slash."""
    return [
        path("dashboard/", views.hub_dashboard, name="dashboard_hub"),
        path("dashboard/csv/<slug:section>/", views.hub_dashboard_csv, name="dashboard_hub_csv"),
    ]
