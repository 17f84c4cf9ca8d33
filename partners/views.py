"""The public partner pages: a hub's directory, a partner's page, applying, "My organisations", invitations.

The directory, partner pages and the application form are routes of a hub's ``PartnerIndexPage``
(so they live at ``<hub>/partners/...`` and get the hub's language and breadcrumbs); the pages
that belong to a person rather than to a hub are ordinary Django views under ``/partners/``.
Views only translate between HTTP and the services: every rule is in ``partners.services`` and
``partners.permissions``.
"""

import logging

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.images import ERROR_MESSAGES as IMAGE_ERROR_MESSAGES
from cms import dependency
from cms.forms import add_service_errors
from cms.lazy_context import lazy_values, query_part_name
from cms.permissions import is_hub_coordinator, is_site_administrator
from cms.rate_limits import rate_limit_hit, rate_limited_message, with_retry_after
from goals.selectors import goals_in_order
from partners import services
from partners.forms import (
    DirectoryFilterForm,
    ExistingPartnerApplicationForm,
    MemberInviteForm,
    NewPartnerApplicationForm,
    PartnerProfileForm,
)
from partners.models import (
    PARTNERSHIP_TRANSITIONS,
    Partner,
    PartnerInvitation,
    PartnerMember,
    PartnerRole,
    Partnership,
    PartnershipStatus,
)
from partners.permissions import can_edit_partner, can_manage_partner_members, is_partner_member
from partners.selectors import (
    directory_partner,
    directory_partners,
    invitations_for,
    invitations_sent_by_organisations_of,
    memberships_of,
    partner_current_slug,
    partners_administered_by,
)

logger = logging.getLogger(__name__)

DIRECTORY_PAGE_SIZE = 24
# Errors from accounts.images are about the uploaded logo, whatever the service says they are about.
_LOGO_ERRORS = dict.fromkeys(IMAGE_ERROR_MESSAGES, "logo")


# --- Routes of PartnerIndexPage -------------------------------------------------------------------


# What the directory's public part reads (directory).
DIRECTORY_NAMES = ("filter_form", "is_filtered", "partners", "page_obj", "paginator", "page_range")


def directory(request, page):
    """The hub's approved partners with filters, a result count and pagination.

    The filters and the cards are a public part (the same for every visitor with the same query),
    so their context is read only when the part is rendered.
    """
    hub = page.get_hub()

    def listing() -> dict:
        filter_form = DirectoryFilterForm(request.GET, goals=list(goals_in_order()))
        filters = filter_form.filters()
        paginator = Paginator(directory_partners(hub, **filters), DIRECTORY_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        return {
            "filter_form": filter_form,
            "is_filtered": any(filters.values()),
            "partners": page_obj.object_list,
            "page_obj": page_obj,
            "paginator": paginator,
            "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)),
        }

    return page.render(
        request,
        template="partners/partner_index_page.html",
        context_overrides={
            "index_url": page.get_url(request),
            "listing_part": query_part_name("partner-directory", request),
            "can_export": is_hub_coordinator(request.user, hub),
            **lazy_values(listing, DIRECTORY_NAMES),
        },
    )


def partner_detail(request, page, slug: str):
    """One partner's public page; it exists only for partners approved in this hub."""
    hub = page.get_hub()
    try:
        partner = directory_partner(hub, slug)
    except Partner.DoesNotExist as error:
        current_slug = partner_current_slug(slug)
        if current_slug is not None:
            return redirect(f"{page.get_url(request)}{current_slug}/", permanent=True)
        raise Http404(_("No partner here has that address.")) from error
    dependency.page_depends_on(dependency.partner(partner.pk))
    return page.render(
        request,
        template="partners/partner_detail.html",
        context_overrides={
            "index_url": page.get_url(request),
            "partner": partner,
            "focus_themes": sorted((item.tag.name for item in partner.tagged_items.all()), key=str.lower),
            "can_export": is_hub_coordinator(request.user, hub),
        },
    )


def apply(request, page):
    """Become a partner: register a new organisation, or pick one you administer, and apply to the hub."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    hub = page.get_hub()
    user = request.user
    terms = services.current_partner_terms(hub)
    administered = partners_administered_by(user)
    # Organisations whose partnership here cannot go back to "applied" are shown, not offered.
    current = list(Partnership.objects.filter(hub=hub, partner__in=administered).select_related("partner"))
    blocked = [p for p in current if PartnershipStatus.APPLIED not in PARTNERSHIP_TRANSITIONS[p.status]]
    statuses = {p.partner_id: p.get_status_display() for p in current if p not in blocked}
    can_apply_with = administered.exclude(pk__in=[p.partner_id for p in blocked])
    action = request.POST.get("action") if request.method == "POST" else None

    new_form = NewPartnerApplicationForm(
        request.POST if action == "new" else None,
        request.FILES if action == "new" else None,
        user=user,
        terms=terms,
    )
    existing_form = ExistingPartnerApplicationForm(
        request.POST if action == "existing" else None,
        prefix="existing",
        partners=can_apply_with,
        statuses=statuses,
        terms=terms,
    )

    wait = None
    if action == "new" and new_form.wants_preview:
        new_form.show_preview()
    # Every application e-mails the hub's coordinators: a burst is refused, keeping what was typed.
    elif wait := (rate_limit_hit(request, "partner-application") if action in ("new", "existing") else None):
        (new_form if action == "new" else existing_form).add_error(None, rate_limited_message(wait))
    elif action == "new" and new_form.is_valid():
        fields = new_form.service_fields()
        partner = None
        try:
            # One transaction: an application that fails leaves no organisation behind.
            with transaction.atomic():
                partner = services.partner_create(actor=user, **fields)
                services.partnership_apply(
                    actor=user, partner=partner, hub=hub, accept_terms=new_form.cleaned_data.get("accept_terms", False)
                )
        except ValidationError as error:
            if partner is not None and partner.logo_id:
                # The rollback removed the image's row; its file is not part of the transaction.
                partner.logo.file.storage.delete(partner.logo.file.name)
            add_service_errors(new_form, error, fields_for_codes=_LOGO_ERRORS)
        else:
            return _applied(request, partner=partner, hub=hub)
    elif action == "existing" and existing_form.is_valid():
        partner = existing_form.cleaned_data["partner"]
        try:
            services.partnership_apply(
                actor=user, partner=partner, hub=hub, accept_terms=existing_form.cleaned_data.get("accept_terms", False)
            )
        except ValidationError as error:
            add_service_errors(existing_form, error, fields_for_codes=_LOGO_ERRORS)
        else:
            return _applied(request, partner=partner, hub=hub)

    if new_form.existing_partner_administered and not existing_form.is_bound:
        # The person tried to register an organisation they already administer: offer it instead.
        existing_form.initial["partner"] = new_form.existing_partner.pk

    response = page.render(
        request,
        template="partners/apply.html",
        context_overrides={
            "index_url": page.get_url(request),
            "new_form": new_form,
            "existing_form": existing_form,
            "has_administered": can_apply_with.exists(),
            "already_here": blocked,
            "terms": terms,
            "current_title": _("Become a partner"),
        },
    )
    return with_retry_after(response, wait)


def _applied(request, *, partner: Partner, hub):
    messages.success(
        request,
        _("%(partner)s has applied to become a partner of %(hub)s. The coordinators will answer you by e-mail.")
        % {"partner": partner.name, "hub": hub.title},
    )
    return redirect("partner_manage", slug=partner.slug)


# --- The organisations a person acts for ----------------------------------------------------------


@login_required
def mine(request):
    """The organisations I act for, with each one's partnerships, their statuses and the coordinators' reasons,
    the invitations waiting for me or sent by my organisations; the template adds the organisations'
    proposals, projects and progress updates due from the projects app's ``partner_work`` tag."""
    memberships = list(memberships_of(request.user))
    context = {
        "memberships": memberships,
        "invitations": list(invitations_for(request.user)),
        "invitations_sent": list(invitations_sent_by_organisations_of(request.user)),
    }
    return render(request, "partners/mine.html", context)


def _manageable_partner(request, slug: str) -> tuple[Partner, PartnerMember | None]:
    """The organisation behind ``slug`` if the person acts for it; 404 otherwise, so existence stays private."""
    partner = get_object_or_404(Partner.objects.select_related("logo"), slug=slug)
    member = PartnerMember.objects.filter(partner=partner, user=request.user).first()
    if member is None and not is_site_administrator(request.user):
        raise Http404(_("You do not act for this organisation."))
    return partner, member


@login_required
def manage(request, slug: str):
    """An organisation's own page: its status in each hub, its profile, its people and open invitations."""
    try:
        partner, member = _manageable_partner(request, slug)
    except Http404:
        current_slug = partner_current_slug(slug)
        if current_slug is None:
            raise
        return redirect("partner_manage", slug=current_slug, permanent=True)
    can_edit = can_edit_partner(request.user, partner)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only the organisation's administrators can edit it."))
        form = PartnerProfileForm(request.POST, request.FILES, user=request.user, partner=partner)
        if form.wants_preview:
            form.show_preview()
        elif form.is_valid():
            fields = form.service_fields()
            try:
                services.partner_update(
                    actor=request.user,
                    partner=partner,
                    remove_logo=form.cleaned_data.get("remove_logo", False),
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error, fields_for_codes=_LOGO_ERRORS)
                partner.refresh_from_db()
            else:
                messages.success(request, _("The organisation's profile has been saved."))
                return redirect("partner_manage", slug=partner.slug)
    else:
        form = PartnerProfileForm(initial=PartnerProfileForm.initial_for(partner), user=request.user, partner=partner)
    return _render_manage(request, partner, member, profile_form=form)


def _render_manage(request, partner, member, *, profile_form=None, invite_form=None, status=200):
    can_edit = can_edit_partner(request.user, partner)
    if can_edit and profile_form is None:
        profile_form = PartnerProfileForm(
            initial=PartnerProfileForm.initial_for(partner), user=request.user, partner=partner
        )
    can_manage_members = can_manage_partner_members(request.user, partner)
    context = {
        "partner": partner,
        "membership": member,
        "can_edit": can_edit,
        "can_manage_members": can_manage_members,
        "partnerships": partner.partnerships.select_related("hub").order_by("hub__title"),
        "members": partner.members.select_related("user").order_by("-role", "user__display_name", "user__email"),
        "invitations": (
            partner.invitations.filter(accepted_at__isnull=True, expires_at__gte=timezone.now()).order_by("email")
            if can_manage_members
            else []
        ),
        "profile_form": profile_form if can_edit else None,
        "invite_form": (invite_form or MemberInviteForm(prefix="invite")) if can_manage_members else None,
        "administrator_role": PartnerRole.ADMINISTRATOR,
    }
    return render(request, "partners/manage.html", context, status=status)


@login_required
@require_POST
def member_invite(request, slug: str):
    partner, member = _manageable_partner(request, slug)
    if not can_manage_partner_members(request.user, partner):
        raise PermissionDenied(_("Only the organisation's administrators can invite people."))
    form = MemberInviteForm(request.POST, prefix="invite")
    wait = rate_limit_hit(request, "member-invitation")
    if wait:
        form.add_error(None, rate_limited_message(wait))
        return with_retry_after(_render_manage(request, partner, member, invite_form=form), wait)
    if form.is_valid():
        try:
            invitation = services.member_invite(
                actor=request.user, partner=partner, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            add_service_errors(form, error, fields_for_codes=_LOGO_ERRORS)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect("partner_manage", slug=partner.slug)
    return _render_manage(request, partner, member, invite_form=form, status=400)


@login_required
@require_POST
def member_remove(request, slug: str, member_id: int):
    partner, member = _manageable_partner(request, slug)
    if not can_manage_partner_members(request.user, partner):
        raise PermissionDenied(_("Only the organisation's administrators can remove people."))
    removed = get_object_or_404(PartnerMember.objects.select_related("user", "partner"), pk=member_id, partner=partner)
    try:
        services.member_remove(actor=request.user, member=removed)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(person)s no longer acts for the organisation.") % {"person": removed.user})
        if removed.user_id == request.user.pk and not is_partner_member(request.user, partner):
            return redirect("partner_mine")
    return redirect("partner_manage", slug=partner.slug)


# --- Invitations ----------------------------------------------------------------------------------


def invitation(request, token: str):
    """Show an invitation; a logged-in person with the invited, verified address accepts it with a POST."""
    invitation = get_object_or_404(PartnerInvitation.objects.select_related("partner", "invited_by"), token=token)
    state = _invitation_state(request.user, invitation)
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.invitation_accept(user=request.user, invitation=invitation)
        except (ValidationError, PermissionDenied) as problem:
            error = " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)
        else:
            messages.success(request, _("Welcome! You now act for %(partner)s.") % {"partner": invitation.partner.name})
            return redirect("partner_manage", slug=invitation.partner.slug)
    context = {"invitation": invitation, "state": state, "error": error}
    return render(request, "partners/invitation.html", context, status=400 if error else 200)


def _invitation_state(user, invitation: PartnerInvitation) -> str:
    """What the invitation page can offer: one of accepted, expired, anonymous, wrong_address, open."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.expires_at < timezone.now():
        return "expired"
    if not user.is_authenticated:
        return "anonymous"
    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        return "wrong_address"
    return "open"
