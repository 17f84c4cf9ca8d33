"""A hub's events on the public site, as hub routes (``cms.hub_routes``, registered in ``wagtail_hooks``):

- ``<hub>/events/``: upcoming or past events, filtered by kind and goal with a GET form;
- ``<hub>/events/calendar/``: a month as a table (``?month=2026-12``);
- ``<hub>/events/<id>/``: one event, with registration (POST, logged in) and cancellation;
- ``<hub>/events/<id>/ical/``, ``<hub>/events/ical/``, ``<hub>/events/project/<id>/ical/``:
  iCalendar (Wagtail serves only addresses ending in ``/``, hence no ``.ics`` in the path; the
  file name is given in ``Content-Disposition``).

Anonymous visitors get no form token (the page stays in the anonymous page cache); the
registration form is shown to people who are logged in.
"""

import re
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.forms import add_service_errors
from cms.markdown import markdown_html
from cms.rate_limits import rate_limit_hit, rate_limited_message, with_retry_after
from cms.selectors import page_breadcrumbs
from events import ical, selectors, services
from events.forms import RegistrationForm
from events.models import OSLO, EventKind, RegistrationStatus
from events.permissions import can_cancel_registration, can_edit_event, can_view_event, registration_open

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def events_url(hub) -> str:
    return f"{hub.url}events/"


def event_url(event) -> str:
    return f"{event.hub.url}events/{event.pk}/"


def _base_context(request, hub) -> dict:
    return {
        "hub": hub,
        "breadcrumbs": [*page_breadcrumbs(hub, Site.find_for_request(request)), hub],
        "events_url": events_url(hub),
    }


def event_list(request, hub):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    kind = request.GET.get("kind", "")
    kind = kind if kind in EventKind.values else ""
    goals = selectors.hub_goals(hub)
    chosen_goal = next((goal for goal in goals if str(goal.number) == request.GET.get("goal", "")), None)
    events = list(
        selectors.hub_events(
            hub, when=when, kind=kind, goal_number=chosen_goal.number if chosen_goal is not None else None
        )
    )
    context = _base_context(request, hub)
    context.update(
        {
            "events": events,
            "when": when,
            "kind": kind,
            "kinds": EventKind.choices,
            "goals": goals,
            "goal": chosen_goal,
            "calendar_url": f"{events_url(hub)}calendar/",
            "ical_url": f"{events_url(hub)}ical/",
        }
    )
    return render(request, "events/event_list.html", context)


def event_calendar(request, hub):
    today = timezone.localtime(timezone.now(), OSLO).date()
    year, month = today.year, today.month
    if match := _MONTH.match(request.GET.get("month", "")):
        chosen_year, chosen_month = int(match[1]), int(match[2])
        if 2000 <= chosen_year <= 2100 and 1 <= chosen_month <= 12:
            year, month = chosen_year, chosen_month
    context = _base_context(request, hub)
    context.update(
        {
            "month": selectors.month_calendar(hub, year, month),
            "today": today,
            "calendar_url": f"{events_url(hub)}calendar/",
        }
    )
    return render(request, "events/event_calendar.html", context)


def _event_or_404(request, hub, pk: int):
    event = selectors.hub_event(hub, pk)
    if event is None or not can_view_event(request.user, event):
        raise Http404(_("There is no event here with that number."))
    return event


def event_detail(request, hub, pk: int):
    event = _event_or_404(request, hub, pk)
    registration = selectors.registration_of(request.user, event)
    form = None
    wait = None
    if request.user.is_authenticated and registration_open(event):
        form = RegistrationForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        if wait := rate_limit_hit(request, "event-registration"):
            message = rate_limited_message(wait)
            if form is not None:
                form.add_error(None, message)
            else:
                messages.error(request, message)
        elif request.POST.get("action") == "cancel":
            return _cancel(request, event, registration)
        elif form is None:
            messages.error(request, _("Registration for this event is closed."))
            return redirect(event_url(event))
        elif form.is_valid():
            try:
                registration = services.registration_create(user=request.user, event=event, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied:
                messages.error(request, _("Registration for this event is closed."))
                return redirect(event_url(event))
            else:
                if registration.status == RegistrationStatus.REGISTERED:
                    messages.success(request, _("You are registered for “%(title)s”.") % {"title": event.title})
                else:
                    messages.success(
                        request,
                        _("The event is full: you are on the waiting list for “%(title)s”.") % {"title": event.title},
                    )
                return redirect(event_url(event))
    context = _base_context(request, hub)
    active = registration if registration is not None and registration.status != RegistrationStatus.CANCELLED else None
    context.update(
        {
            "event": event,
            "description_html": mark_safe(markdown_html(event.description)),  # sanitised by cms.markdown
            "registration": active,
            "waiting_position": selectors.waiting_position(active)
            if active is not None and active.status == RegistrationStatus.WAITING
            else None,
            "can_cancel": active is not None and can_cancel_registration(request.user, active),
            "form": form if active is None else None,
            "registration_open": registration_open(event),
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
            "ical_url": f"{event_url(event)}ical/",
            "can_edit": can_edit_event(request.user, event),
            "partners": list(event.partners.all()),
        }
    )
    response = render(request, "events/event_detail.html", context, status=429 if wait else 200)
    return with_retry_after(response, wait)


def _cancel(request, event, registration):
    if registration is None or not can_cancel_registration(request.user, registration):
        messages.error(request, _("You have no registration to cancel for this event."))
        return redirect(event_url(event))
    services.registration_cancel(user=request.user, registration=registration)
    messages.success(request, _("Your registration for “%(title)s” is cancelled.") % {"title": event.title})
    return redirect(event_url(event))


def _calendar_response(request, events, *, filename: str, name: str = "") -> HttpResponse:
    domain = request.get_host().split(":")[0] or "dugnad"
    body = ical.calendar(
        ((event, request.build_absolute_uri(event_url(event))) for event in events), domain=domain, name=name
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ical(request, hub, pk: int):
    event = _event_or_404(request, hub, pk)
    return _calendar_response(request, [event], filename=f"event-{event.pk}.ics", name=event.title)


def hub_ical(request, hub):
    events = selectors.hub_events(hub, when="upcoming")
    return _calendar_response(request, events, filename=f"{hub.slug}-events.ics", name=hub.title)


def project_ical(request, hub, project_id: int):
    from projects.models import ProjectPage
    from projects.permissions import can_view_project

    project = ProjectPage.objects.live().descendant_of(hub).filter(pk=project_id).first()
    if project is None or not can_view_project(request.user, project):
        raise Http404(_("There is no project here with that number."))
    return _calendar_response(
        request, selectors.project_events(project), filename=f"{project.slug}-events.ics", name=project.title
    )


def month_param(day: date) -> str:
    return day.strftime("%Y-%m")
