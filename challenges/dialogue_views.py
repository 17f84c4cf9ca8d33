"""The market dialogue's pages below a challenge (hub routes, registered in ``wagtail_hooks``):

- ``dialogue/meetings/new/``: a coordinator announces a dialogue meeting (an event of the hub);
- ``dialogue/slots/new/``: a coordinator makes a series of one-to-one slots;
- ``dialogue/slots/<id>/``: the slots, free or taken; a supplier books (POST) one for their
  organisation; coordinators and evaluators see who booked each;
- ``dialogue/slots/<id>/cancel/``: the organisation cancels its booking (POST);
- ``dialogue/slots/<id>/summary/``: a coordinator publishes the summary after the meetings.

Permissions are ``challenges.permissions``'; forms post with CSRF tokens and are rate limited.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges import dialogue, dialogue_selectors, permissions
from challenges.dialogue_forms import DialogueMeetingForm, DialogueSummaryForm, SlotBookingForm, SlotSeriesForm
from challenges.views import _apply_errors, _challenge, _context, _rate_limited
from cms.markdown import markdown_html
from events.models import OSLO
from partners.models import Partner


def _coordinator_challenge(request, hub, slug):
    """The challenge, for a coordinator of its hub; None means: send them to log in."""
    challenge = _challenge(request, hub, slug)
    if not request.user.is_authenticated:
        return None
    if not permissions.can_manage_dialogue(request.user, challenge):
        raise Http404
    return challenge


def meeting_create(request, hub, slug):
    challenge = _coordinator_challenge(request, hub, slug)
    if challenge is None:
        return redirect_to_login(request.get_full_path())
    form = DialogueMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _rate_limited(request, form):
        try:
            dialogue.dialogue_meeting_create(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The dialogue meeting is announced and the followers told."))
            return HttpResponseRedirect(f"{challenge.url}#dialogue")
    return render(
        request,
        "challenges/dialogue/meeting_form.html",
        _context(request, hub, challenge, form=form),
        status=400 if form.errors else 200,
    )


def series_create(request, hub, slug):
    challenge = _coordinator_challenge(request, hub, slug)
    if challenge is None:
        return redirect_to_login(request.get_full_path())
    form = SlotSeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _rate_limited(request, form):
        data = form.cleaned_data
        try:
            series = dialogue.slot_series_create(
                actor=request.user,
                challenge=challenge,
                title=data["title"],
                starts_at=data["starts_at"],
                slot_minutes=data["slot_minutes"],
                slot_count=data["slot_count"],
                pause_minutes=data.get("pause_minutes") or 0,
                place=data["place"],
                online_url=data["online_url"],
                booking_closes_at=data.get("booking_closes_at"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The one-to-one meetings can now be booked."))
            return HttpResponseRedirect(f"{challenge.url}dialogue/slots/{series.pk}/")
    return render(
        request,
        "challenges/dialogue/series_form.html",
        _context(request, hub, challenge, form=form),
        status=400 if form.errors else 200,
    )


def _series(request, hub, slug, series_id):
    challenge = _challenge(request, hub, slug)
    series = dialogue_selectors.series_for(challenge, series_id)
    if series is None:
        raise Http404
    return challenge, series


def _slot_label(slot) -> str:
    start = timezone.localtime(slot.starts_at, OSLO)
    end = timezone.localtime(slot.ends_at, OSLO)
    return f"{formats.date_format(start, 'DATE_FORMAT')} {start:%H:%M}–{end:%H:%M}"


def series_detail(request, hub, slug, series_id):
    """The slots of a series; a POST books one."""
    challenge, series = _series(request, hub, slug, series_id)
    user = request.user
    rows = dialogue_selectors.series_slots(user, series)
    can_book = dialogue_selectors.may_book(user, series, rows)
    form = None
    if can_book:
        partners = Partner.objects.filter(members__user=user).exclude(organisation_number="")
        partners = partners.order_by("name").distinct()
        form = SlotBookingForm(
            request.POST or None,
            slots=[(r.slot.pk, _slot_label(r.slot)) for r in rows if not r.taken],
            partners=partners,
        )
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is None:
            raise PermissionDenied
        if form.is_valid() and not _rate_limited(request, form):
            data = form.cleaned_data
            slot = next(r.slot for r in rows if r.slot.pk == data["slot"])
            try:
                dialogue.slot_book(
                    actor=user,
                    slot=slot,
                    partner=data.get("partner"),
                    organisation_number=data.get("organisation_number", ""),
                    organisation_name=data.get("organisation_name", ""),
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("Your meeting is booked. Only your organisation and the buyer see who booked it.")
                )
                return HttpResponseRedirect(request.path)
    own = next((r.booking for r in rows if r.own), None)
    return render(
        request,
        "challenges/dialogue/series_detail.html",
        _context(
            request,
            hub,
            challenge,
            series=series,
            rows=rows,
            free=sum(1 for r in rows if not r.taken),
            taken=sum(1 for r in rows if r.taken),
            total=len(rows),
            form=form,
            own_booking=own,
            can_cancel=own is not None and series.booking_open,
            can_see_bookings=permissions.can_see_bookings(user, challenge),
            can_publish_summary=permissions.can_publish_dialogue_summary(user, series),
            summary_html=markdown_html(series.summary) if series.summary_published else "",
        ),
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def booking_cancel(request, hub, slug, series_id):
    challenge, series = _series(request, hub, slug, series_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{challenge.url}dialogue/slots/{series.pk}/")
    own = dialogue_selectors.own_bookings(request.user, challenge).get(series.pk)
    if own is None:
        raise Http404
    try:
        dialogue.slot_booking_cancel(actor=request.user, booking=own)
    except PermissionDenied:
        messages.error(request, _("Booking has closed: the booking can no longer be cancelled."))
    else:
        messages.success(request, _("Your booking is cancelled; the time is free for others."))
    return HttpResponseRedirect(f"{challenge.url}dialogue/slots/{series.pk}/")


def summary_publish(request, hub, slug, series_id):
    challenge, series = _series(request, hub, slug, series_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_manage_dialogue(request.user, challenge):
        raise Http404
    if not permissions.can_publish_dialogue_summary(request.user, series):
        return render(
            request,
            "challenges/dialogue/summary_form.html",
            _context(request, hub, challenge, series=series, form=None),
            status=403,
        )
    form = DialogueSummaryForm(request.POST or None, initial={"summary": series.summary})
    if request.method == "POST":
        if form.wants_preview:
            form.show_preview()
        elif form.is_valid() and not _rate_limited(request, form):
            try:
                dialogue.dialogue_summary_publish(
                    actor=request.user, series=series, summary=form.cleaned_data["summary"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The summary is published on the challenge page."))
                return HttpResponseRedirect(f"{challenge.url}#dialogue")
    return render(
        request,
        "challenges/dialogue/summary_form.html",
        _context(request, hub, challenge, series=series, form=form),
        status=400 if form.errors else 200,
    )
