"""The coordinators' indicators in the Wagtail admin: the list, classification, import, perspectives.

Registered under ``/admin/indicators/`` by ``indicators.wagtail_hooks`` (so Wagtail's admin login
and access checks apply first); each view then checks that the person coordinates the hub.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages

from cms.admin import uploads
from cms.admin.access import coordinated_hubs, forbidden, hubs_shown
from cms.admin.views import AppAdminView
from cms.forms import add_service_errors
from indicators import selectors, services
from indicators.admin.access import can_use_indicators_admin, hub_for, indicator_for, perspective_for
from indicators.admin.forms import IndicatorClassifyForm, IndicatorsImportForm, PerspectiveForm
from indicators.models import Perspective

INDEX_URL_NAME = "indicators_admin_index"
UPLOAD_PURPOSE = "indicators"


def index_url(hub=None) -> str:
    return reverse(INDEX_URL_NAME) + (f"?hub={hub.pk}" if hub is not None else "")


class _AdminView(AppAdminView):
    header_icon = "table"
    index_url_name = INDEX_URL_NAME
    index_label = gettext_lazy("Indicators")


class IndicatorsIndexView(_AdminView, TemplateView):
    """The indicators of the hubs this person coordinates (one hub at a time with ``?hub=``)."""

    template_name = "indicators/admin/index.html"
    page_title = gettext_lazy("Indicators")
    is_index = True

    def dispatch(self, request, *args, **kwargs):
        if not can_use_indicators_admin(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hubs = hubs_shown(self.request.user, self.request.GET.get("hub", ""))
        context.update(
            hubs=hubs.hubs,
            chosen_hub=hubs.chosen,
            indicators=list(selectors.admin_indicator_list(hubs.shown_ids)),
            import_url=reverse("indicators_admin_import"),
        )
        return context


class IndicatorsImportView(_AdminView, FormView):
    """Upload a CSV or JSON-stat file into a hub: "Check" runs it dry, "Import" writes all rows or none."""

    template_name = "indicators/admin/import.html"
    form_class = IndicatorsImportForm
    page_title = gettext_lazy("Import indicators")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_indicators_admin(request.user):
            return forbidden(request)
        self.hubs = coordinated_hubs(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["hubs"] = self.hubs
        chosen = self.request.GET.get("hub")
        if chosen and self.request.method == "GET":
            kwargs["initial"] = {"hub": chosen}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            required_columns=services.CSV_REQUIRED_COLUMNS,
            optional_columns=services.CSV_OPTIONAL_COLUMNS,
            max_rows=services.IMPORT_MAX_ROWS,
            max_megabytes=services.IMPORT_MAX_BYTES // (1024 * 1024),
        )
        return context

    def form_valid(self, form):
        hub = form.cleaned_data["hub"]
        chosen = form.cleaned_data.get("file")
        kept = None
        if chosen is None:
            # Confirming a check: the file the server kept for this person and hub.
            kept = uploads.upload_get(
                purpose=UPLOAD_PURPOSE, user=self.request.user, hub=hub, token=form.cleaned_data.get("upload") or ""
            )
            if kept is None:
                form.add_error(
                    "file",
                    _("The checked file is no longer kept (after %(minutes)s minutes). Choose it again.")
                    % {"minutes": uploads.UPLOAD_MINUTES},
                )
                return self.form_invalid(form)
        dry_run = self.request.POST.get("action") != "import"
        try:
            result = services.indicators_import(
                hub=hub, file=chosen if chosen is not None else kept.as_file(), actor=self.request.user, dry_run=dry_run
            )
        except PermissionDenied:
            return forbidden(self.request)
        except ValidationError as error:
            add_service_errors(form, error, field="file")
            return self.form_invalid(form)
        summary = services.import_summary(result)
        if result.written:
            if kept is not None:
                uploads.upload_forget(purpose=UPLOAD_PURPOSE, user=self.request.user, hub=hub, token=kept.token)
            messages.success(self.request, summary)
            return redirect(index_url(hub))
        if result.ok and dry_run and kept is None:
            kept = uploads.upload_keep(purpose=UPLOAD_PURPOSE, user=self.request.user, hub=hub, file=chosen)
        return self.render_to_response(
            self.get_context_data(
                form=self.form_class(hubs=self.hubs, initial={"hub": hub.pk}),
                result=result,
                summary=summary,
                hub=hub,
                kept=kept if result.ok else None,
                kept_minutes=uploads.UPLOAD_MINUTES,
            )
        )


class IndicatorClassifyView(_AdminView, FormView):
    """Classify one indicator the KS/SSB way."""

    template_name = "indicators/admin/classify.html"
    form_class = IndicatorClassifyForm
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        self.indicator = indicator_for(request.user, kwargs["pk"])
        if self.indicator is None:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Classify %(indicator)s") % {"indicator": self.indicator.name}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["indicator"] = self.indicator
        indicator = self.indicator
        kwargs["initial"] = {
            "goals": list(indicator.goals.all()),
            "targets": list(indicator.targets.all()),
            "un_indicators": list(indicator.un_indicators.all()),
            "dimension": indicator.dimension,
            "perspective": indicator.perspective,
            "quality": indicator.quality,
            "quality_reason": indicator.quality_reason,
            "higher_is_better": indicator.higher_is_better,
            "description": indicator.description,
        }
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = list(self.indicator.series.prefetch_related("values"))
        context.update(
            indicator=self.indicator,
            series=series,
            perspectives_url=reverse("indicators_admin_perspectives", args=[self.indicator.hub_id]),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.indicator_classify(
                indicator=self.indicator,
                actor=self.request.user,
                goals=data["goals"],
                targets=data["targets"],
                un_indicators=data["un_indicators"],
                dimension=data["dimension"],
                perspective=data["perspective"],
                quality=data["quality"],
                quality_reason=data["quality_reason"],
                higher_is_better=data["higher_is_better"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(indicator)s is classified.") % {"indicator": self.indicator.name})
        if self.request.POST.get("action") == "stay":
            return redirect(reverse("indicators_admin_edit", args=[self.indicator.pk]))
        return redirect(index_url(self.indicator.hub))


class PerspectivesView(_AdminView, FormView):
    """A hub's perspectives, and a form to add one."""

    template_name = "indicators/admin/perspectives.html"
    form_class = PerspectiveForm

    def dispatch(self, request, *args, **kwargs):
        self.hub = hub_for(request.user, kwargs["hub_id"])
        if self.hub is None:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "seed":
            services.perspectives_ensure(self.hub)
            messages.success(request, _("The perspectives of KS are added."))
            return redirect(reverse("indicators_admin_perspectives", args=[self.hub.pk]))
        return super().post(request, *args, **kwargs)

    def get_page_title(self):
        return _("Perspectives of %(hub)s") % {"hub": self.hub.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(hub=self.hub, perspectives=list(Perspective.objects.filter(hub=self.hub)))
        return context

    def form_valid(self, form):
        try:
            perspective = services.perspective_create(
                hub=self.hub,
                actor=self.request.user,
                name=form.cleaned_data["name"],
                sort_order=form.cleaned_data["sort_order"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The perspective “%(name)s” is added.") % {"name": perspective.name})
        return redirect(reverse("indicators_admin_perspectives", args=[self.hub.pk]))


class PerspectiveEditView(_AdminView, FormView):
    """Rename or reorder one perspective, or remove it."""

    template_name = "indicators/admin/perspective_edit.html"
    form_class = PerspectiveForm

    def dispatch(self, request, *args, **kwargs):
        self.perspective = perspective_for(request.user, kwargs["pk"])
        if self.perspective is None:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Edit perspective")

    def get_initial(self):
        return {"name": self.perspective.name, "sort_order": self.perspective.sort_order}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            perspective=self.perspective,
            list_url=reverse("indicators_admin_perspectives", args=[self.perspective.hub_id]),
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "delete":
            name, hub_id = self.perspective.name, self.perspective.hub_id
            services.perspective_delete(perspective=self.perspective, actor=request.user)
            messages.success(request, _("The perspective “%(name)s” is removed.") % {"name": name})
            return redirect(reverse("indicators_admin_perspectives", args=[hub_id]))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        sort_order = form.cleaned_data["sort_order"]
        try:
            services.perspective_update(
                perspective=self.perspective,
                actor=self.request.user,
                name=form.cleaned_data["name"],
                sort_order=self.perspective.sort_order if sort_order is None else sort_order,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The perspective is saved."))
        return redirect(reverse("indicators_admin_perspectives", args=[self.perspective.hub_id]))
