from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.comparison, name="comparison"),
]


def hub_routes():
    """The addresses below a hub (``cms.hub_routes``): ``dashboard/`` and ``dashboard/csv/<section>/`` (Wagtail serves only paths of word characters and hyphens ending in a slash, so no ``.csv``)."""
    return [
        path("dashboard/", views.hub_dashboard, name="dashboard_hub"),
        path("dashboard/csv/<slug:section>/", views.hub_dashboard_csv, name="dashboard_hub_csv"),
    ]
