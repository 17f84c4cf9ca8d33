"""Events in the Wagtail admin (the "Events" menu and its views, see ``events.admin``) and the public
pages below each hub (``cms.hub_routes``). Wagtail serves only addresses of letters, digits, ``_``
and ``-`` ending in ``/``: hence ``ical/`` rather than ``event.ics``."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.hub_routes import HubSection
from events import views
from events.admin import views as admin_views
from events.admin.access import can_use_events_admin


@hooks.register("register_admin_urls")
def register_events_admin_urls():
    return [
        path("events/", admin_views.EventsIndexView.as_view(), name=admin_views.INDEX_URL_NAME),
        path("events/new/", admin_views.EventCreateView.as_view(), name="events_admin_create"),
        path("events/<int:pk>/", admin_views.EventEditView.as_view(), name="events_admin_edit"),
        path(
            "events/<int:pk>/registrations/",
            admin_views.RegistrationsView.as_view(),
            name="events_admin_registrations",
        ),
        path(
            "events/<int:pk>/registrations/csv/",
            admin_views.registrations_csv,
            name="events_admin_registrations_csv",
        ),
    ]


class EventsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_events_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_events_menu_item():
    return EventsMenuItem(_("Events"), reverse(admin_views.INDEX_URL_NAME), name="events", icon_name="date", order=330)


@hooks.register("register_hub_routes")
def event_routes():
    return [
        path("events/", views.event_list, name="event_list"),
        path("events/calendar/", views.event_calendar, name="event_calendar"),
        path("events/ical/", views.hub_ical, name="event_hub_ical"),
        path("events/project/<int:project_id>/ical/", views.project_ical, name="event_project_ical"),
        path("events/<int:pk>/", views.event_detail, name="event_detail"),
        path("events/<int:pk>/ical/", views.event_ical, name="event_ical"),
    ]


@hooks.register("register_hub_section")
def events_hub_section():
    return HubSection(_("Events"), "events/", order=30)
