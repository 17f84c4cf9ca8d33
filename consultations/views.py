"""A hub's consultations on the public site, as hub routes (``cms.hub_routes``, registered in
``wagtail_hooks``):

- ``<hub>/consultations/``: open and closed consultations;
- ``<hub>/consultations/code/``: enter an access code and an age band (no name, no e-mail);
- ``<hub>/consultations/<id>/``: the form (answers editable until the close), or "closed" and the
  results when they may be seen;
- ``<hub>/consultations/<id>/results/`` and ``.../results/csv/``: the results, and as CSV (one row
  per response for coordinators; counts per option for everyone else once results are public).
"""

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.charts.bars import Bar, bar_chart
from cms.markdown import markdown_html
from cms.rate_limits import rate_limit_hit, rate_limited_message, with_retry_after
from cms.selectors import page_breadcrumbs
from consultations import permissions, selectors, services
from consultations.forms import CodeEntryForm
from consultations.models import AccessCode, AgeBand, QuestionKind

SESSION_KEY = "consultation_codes"


def _base(request, hub, **extra) -> dict:
    return {
        "hub": hub,
        "breadcrumbs": [*page_breadcrumbs(hub, Site.find_for_request(request)), hub],
        "consultations_url": f"{hub.url}consultations/",
        **extra,
    }


def _fresh(response):
    """Open and closed change with the clock: never kept by the anonymous page cache."""
    patch_cache_control(response, private=True)
    return response


def _consultation(request, hub, pk):
    consultation = selectors.consultation_in_hub(hub, pk)
    if consultation is None or not permissions.can_see_consultation(request.user, consultation):
        raise Http404(_("No such consultation in this hub."))
    return consultation


def _session_code(request, consultation) -> tuple[AccessCode | None, str]:
    """The access code entered on this device for ``consultation`` (if still usable), and the age band."""
    held = request.session.get(SESSION_KEY, {}).get(str(consultation.pk))
    if not held:
        return None, ""
    code = AccessCode.objects.filter(pk=held.get("code"), consultation=consultation, voided_at=None).first()
    if code is None or code.expires_at <= timezone.now():
        return None, ""
    return code, held.get("age", "")


def consultation_list(request, hub):
    now = timezone.now()
    consultations = list(
        selectors.hub_consultations(hub, include_unopened=permissions.can_manage_consultations(request.user, hub))
    )
    context = _base(
        request,
        hub,
        open_consultations=[c for c in consultations if c.is_open(now)],
        closed_consultations=[c for c in consultations if c.is_closed(now)],
        upcoming_consultations=[c for c in consultations if not c.has_opened(now)],
    )
    return _fresh(render(request, "consultations/consultation_list.html", context))


def code_entry(request, hub):
    """Enter the code a teacher gave and choose an age band; then the consultation's form."""
    form = CodeEntryForm(request.POST or None)
    wait = None
    if request.method == "POST":
        wait = rate_limit_hit(request, "consultation-code")
        if wait:
            form.is_valid()
            form.add_error(None, rate_limited_message(wait))
        elif form.is_valid():
            try:
                code = services.code_check(code_text=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error.message_dict.get("code", error.messages))
            else:
                if code.consultation.hub_id != hub.pk:
                    form.add_error("code", _("We do not know this code. Check it and try again."))
                else:
                    held = request.session.get(SESSION_KEY, {})
                    held[str(code.consultation_id)] = {"code": code.pk, "age": form.cleaned_data["age_band"]}
                    request.session[SESSION_KEY] = held
                    return redirect(f"{hub.url}consultations/{code.consultation_id}/")
    context = _base(request, hub, form=form, plain=True)
    return with_retry_after(_fresh(render(request, "consultations/code_entry.html", context)), wait)


def _posted_answers(request, consultation) -> dict:
    answers = {}
    for question in consultation.questions.all():
        name = question.field_name
        if question.kind == QuestionKind.MULTIPLE:
            answers[name] = request.POST.getlist(name)
        elif question.kind == QuestionKind.RANKING:
            # One "place" select per option: q<id>_<option id> = place number.
            places = {}
            for option in question.options.all():
                value = request.POST.get(f"{name}_{option.pk}", "")
                if value:
                    places[option.pk] = value
            answers[name] = _ranking_from_places(places, len(question.options.all()))
        else:
            answers[name] = request.POST.get(name, "")
    return answers


def _ranking_from_places(places: dict, count: int) -> list[str]:
    """Option ids in the order of the places chosen; an invalid or duplicate place gives a list the
    service refuses (not a permutation), an empty one gives no answer."""
    if not places:
        return []
    try:
        by_place = sorted((int(place), option_id) for option_id, place in places.items())
    except ValueError:
        return ["x"]
    if len(places) != count or [p for p, _o in by_place] != list(range(1, count + 1)):
        return ["-1"]
    return [str(option_id) for _p, option_id in by_place]


def _answer_values(consultation, response, posted: dict | None) -> dict:
    """What the form shows per question: what was just posted, else the saved answer."""
    values = {}
    saved = {a.question_id: a for a in response.answers.all()} if response is not None else {}
    for question in consultation.questions.all():
        name = question.field_name
        if posted is not None:
            if question.kind == QuestionKind.RANKING:
                values[name] = {
                    str(o.pk): request_place
                    for o in question.options.all()
                    if (request_place := posted.get(f"{name}_{o.pk}", ""))
                }
            elif question.kind == QuestionKind.MULTIPLE:
                values[name] = posted.getlist(name)
            else:
                values[name] = posted.get(name, "")
            continue
        answer = saved.get(question.pk)
        if answer is None:
            values[name] = {} if question.kind == QuestionKind.RANKING else ([] if question.kind == "multiple" else "")
        elif question.kind == QuestionKind.TEXT:
            values[name] = answer.text
        elif question.kind == QuestionKind.RATING:
            values[name] = str(answer.rating)
        elif question.kind == QuestionKind.SINGLE:
            values[name] = str(answer.option_ids[0]) if answer.option_ids else ""
        elif question.kind == QuestionKind.MULTIPLE:
            values[name] = [str(i) for i in answer.option_ids]
        else:
            values[name] = {str(option_id): str(place) for place, option_id in enumerate(answer.option_ids, start=1)}
    return values


def _questions_for_form(consultation, values: dict, errors: dict) -> list[dict]:
    return [
        {
            "question": q,
            "options": list(q.options.all()),
            "value": values.get(q.field_name),
            "errors": errors.get(q.field_name, []),
            "places": list(range(1, len(q.options.all()) + 1)),
            "ratings": ["1", "2", "3", "4", "5"],
        }
        for q in consultation.questions.all()
    ]


def consultation_detail(request, hub, pk):
    consultation = _consultation(request, hub, pk)
    code, age_band = _session_code(request, consultation)
    respondent = services.Respondent(
        user=request.user if code is None else None,
        code=code,
        session_key=request.session.session_key or "",
        age_band=age_band,
    )
    can_answer = permissions.can_answer(request.user, consultation, has_code=code is not None)
    response = services.response_for(consultation, respondent)
    errors, form_errors, posted, thanks, wait = {}, [], None, request.GET.get("sent") == "1", None
    if request.method == "POST":
        if not can_answer:
            return HttpResponseForbidden(_("This consultation is not open for your answers."))
        wait = rate_limit_hit(request, "consultation-answer")
        posted = request.POST
        if wait:
            form_errors.append(rate_limited_message(wait))
        else:
            try:
                services.response_submit(
                    consultation=consultation, respondent=respondent, answers=_posted_answers(request, consultation)
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    errors = error.message_dict
                    form_errors.extend(errors.get("__all__", []))
                else:
                    form_errors.extend(error.messages)
            except PermissionDenied:
                return HttpResponseForbidden(_("This consultation is not open for your answers."))
            else:
                return redirect(f"{hub.url}consultations/{consultation.pk}/?sent=1")
    values = _answer_values(consultation, response, posted)
    context = _base(
        request,
        hub,
        consultation=consultation,
        intro_html=markdown_html(consultation.intro) if consultation.intro else "",
        plain=consultation.plain_language,
        is_open=consultation.is_open(),
        is_closed=consultation.is_closed(),
        can_answer=can_answer,
        code=code,
        age_band_label=dict(AgeBand.choices).get(age_band, ""),
        response=response,
        thanks=thanks,
        questions=_questions_for_form(consultation, values, errors),
        error_count=len(errors) + len(form_errors),
        form_errors=form_errors,
        can_see_results=permissions.can_see_results(request.user, consultation),
        results_url=f"{hub.url}consultations/{consultation.pk}/results/",
        code_form=CodeEntryForm() if code is None and not request.user.is_authenticated else None,
        code_url=f"{hub.url}consultations/code/",
    )
    status = 400 if errors or form_errors else 200
    return with_retry_after(
        _fresh(render(request, "consultations/consultation_detail.html", context, status=status)), wait
    )


def _charts(results) -> list[dict]:
    charts = []
    for number, result in enumerate(results.questions, start=1):
        q = result.question
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            bars = [Bar(label=o.option.text, value=o.count) for o in result.options]
            about, axis = _("Number of answers per option"), _("Number of answers")
        elif q.kind == QuestionKind.RATING:
            bars = [Bar(label=str(r["value"]), value=r["count"]) for r in result.ratings]
            about, axis = _("Number of answers per rating, 1 to 5"), _("Number of answers")
        elif q.kind == QuestionKind.RANKING:
            bars = [Bar(label=o.option.text, value=o.borda) for o in result.options]
            about, axis = _("Borda points: an option gets more points the higher it is ranked"), _("Borda points")
        else:
            bars = None
        chart = bar_chart(f"q{number}-chart", q.text, about, bars, axis_label=axis) if bars is not None else None
        charts.append({"result": result, "chart": chart, "number": number, "table_id": f"result-{number}-table"})
    return charts


def consultation_results(request, hub, pk):
    consultation = _consultation(request, hub, pk)
    if not permissions.can_see_results(request.user, consultation):
        return _fresh(
            render(
                request,
                "consultations/results_not_yet.html",
                _base(request, hub, consultation=consultation, plain=consultation.plain_language),
                status=403,
            )
        )
    is_coordinator = permissions.can_manage_consultations(request.user, hub)
    results = selectors.consultation_results(consultation, public=not is_coordinator)
    context = _base(
        request,
        hub,
        consultation=consultation,
        plain=consultation.plain_language,
        results=results,
        charts=_charts(results),
        summary_html=markdown_html(consultation.summary) if consultation.summary_published else "",
        is_coordinator=is_coordinator,
        csv_url=f"{hub.url}consultations/{consultation.pk}/results/csv/",
        detail_url=f"{hub.url}consultations/{consultation.pk}/",
    )
    return _fresh(render(request, "consultations/consultation_results.html", context))


def _csv_cell(value) -> str:
    """Text a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def consultation_results_csv(request, hub, pk):
    consultation = _consultation(request, hub, pk)
    if not permissions.can_see_results(request.user, consultation):
        return HttpResponseForbidden(_("The results are not public."))
    out = io.StringIO()
    writer = csv.writer(out)
    if permissions.can_export_responses(request.user, consultation):
        questions, responses = selectors.responses_for_export(consultation)
        options = {o.pk: o.text for q in questions for o in q.options.all()}
        writer.writerow(["response", "submitted", "via", "age_band", *[q.text for q in questions]])
        for response in responses:
            answers = {a.question_id: a for a in response.answers.all()}
            row = [
                response.pk,
                response.updated_at.isoformat(),
                response.access_code.label if response.access_code_id else "account",
                response.age_band,
            ]
            for q in questions:
                answer = answers.get(q.pk)
                if answer is None:
                    row.append("")
                elif q.kind == QuestionKind.TEXT:
                    row.append(answer.text)
                elif q.kind == QuestionKind.RATING:
                    row.append(answer.rating)
                else:
                    row.append(" | ".join(options.get(i, "") for i in answer.option_ids))
            writer.writerow([_csv_cell(cell) for cell in row])
        name = f"consultation-{consultation.pk}-responses.csv"
    else:
        results = selectors.consultation_results(consultation, public=True)
        writer.writerow(["question", "type", "option", "count", "mean_rank", "average"])
        for result in results.questions:
            q = result.question
            if q.kind == QuestionKind.RATING:
                for r in result.ratings:
                    writer.writerow([_csv_cell(q.text), q.kind, r["value"], r["count"], "", result.average or ""])
            elif q.kind != QuestionKind.TEXT:
                for o in result.options:
                    writer.writerow(
                        [_csv_cell(q.text), q.kind, _csv_cell(o.option.text), o.count, o.mean_rank or "", ""]
                    )
        name = f"consultation-{consultation.pk}-results.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _fresh(response)
