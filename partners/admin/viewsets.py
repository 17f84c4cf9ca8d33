"""The coordinators' side of the partners registry in the Wagtail admin.

Three viewsets under one "Partners" menu: partnerships (applications and decisions), partners
(site administrators edit; coordinators read) and partner terms (coordinators publish versions).
Every listing and object is scoped by the permission policies in ``partners.admin.access``; an
object outside someone's hubs is a 404, so its existence stays private. Writes go through
``partners.services``.
"""

import django_filters
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.sidebar import SubMenuItem as SubMenuItemComponent
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn, UserColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.rich_text import RichText

from cms.admin.access import coordinated_hubs, forbidden
from cms.forms import add_service_errors
from partners import selectors, services
from partners.admin.forms import PartnerAdminForm, PartnershipDecisionForm, PartnerTermsForm, decisions_for
from partners.models import Partner, Partnership, PartnershipStatus, PartnerTerms
from partners.permissions import can_decide_partnership


def _coordinated_hubs_for(request):
    return coordinated_hubs(request.user)


# --- Partnerships ---------------------------------------------------------------------------------


class PartnershipFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PartnershipStatus.choices)
    hub = django_filters.ModelChoiceFilter(label=_("Hub"), queryset=_coordinated_hubs_for)

    class Meta:
        model = Partnership
        fields = ["status", "hub"]


class PartnershipIndexView(generic.IndexView):
    """The partnerships of the hubs someone coordinates (every hub for site administrators)."""

    filterset_class = PartnershipFilterSet
    search_fields = ["partner__name"]
    default_ordering = "-applied_at"
    page_title = _("Partnerships")

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"]).select_related(
            "partner", "hub", "applied_by"
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column(
                "partner",
                TitleColumn,
                label=_("Partner"),
                accessor="partner",
                sort_key="partner__name",
            ),
            Column("hub", label=_("Hub"), accessor="hub"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda partnership: partnership.status == PartnershipStatus.APPLIED,
            ),
            DateColumn("applied_at", label=_("Applied"), sort_key="applied_at"),
            DateColumn("decided_at", label=_("Decided"), sort_key="decided_at"),
        ]

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return column_class(field_name, get_url=self.get_inspect_url, **kwargs)

    def get_list_more_buttons(self, instance):
        # The title opens the application; the generic "Inspect" entry would only repeat it.
        return []


class PartnershipDetailView(generic.InspectView):
    """One partnership: the partner, the application, its history and the decisions open now.

    Each decision is a POST to this same view that calls ``services.partnership_decide``.
    """

    template_name = "partners/admin/partnership_detail.html"
    any_permission_required = ["view"]
    page_title = _("Partnership")

    def get_object(self, queryset=None):
        scoped = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"])
        return get_object_or_404(
            scoped.select_related("partner", "hub", "applied_by", "decided_by", "terms"), pk=self.pk
        )

    def get_fields(self):
        return []

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Partnerships")},
            {"url": "", "label": str(self.object.partner), "sublabel": str(self.object.hub)},
        ]

    def get_page_subtitle(self):
        return str(self.object.partner)

    def decision_forms(self, bound: PartnershipDecisionForm | None = None) -> list[PartnershipDecisionForm]:
        forms = []
        for decision in decisions_for(self.object.status):
            if bound is not None and bound.decision.to_status == decision.to_status:
                forms.append(bound)
            else:
                forms.append(PartnershipDecisionForm(decision=decision, prefix=decision.to_status))
        return forms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        partner = partnership.partner
        context.update(
            partnership=partnership,
            partner=partner,
            partner_description=RichText(partner.description),
            goals=list(partner.goals.order_by("number")),
            focus_themes=sorted(tag.name for tag in partner.focus_themes.all()),
            events=partnership.events.select_related("actor"),
            decision_forms=kwargs.get("decision_forms") or self.decision_forms(),
            can_decide=can_decide_partnership(self.request.user, partnership),
            partner_url=reverse("partner_admin:inspect", args=[quote(partner.pk)]),
            terms_url=(
                reverse("partner_terms_admin:inspect", args=[quote(partnership.terms_id)])
                if partnership.terms_id
                else ""
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        decision = next(
            (d for d in decisions_for(self.object.status) if d.to_status == request.POST.get("decision")), None
        )
        if decision is None:
            messages.error(
                request,
                _("That decision is not possible for a partnership that is %(status)s.")
                % {"status": self.object.get_status_display().lower()},
            )
            return self.render_to_response(self.get_context_data(), status=400)
        form = PartnershipDecisionForm(request.POST, decision=decision, prefix=decision.to_status)
        if form.is_valid():
            try:
                services.partnership_decide(
                    actor=request.user,
                    partnership=self.object,
                    to_status=decision.to_status,
                    reason=form.cleaned_data["reason"],
                )
            except PermissionDenied:
                return forbidden(request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, decision.done_message % {"partner": self.object.partner})
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(decision_forms=self.decision_forms(bound=form)))


class PartnershipViewSet(ModelViewSet):
    model = Partnership
    name = "partnership_admin"
    url_prefix = "partners/partnerships"
    icon = "tasks"
    menu_label = _("Partnerships")
    index_view_class = PartnershipIndexView
    inspect_view_class = PartnershipDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_urlpatterns(self):
        # Listing and the detail page only: partnerships are created by applying on the site or by
        # import, and change only through decisions.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        return []


# --- Partners -------------------------------------------------------------------------------------


class PartnerIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class PartnerInspectView(generic.InspectView):
    """A partner's profile, and its partnerships in the hubs the viewer coordinates."""

    template_name = "partners/admin/partner_inspect.html"

    def get_object(self, queryset=None):
        scoped = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"])
        return get_object_or_404(scoped, pk=self.pk)

    def get_description_display_value(self):
        return RichText(self.object.description)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partnerships"] = (
            self.object.partnerships.filter(hub__in=coordinated_hubs(self.request.user))
            .select_related("hub")
            .order_by("hub__title")
        )
        return context


class PartnerEditView(generic.EditView):
    """Site administrators edit a partner through ``services.partner_update``, like its own people do."""

    def save_instance(self):
        partner = self.form.save(commit=False)
        data = self.form.cleaned_data
        fields = {name: getattr(partner, name) for name in services.EDITABLE_FIELDS}
        return services.partner_update(
            actor=self.request.user,
            partner=partner,
            goals=data.get("goals"),
            focus_themes=data.get("focus_themes"),
            **fields,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # A rule only the service knows (say, a number registered meanwhile): show it on the form.
            add_service_errors(form, error)
            return self.form_invalid(form)


class PartnerViewSet(ModelViewSet):
    model = Partner
    name = "partner_admin"
    url_prefix = "partners/organisations"
    icon = "group"
    menu_label = _("Organisations")
    index_view_class = PartnerIndexView
    inspect_view_class = PartnerInspectView
    edit_view_class = PartnerEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["name", "kind", "organisation_number", "municipality"]
    edit_handler = ObjectList(Partner.panels, base_form_class=PartnerAdminForm)
    list_filter = ["kind"]
    inspect_view_fields = [
        "name",
        "kind",
        "organisation_number",
        "website",
        "public_email",
        "municipality",
        "latitude",
        "longitude",
        "goals",
        "focus_themes",
        "description",
        "created_at",
    ]

    def get_urlpatterns(self):
        # No "add": organisations register themselves on the site, or arrive by CSV import.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]


# --- Partner terms --------------------------------------------------------------------------------


class PartnerTermsIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"]).select_related(
            "hub", "created_by"
        )

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("version", label=_("Version"), accessor=str, get_url=self.get_inspect_url),
            Column("hub", label=_("Hub"), accessor="hub"),
            DateColumn("created_at", label=_("Published"), sort_key="created_at"),
            UserColumn("created_by", label=_("Published by")),
        ]

    def get_list_more_buttons(self, instance):
        return []


class PartnerTermsCreateView(generic.CreateView):
    """Publishing a version goes through ``services.partner_terms_publish`` (which checks the hub)."""

    inspect_url_name = None

    success_message = _("New partner terms published for %(object)s.")

    def save_instance(self):
        data = self.form.cleaned_data
        return services.partner_terms_publish(actor=self.request.user, hub=data["hub"], text=data["text"])

    def get_success_message(self, instance):
        return self.success_message % {"object": instance.hub}

    def get_success_buttons(self):
        # A published version is read, not edited: offer to read it.
        return [messages.button(reverse(self.inspect_url_name, args=[quote(self.object.pk)]), _("View"))]


class PartnerTermsInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        scoped = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"])
        return get_object_or_404(scoped, pk=self.pk)

    def get_text_display_value(self):
        return RichText(self.object.text)


class PartnerTermsViewSet(ModelViewSet):
    model = PartnerTerms
    name = "partner_terms_admin"
    url_prefix = "partners/terms"
    icon = "doc-full"
    menu_label = _("Partner terms")
    index_view_class = PartnerTermsIndexView
    add_view_class = PartnerTermsCreateView
    inspect_view_class = PartnerTermsInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = ["hub", "created_at", "created_by", "text"]
    edit_handler = ObjectList(
        [FieldPanel("hub"), FieldPanel("text")],
        base_form_class=PartnerTermsForm,
    )

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_urlpatterns(self):
        # Published versions never change: partnerships point at the version they accepted.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        return []


# --- The menu -------------------------------------------------------------------------------------


class PartnersMenuItem(SubmenuMenuItem):
    """The "Partners" menu, whose label says how many applications wait for this person."""

    def render_component(self, request):
        count = selectors.pending_partnerships_for_coordinator(request.user).count()
        label = self.label
        if count:
            # Short, because the sidebar is narrow: "Partners (3)".
            # Translators: a menu label and the number of partner applications waiting, e.g. "Partners (3)".
            label = _("%(label)s (%(count)s)") % {"label": self.label, "count": count}
        return SubMenuItemComponent(
            self.name,
            label,
            self.menu.render_component(request),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class PartnersViewSetGroup(ViewSetGroup):
    menu_label = _("Partners")
    menu_name = "partners"
    menu_icon = "group"
    menu_order = 250
    items = (PartnershipViewSet, PartnerViewSet, PartnerTermsViewSet)
    # The hubs page (export and import) joins the submenu through this hook.
    submenu_hook = "register_partners_admin_menu_item"

    def get_menu_item(self, order=None):
        return PartnersMenuItem(
            label=self.menu_label,
            menu=Menu(register_hook_name=self.submenu_hook, items=self.get_submenu_items()),
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
        )
