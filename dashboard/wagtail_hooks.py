"""The dashboard's addresses below every hub (``register_hub_routes``)."""

from wagtail import hooks

from dashboard.urls import hub_routes


@hooks.register("register_hub_routes")
def dashboard_hub_routes():
    return hub_routes()
