"""The coordinators' events in the Wagtail admin: the list, the event form, the registration list and its CSV.

Registered under ``/admin/events/`` by ``events.wagtail_hooks`` (so Wagtail's admin login and access
checks apply first); each view then checks that the person coordinates the event's hub.
"""

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages

from cms.admin.access import coordinated_hubs, forbidden, hubs_shown
from cms.admin.views import AppAdminView
from cms.forms import add_service_errors
from events import selectors, services
from events.admin.access import can_use_events_admin, event_for, hub_for
from events.forms import EventForm
from events.models import Event, RegistrationStatus

INDEX_URL_NAME = "events_admin_index"
CSV_COLUMNS = ("name", "email", "status", "dietary_needs", "accessibility_needs", "registered_at")


def index_url(hub=None) -> str:
    return reverse(INDEX_URL_NAME) + (f"?hub={hub.pk}" if hub is not None else "")


class _AdminView(AppAdminView):
    header_icon = "date"
    index_url_name = INDEX_URL_NAME
    index_label = gettext_lazy("Events")


class EventsIndexView(_AdminView, TemplateView):
    """The events of the hubs this person coordinates (one hub at a time with ``?hub=``)."""

    template_name = "events/admin/index.html"
    page_title = gettext_lazy("Events")
    is_index = True

    def dispatch(self, request, *args, **kwargs):
        if not can_use_events_admin(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hubs = hubs_shown(self.request.user, self.request.GET.get("hub", ""))
        context.update(
            hubs=hubs.hubs,
            chosen_hub=hubs.chosen,
            events=list(selectors.admin_event_list(hubs.shown_ids)),
        )
        return context


class _EventFormView(_AdminView, FormView):
    template_name = "events/admin/edit.html"
    form_class = EventForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(hub=self.hub, instance=self.event)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(hub=self.hub, event=self.event if self.event.pk else None)
        return context

    def form_valid(self, form):
        event = form.save(commit=False)
        try:
            services.event_save(
                actor=self.request.user,
                event=event,
                goals=form.cleaned_data["goals"],
                partners=form.cleaned_data["partners"],
            )
        except PermissionDenied:
            return forbidden(self.request)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(title)s” is saved.") % {"title": event.title})
        return redirect(index_url(self.hub))


class EventCreateView(_EventFormView):
    page_title = gettext_lazy("New event")

    def dispatch(self, request, *args, **kwargs):
        if not can_use_events_admin(request.user):
            return forbidden(request)
        hubs = list(coordinated_hubs(request.user))
        chosen = request.GET.get("hub") or (str(hubs[0].pk) if len(hubs) == 1 else "")
        if not chosen:
            return redirect(index_url())
        self.hub = hub_for(request.user, chosen) if chosen.isdigit() else None
        if self.hub is None:
            return forbidden(request)
        self.event = Event(hub=self.hub)
        return super().dispatch(request, *args, **kwargs)


class EventEditView(_EventFormView):
    page_title = gettext_lazy("Edit event")

    def dispatch(self, request, *args, **kwargs):
        self.event = event_for(request.user, kwargs["pk"])
        if self.event is None:
            return forbidden(request)
        self.hub = self.event.hub
        if request.method == "POST" and request.POST.get("action") == "cancel-event":
            services.event_cancel(actor=request.user, event=self.event)
            messages.success(request, _("“%(title)s” is cancelled.") % {"title": self.event.title})
            return redirect(index_url(self.hub))
        return super().dispatch(request, *args, **kwargs)


class RegistrationsView(_AdminView, TemplateView):
    """Who registered for one event: seats, waiting list, cancellations, and the needs asked for."""

    template_name = "events/admin/registrations.html"
    page_title = gettext_lazy("Registrations")

    def dispatch(self, request, *args, **kwargs):
        self.event = event_for(request.user, kwargs["pk"])
        if self.event is None:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = list(selectors.event_registrations(self.event))
        context.update(
            event=self.event,
            registrations=registrations,
            registered=sum(1 for r in registrations if r.status == RegistrationStatus.REGISTERED),
            waiting=sum(1 for r in registrations if r.status == RegistrationStatus.WAITING),
            csv_url=reverse("events_admin_registrations_csv", args=[self.event.pk]),
        )
        return context


def _csv_cell(value) -> str:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def registrations_csv(request, pk: int):
    event = event_for(request.user, pk)
    if event is None:
        return forbidden(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # for Excel, as the other CSV downloads
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for registration in selectors.event_registrations(event):
        user = registration.user
        writer.writerow(
            [
                _csv_cell(cell)
                for cell in (
                    user.display_name or user.get_full_name(),
                    user.email,
                    registration.status,
                    registration.dietary_needs,
                    registration.accessibility_needs,
                    registration.created_at.isoformat(),
                )
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-registrations.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
