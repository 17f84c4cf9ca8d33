"""The "Discussions" menu of the Wagtail admin: threads, commenting suspensions and the moderation log.

The moderation queue (``discussions.admin.views``) joins the same menu through
``register_discussions_admin_menu_item``. Every listing and object is scoped to the hubs someone
coordinates (every hub for site administrators) by the permission policies in
``discussions.admin.access``, registered in ``discussions.wagtail_hooks`` before any viewset asks
for one; an object outside someone's hubs is
a 404. Nobody adds, edits or deletes these rows through generic views: locking, pinning,
suspending and lifting go through ``discussions.services``, which log who, when and why.
"""

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.sidebar import SubMenuItem as SubMenuItemComponent
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.admin.access import coordinated_hubs, forbidden
from cms.forms import add_service_errors
from cms.permissions import is_hub_coordinator
from discussions import services
from discussions.admin.access import VIEW, can_use_discussions_admin
from discussions.admin.forms import SuspensionForm, SuspensionLiftForm, ThreadModerationForm
from discussions.admin.views import forums_by_hub, thread_public_url, waiting_count
from discussions.models import CommentingSuspension, ModerationAction, ModerationActionKind, Thread
from discussions.permissions import can_moderate_thread

THREAD_LOG_LIMIT = 20


def _coordinated_hubs_for(request):
    return coordinated_hubs(request.user)


def _person(user) -> str:
    if user is None:
        return "–"
    return user.display_name or user.email


class _ScopedIndexView(generic.IndexView):
    select_related: tuple[str, ...] = ()

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, [VIEW]).select_related(
            *self.select_related
        )

    def get_list_more_buttons(self, instance):
        return []


def _scoped_object(view, *related: str):
    """The object of an inspect view, if it is in the viewer's hubs (else 404: its existence stays private)."""
    scoped = view.permission_policy.instances_user_has_any_permission_for(view.request.user, [VIEW])
    return get_object_or_404(scoped.select_related(*related), pk=view.pk)


# --- Threads --------------------------------------------------------------------------------------


class ThreadFilterSet(WagtailFilterSet):
    hub = django_filters.ModelChoiceFilter(label=gettext_lazy("Hub"), queryset=_coordinated_hubs_for)
    locked = django_filters.BooleanFilter(label=gettext_lazy("Locked"))

    class Meta:
        model = Thread
        fields = ["hub", "locked"]


class ThreadIndexView(_ScopedIndexView):
    filterset_class = ThreadFilterSet
    search_fields = ["title"]
    # Threads are in the site-search index now; the admin list keeps searching its own scoped
    # queryset in the database (title contains the words), as before.
    search_backend_name = None
    default_ordering = "-last_activity_at"
    page_title = gettext_lazy("Threads")
    select_related = ("hub", "project")

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(comment_count=Count("comments"))

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "title", label=gettext_lazy("Thread"), sort_key="title", get_url=self.get_inspect_url, accessor="title"
            ),
            Column("hub", label=gettext_lazy("Hub"), accessor="hub"),
            Column(
                "kind",
                label=gettext_lazy("Kind"),
                accessor=lambda thread: _("Project") if thread.project_id else _("Forum topic"),
            ),
            Column("comment_count", label=gettext_lazy("Comments"), sort_key="comment_count"),
            BooleanColumn("locked", label=gettext_lazy("Locked"), sort_key="locked"),
            BooleanColumn("pinned", label=gettext_lazy("Pinned"), sort_key="pinned"),
            DateColumn("last_activity_at", label=gettext_lazy("Last activity"), sort_key="last_activity_at"),
        ]


class ThreadDetailView(generic.InspectView):
    """One thread: where it is, its state, lock or unlock (and pin, for forum topics), its log.

    Each action is a POST to this view that calls the service.
    """

    template_name = "discussions/admin/thread_detail.html"
    any_permission_required = [VIEW]
    page_title = gettext_lazy("Thread")

    def get_object(self, queryset=None):
        return _scoped_object(self, "hub", "project")

    def get_fields(self):
        return []

    def get_page_subtitle(self):
        return self.object.title

    def get_context_data(self, form: ThreadModerationForm | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        thread = self.object
        counts = thread.comments.aggregate(
            total=Count("pk"),
            hidden=Count("pk", filter=Q(hidden_at__isnull=False)),
            deleted=Count("pk", filter=Q(deleted_at__isnull=False)),
        )
        context.update(
            thread=thread,
            counts=counts,
            public_url=thread_public_url(thread, self.request, forums_by_hub([thread.hub])),
            form=form or ThreadModerationForm(locked=thread.locked),
            can_moderate=can_moderate_thread(self.request.user, thread),
            log=ModerationAction.objects.filter(thread=thread).select_related("actor", "user")[:THREAD_LOG_LIMIT],
            log_url=reverse("moderation_log_admin:index") + f"?hub={thread.hub_id}",
        )
        return context

    def post(self, request, *args, **kwargs):
        thread = self.object
        form = ThreadModerationForm(request.POST, locked=thread.locked)
        if form.is_valid():
            action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
            try:
                if action == "lock":
                    services.thread_lock(actor=request.user, thread=thread, reason=reason)
                    done = _("The thread is locked: nobody but its coordinators can comment.")
                elif action == "unlock":
                    services.thread_unlock(actor=request.user, thread=thread, reason=reason)
                    done = _("The thread is open for comments again.")
                else:
                    services.thread_pin(actor=request.user, thread=thread, pinned=action == "pin")
                    done = _("The topic is pinned.") if action == "pin" else _("The topic is no longer pinned.")
            except PermissionDenied:
                return forbidden(request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ThreadViewSet(ModelViewSet):
    model = Thread
    name = "discussion_thread_admin"
    url_prefix = "discussions/threads"
    icon = "comment"
    menu_label = gettext_lazy("Threads")
    index_view_class = ThreadIndexView
    inspect_view_class = ThreadDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_urlpatterns(self):
        # Threads are opened on the site (forum topics) or with their project; they change only
        # through the moderation actions on the detail page.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        return []


# --- Suspensions ----------------------------------------------------------------------------------


class SuspensionState:
    ACTIVE = "active"
    ENDED = "ended"
    LIFTED = "lifted"

    choices = [
        (ACTIVE, gettext_lazy("In force")),
        (ENDED, gettext_lazy("Ended")),
        (LIFTED, gettext_lazy("Lifted")),
    ]


def suspension_state(suspension: CommentingSuspension) -> str:
    if suspension.lifted_at is not None:
        return SuspensionState.LIFTED
    if suspension.ends_at <= timezone.now():
        return SuspensionState.ENDED
    return SuspensionState.ACTIVE


def suspension_state_label(suspension: CommentingSuspension) -> str:
    return str(dict(SuspensionState.choices)[suspension_state(suspension)])


class SuspensionFilterSet(WagtailFilterSet):
    hub = django_filters.ModelChoiceFilter(label=gettext_lazy("Hub"), queryset=_coordinated_hubs_for)
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=SuspensionState.choices, method="filter_state"
    )

    class Meta:
        model = CommentingSuspension
        fields = ["hub", "state"]

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == SuspensionState.ACTIVE:
            return queryset.filter(lifted_at__isnull=True, ends_at__gt=now)
        if value == SuspensionState.ENDED:
            return queryset.filter(lifted_at__isnull=True, ends_at__lte=now)
        if value == SuspensionState.LIFTED:
            return queryset.filter(lifted_at__isnull=False)
        return queryset


class SuspensionIndexView(_ScopedIndexView):
    filterset_class = SuspensionFilterSet
    default_ordering = "-starts_at"
    page_title = gettext_lazy("Commenting suspensions")
    select_related = ("hub", "user", "created_by")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "user", label=gettext_lazy("Person"), accessor=lambda s: _person(s.user), get_url=self.get_inspect_url
            ),
            Column("hub", label=gettext_lazy("Hub"), accessor="hub"),
            DateColumn("starts_at", label=gettext_lazy("From"), sort_key="starts_at"),
            DateColumn("ends_at", label=gettext_lazy("Until"), sort_key="ends_at"),
            StatusTagColumn(
                "state",
                label=gettext_lazy("State"),
                accessor=suspension_state_label,
                primary=lambda s: suspension_state(s) == SuspensionState.ACTIVE,
            ),
            Column("created_by", label=gettext_lazy("By"), accessor=lambda s: _person(s.created_by)),
            Column("reason", label=gettext_lazy("Reason"), accessor="reason"),
        ]


class SuspensionCreateView(WagtailAdminTemplateMixin, FormView):
    """Suspend someone from commenting in a hub, through ``services.user_suspend``."""

    template_name = "discussions/admin/suspension_form.html"
    form_class = SuspensionForm
    page_title = gettext_lazy("Suspend from commenting")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_discussions_admin(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("commenting_suspension_admin:index"), "label": _("Commenting suspensions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        # From the queue's "Suspend the author" link; the form's choices decide what is allowed.
        return {key: self.request.GET[key] for key in ("hub", "user") if self.request.GET.get(key, "").isdigit()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            suspension = services.user_suspend(
                actor=self.request.user,
                hub=data["hub"],
                user=data["user"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except PermissionDenied:
            return forbidden(self.request)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(person)s cannot comment in %(hub)s until %(until)s.")
            % {
                "person": _person(suspension.user),
                "hub": suspension.hub.title,
                "until": timezone.localtime(suspension.ends_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
        return redirect("commenting_suspension_admin:inspect", suspension.pk)


class SuspensionDetailView(generic.InspectView):
    """One suspension, and lifting it (through ``services.suspension_lift``) while it is in force."""

    template_name = "discussions/admin/suspension_detail.html"
    any_permission_required = [VIEW]
    page_title = gettext_lazy("Commenting suspension")

    def get_object(self, queryset=None):
        return _scoped_object(self, "hub", "user", "created_by")

    def get_fields(self):
        return []

    def get_page_subtitle(self):
        return _person(self.object.user)

    def get_context_data(self, form: SuspensionLiftForm | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        suspension = self.object
        state = suspension_state(suspension)
        context.update(
            suspension=suspension,
            person=_person(suspension.user),
            state=state,
            state_label=suspension_state_label(suspension),
            can_lift=state == SuspensionState.ACTIVE and is_hub_coordinator(self.request.user, suspension.hub),
            form=form or SuspensionLiftForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = SuspensionLiftForm(request.POST)
        if form.is_valid():
            try:
                services.suspension_lift(actor=request.user, suspension=self.object, reason=form.cleaned_data["reason"])
            except PermissionDenied:
                return forbidden(request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(person)s can comment again.") % {"person": _person(self.object.user)})
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SuspensionViewSet(ModelViewSet):
    model = CommentingSuspension
    name = "commenting_suspension_admin"
    url_prefix = "discussions/suspensions"
    icon = "lock"
    menu_label = gettext_lazy("Suspensions")
    index_view_class = SuspensionIndexView
    inspect_view_class = SuspensionDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", SuspensionCreateView.as_view(), name="add"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        return []


# --- The moderation log ---------------------------------------------------------------------------


class ModerationActionFilterSet(WagtailFilterSet):
    hub = django_filters.ModelChoiceFilter(label=gettext_lazy("Hub"), queryset=_coordinated_hubs_for)
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=ModerationActionKind.choices)

    class Meta:
        model = ModerationAction
        fields = ["hub", "kind"]


def _actor(action: ModerationAction) -> str:
    if action.actor_id is None:
        if action.kind == ModerationActionKind.AUTO_HIDE:
            return _("The site (after reports)")
        return _("Unknown (account deleted)")
    return _person(action.actor)


class ModerationLogView(_ScopedIndexView):
    """Every moderation action in one's hubs, newest first: who, when, what and why."""

    filterset_class = ModerationActionFilterSet
    default_ordering = "-created_at"
    page_title = gettext_lazy("Moderation log")
    select_related = ("hub", "actor", "thread", "comment", "user")

    def get_base_queryset(self):
        return super().get_base_queryset().order_by("-created_at", "-pk")

    @cached_property
    def columns(self):
        def thread_url(action):
            if action.thread_id is None:
                return None
            return reverse("discussion_thread_admin:inspect", args=[action.thread_id])

        return [
            DateColumn("created_at", label=gettext_lazy("When"), sort_key="created_at"),
            Column("actor", label=gettext_lazy("Who"), accessor=_actor),
            Column("kind", label=gettext_lazy("What"), accessor="get_kind_display", sort_key="kind"),
            Column("hub", label=gettext_lazy("Hub"), accessor="hub"),
            TitleColumn(
                "thread",
                label=gettext_lazy("Thread"),
                accessor=lambda action: action.thread.title if action.thread_id else "–",
                get_url=thread_url,
            ),
            Column(
                "comment",
                label=gettext_lazy("Comment"),
                accessor=lambda action: action.comment.body[:120] if action.comment_id else "–",
            ),
            Column(
                "user",
                label=gettext_lazy("Concerning"),
                accessor=lambda action: _person(action.user) if action.user_id else "–",
            ),
            Column("reason", label=gettext_lazy("Why"), accessor=lambda action: action.reason or "–"),
        ]


class ModerationLogViewSet(ModelViewSet):
    model = ModerationAction
    name = "moderation_log_admin"
    url_prefix = "discussions/log"
    icon = "list-ul"
    menu_label = gettext_lazy("Moderation log")
    index_view_class = ModerationLogView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False

    def get_urlpatterns(self):
        # The log is never edited.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_permissions_to_register(self):
        return []


# --- The menu -------------------------------------------------------------------------------------


class DiscussionsMenuItem(SubmenuMenuItem):
    """The "Discussions" menu, whose label says how many comments wait for a decision."""

    def render_component(self, request):
        count = waiting_count(request.user)
        label = self.label
        if count:
            # Translators: a menu label and the number of comments waiting for moderation, e.g. "Discussions (3)".
            label = _("%(label)s (%(count)s)") % {"label": self.label, "count": count}
        return SubMenuItemComponent(
            self.name,
            label,
            self.menu.render_component(request),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class DiscussionsViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Discussions")
    menu_name = "discussions"
    menu_icon = "comment"
    menu_order = 260
    items = (ThreadViewSet, SuspensionViewSet, ModerationLogViewSet)
    # The moderation queue joins the submenu (first) through this hook.
    submenu_hook = "register_discussions_admin_menu_item"

    def get_menu_item(self, order=None):
        return DiscussionsMenuItem(
            label=self.menu_label,
            menu=Menu(register_hook_name=self.submenu_hook, items=self.get_submenu_items()),
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
        )
