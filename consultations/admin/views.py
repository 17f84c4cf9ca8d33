"""The coordinators' consultations in the Wagtail admin: the list, the editor (the consultation and
its questions with their options, one inline form per question), and the management page of one
consultation (access codes, moderation of free text, the summary and the export).

Registered under ``/admin/consultations/`` by ``consultations.wagtail_hooks``, so Wagtail's admin
login applies first; each view then checks that the person coordinates the hub.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from cms.admin.access import coordinated_hubs, forbidden
from cms.forms import add_service_errors
from consultations import permissions, selectors, services
from consultations.forms import AccessCodeForm, ConsultationForm, QuestionFormSet, SummaryForm
from consultations.models import AccessCode, Answer, Consultation

INDEX_URL_NAME = "consultations_admin_index"


def can_use_consultations_admin(user) -> bool:
    """The section is for site administrators and coordinators of some hub (remembered per request)."""
    cached = getattr(user, "_can_use_consultations_admin", None)
    if cached is None:
        cached = coordinated_hubs(user).exists()
        if user is not None:
            user._can_use_consultations_admin = cached
    return cached


def _page(request, template: str, title: str, context: dict, *, status: int = 200):
    crumbs = [{"url": reverse(INDEX_URL_NAME), "label": _("Consultations")}]
    if title != _("Consultations"):
        crumbs.append({"url": "", "label": title})
    return render(
        request,
        template,
        {"page_title": title, "header_title": title, "header_icon": "list-ul", "breadcrumbs_items": crumbs, **context},
        status=status,
    )


def _managed(request, pk) -> Consultation | None:
    consultation = get_object_or_404(Consultation.objects.select_related("hub", "project"), pk=pk)
    return consultation if permissions.can_manage_consultations(request.user, consultation.hub) else None


def index(request):
    if not can_use_consultations_admin(request.user):
        return forbidden(request)
    hubs = coordinated_hubs(request.user)
    consultations = list(selectors.admin_consultations(hubs.values("pk")))
    return _page(request, "consultations/admin/index.html", _("Consultations"), {"consultations": consultations})


def edit(request, pk=None):
    """Create or edit a consultation and its questions (options one a line)."""
    if not can_use_consultations_admin(request.user):
        return forbidden(request)
    if pk is None:
        consultation = Consultation()
    else:
        consultation = _managed(request, pk)
        if consultation is None:
            return forbidden(request)
    hubs = coordinated_hubs(request.user)
    data = request.POST if request.method == "POST" else None
    form = ConsultationForm(data, instance=consultation, hubs=hubs)
    formset = QuestionFormSet(data, instance=consultation, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                saved = services.consultation_save(actor=request.user, consultation=form.save(commit=False))
                for number, question_form in enumerate(formset.forms):
                    if not question_form.has_changed() and question_form.instance.pk is None:
                        continue
                    if formset.can_delete and formset._should_delete_form(question_form):
                        if question_form.instance.pk:
                            services.question_delete(actor=request.user, question=question_form.instance)
                        continue
                    question = question_form.save(commit=False)
                    question.consultation = saved
                    if not question.order:
                        question.order = number + 1
                    services.question_save(
                        actor=request.user, question=question, options=question_form.cleaned_data["options"]
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            return forbidden(request)
        else:
            messages.success(request, _("Consultation “%(title)s” saved.") % {"title": saved.title})
            return redirect("consultations_admin_edit", saved.pk)
    title = consultation.title if consultation.pk else _("New consultation")
    return _page(
        request,
        "consultations/admin/edit.html",
        title,
        {"form": form, "formset": formset, "consultation": consultation},
        status=400 if request.method == "POST" else 200,
    )


def manage(request, pk):
    """Access codes, free text waiting for moderation, the summary, links to results and export."""
    consultation = _managed(request, pk)
    if consultation is None:
        return forbidden(request)
    code_form = AccessCodeForm(prefix="code")
    summary_form = SummaryForm(initial={"summary": consultation.summary}, prefix="summary")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "code":
                code_form = AccessCodeForm(request.POST, prefix="code")
                if code_form.is_valid():
                    code = services.code_create(actor=request.user, consultation=consultation, **code_form.cleaned_data)
                    messages.success(
                        request, _("New code for %(group)s: %(code)s") % {"group": code.label, "code": code.code}
                    )
                    return redirect("consultations_admin_manage", consultation.pk)
            elif action in ("save_summary", "publish_summary", "unpublish_summary"):
                summary_form = SummaryForm(request.POST, prefix="summary")
                if summary_form.is_valid():
                    services.summary_publish(
                        actor=request.user,
                        consultation=consultation,
                        summary=summary_form.cleaned_data["summary"],
                        publish=action == "publish_summary"
                        or (action == "save_summary" and consultation.summary_published),
                    )
                    messages.success(request, _("Summary saved."))
                    return redirect("consultations_admin_manage", consultation.pk)
        except ValidationError as error:
            add_service_errors(summary_form if action != "code" else code_form, error)
        except PermissionDenied:
            return forbidden(request)
        status = 400
    hub = consultation.hub
    return _page(
        request,
        "consultations/admin/manage.html",
        consultation.title,
        {
            "consultation": consultation,
            "codes": selectors.code_usage(consultation),
            "pending": list(selectors.pending_answers(consultation)),
            "code_form": code_form,
            "summary_form": summary_form,
            "public_url": f"{hub.url}consultations/{consultation.pk}/",
            "results_url": f"{hub.url}consultations/{consultation.pk}/results/",
            "csv_url": f"{hub.url}consultations/{consultation.pk}/results/csv/",
        },
        status=status,
    )


@require_POST
def code_void(request, code_id):
    code = get_object_or_404(AccessCode.objects.select_related("consultation__hub"), pk=code_id)
    try:
        services.code_void(actor=request.user, code=code)
    except PermissionDenied:
        return forbidden(request)
    messages.success(request, _("The code for %(group)s no longer works.") % {"group": code.label})
    return redirect("consultations_admin_manage", code.consultation_id)


@require_POST
def moderate(request, answer_id):
    answer = get_object_or_404(Answer.objects.select_related("response__consultation__hub"), pk=answer_id)
    try:
        services.answer_moderate(actor=request.user, answer=answer, approve=request.POST.get("decision") == "approve")
    except PermissionDenied:
        return forbidden(request)
    return redirect("consultations_admin_manage", answer.response.consultation_id)
