"""Plain admin views of the partners registry: the hubs page, CSV export and import, the dashboard panel.

Registered under ``/admin/partners/hubs/`` by ``partners.wagtail_hooks`` (so Wagtail's admin
login and access checks apply first); each view then checks that the person coordinates the hub.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.admin import uploads
from cms.admin.access import coordinated_hubs, forbidden
from cms.forms import add_service_errors
from cms.models import HubPage
from partners import selectors
from partners.admin.access import can_use_partners_admin
from partners.admin.forms import PartnersImportForm
from partners.csv_export import CSV_COLUMNS, hub_partners_csv_text
from partners.csv_import import IMPORT_MAX_ROWS, IMPORT_REQUIRED_COLUMNS, import_summary, partners_import_csv
from partners.models import PartnershipStatus
from partners.permissions import can_manage_hub_partners

DASHBOARD_PANEL_LIMIT = 5
UPLOAD_PURPOSE = "partners"


def _hub_for(user, hub_id: int) -> HubPage | None:
    """The hub, if this person manages its partners; None means "refuse with 403"."""
    hub = get_object_or_404(HubPage, pk=hub_id)
    return hub if can_manage_hub_partners(user, hub) else None


def partnerships_url(**filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return reverse("partnership_admin:index") + (f"?{query}" if query else "")


class PartnerHubsView(WagtailAdminTemplateMixin, TemplateView):
    """The hubs someone coordinates, with their partner counts, export and import."""

    template_name = "partners/admin/hubs.html"
    page_title = gettext_lazy("Partners by hub")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_partners_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hubs = coordinated_hubs(self.request.user).annotate(
            approved_count=Count("partnerships", filter=Q(partnerships__status=PartnershipStatus.APPROVED)),
            pending_count=Count("partnerships", filter=Q(partnerships__status=PartnershipStatus.APPLIED)),
        )
        context["hubs"] = [
            {
                "hub": hub,
                "approved_count": hub.approved_count,
                "pending_count": hub.pending_count,
                "partnerships_url": partnerships_url(hub=hub.pk),
                "pending_url": partnerships_url(hub=hub.pk, status=PartnershipStatus.APPLIED),
                "export_url": reverse("partners_admin_export", args=[hub.pk]),
                "import_url": reverse("partners_admin_import", args=[hub.pk]),
            }
            for hub in hubs
        ]
        return context


def partners_export_view(request, hub_id: int):
    """The hub's partners as a CSV download (all statuses), for its coordinators only."""
    hub = _hub_for(request.user, hub_id)
    if hub is None:
        return forbidden(request)
    response = HttpResponse(hub_partners_csv_text(hub), content_type="text/csv; charset=utf-8")
    filename = f"{hub.slug}-partners-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PartnersImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a CSV of partners into a hub: a dry run by default, then all rows or none."""

    template_name = "partners/admin/import.html"
    form_class = PartnersImportForm
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.hub = _hub_for(request.user, kwargs["hub_id"])
        if self.hub is None:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Import partners into %(hub)s") % {"hub": self.hub.title}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("partners_admin_hubs"), "label": _("Partners by hub")},
            {"url": "", "label": _("Import"), "sublabel": self.hub.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            hub=self.hub,
            columns=CSV_COLUMNS,
            required_columns=IMPORT_REQUIRED_COLUMNS,
            max_rows=IMPORT_MAX_ROWS,
            export_url=reverse("partners_admin_export", args=[self.hub.pk]),
        )
        return context

    def form_valid(self, form):
        chosen = form.cleaned_data.get("file")
        token = form.cleaned_data.get("upload") or ""
        kept = None
        if chosen is None:
            # Confirming a dry run: the file the server kept, never one the browser names.
            kept = uploads.upload_get(purpose=UPLOAD_PURPOSE, user=self.request.user, hub=self.hub, token=token)
            if kept is None:
                form.add_error(
                    "file",
                    _("The checked file is no longer kept (after %(minutes)s minutes). Choose it again.")
                    % {"minutes": uploads.UPLOAD_MINUTES},
                )
                return self.form_invalid(form)
        dry_run = form.cleaned_data["dry_run"]
        try:
            result = partners_import_csv(
                actor=self.request.user,
                hub=self.hub,
                file=chosen if chosen is not None else kept.as_file(),
                dry_run=dry_run,
            )
        except ValidationError as error:
            add_service_errors(form, error, field="file")
            return self.form_invalid(form)
        if result.written:
            if kept is not None:
                uploads.upload_forget(purpose=UPLOAD_PURPOSE, user=self.request.user, hub=self.hub, token=kept.token)
            messages.success(self.request, import_summary(result))
            return self.get_success_redirect()
        # A dry run, or a file with errors: show what was found, with a fresh form for the next try.
        # A clean dry run keeps the file on the server, so "Import this file" needs no second upload.
        if result.ok and dry_run and kept is None:
            kept = uploads.upload_keep(purpose=UPLOAD_PURPOSE, user=self.request.user, hub=self.hub, file=chosen)
        return self.render_to_response(
            self.get_context_data(
                form=self.form_class(),
                result=result,
                summary=import_summary(result),
                kept=kept if result.ok else None,
                kept_minutes=uploads.UPLOAD_MINUTES,
            )
        )

    def get_success_redirect(self):
        return redirect(partnerships_url(hub=self.hub.pk))


class PendingPartnershipsPanel(Component):
    """The admin dashboard's panel: applications waiting in the hubs this person coordinates."""

    name = "pending_partnerships"
    template_name = "partners/admin/dashboard_panel.html"
    order = 90

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pending = selectors.pending_partnerships_for_coordinator(self.request.user)
        context.update(
            pending_count=pending.count(),
            pending=list(pending[:DASHBOARD_PANEL_LIMIT]),
            list_url=partnerships_url(status=PartnershipStatus.APPLIED),
            detail_url_name="partnership_admin:inspect",
        )
        return context
