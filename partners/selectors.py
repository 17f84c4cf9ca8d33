"""Reads for partners. List selectors cost a fixed number of queries whatever the data size."""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.images import get_image_model

from cms.models import HubPage
from cms.permissions import is_site_administrator
from partners.models import (
    Partner,
    PartnerInvitation,
    PartnerMember,
    PartnerOldSlug,
    PartnerRole,
    Partnership,
    PartnershipStatus,
)
from partners.validators import normalise_organisation_number

# The logo rendition the directory and partner pages show; prefetched so each card costs nothing.
LOGO_RENDITION = "max-240x120"


def _with_logos(queryset: QuerySet[Partner]) -> QuerySet[Partner]:
    images = get_image_model().objects.prefetch_renditions(LOGO_RENDITION)
    return queryset.prefetch_related(Prefetch("logo", queryset=images))


def directory_partners(
    hub: HubPage | None,
    *,
    kind: str = "",
    goal_number: int | None = None,
    query: str = "",
    hubs: list[HubPage] | None = None,
) -> QuerySet[Partner]:
    """The hub's approved partners, filtered, alphabetically, with goals and logo renditions prefetched.

    With ``hub`` None, those approved in any of ``hubs`` (the open-data downloads across hubs).
    """
    in_hub = {"partnerships__hub": hub} if hub is not None else {"partnerships__hub__in": hubs or []}
    partners = Partner.objects.filter(**in_hub, partnerships__status=PartnershipStatus.APPROVED)
    if kind:
        partners = partners.filter(kind=kind)
    if goal_number:
        partners = partners.filter(goals__number=goal_number)
    query = (query or "").strip()
    if query:
        partners = partners.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(municipality__icontains=query)
            | Q(tagged_items__tag__name__icontains=query)
        )
    return _with_logos(partners.distinct().order_by("name", "pk").prefetch_related("goals"))


def approved_partnerships() -> QuerySet[Partnership]:
    """Every approved partnership: the only ones that make a partner public (in that hub)."""
    return Partnership.objects.filter(status=PartnershipStatus.APPROVED)


def directory_partner(hub: HubPage, slug: str) -> Partner:
    """One approved partner of the hub, for its page; raises Partner.DoesNotExist otherwise."""
    partners = Partner.objects.filter(
        slug=slug, partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED
    ).prefetch_related("goals", "tagged_items__tag")
    return _with_logos(partners).get()


def partner_current_slug(old_slug: str) -> str | None:
    """The slug now used by the partner that had ``old_slug`` before it was re-slugged, or None."""
    return PartnerOldSlug.objects.filter(slug=old_slug).values_list("partner__slug", flat=True).first()


def partner_by_organisation_number(number: str) -> Partner | None:
    number = normalise_organisation_number(number or "")
    if not number:
        return None
    return Partner.objects.filter(organisation_number=number).first()


def partners_administered_by(user) -> QuerySet[Partner]:
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(members__user=user, members__role=PartnerRole.ADMINISTRATOR).order_by("name")


def memberships_of(user) -> QuerySet[PartnerMember]:
    """The organisations a person acts for, with each one's partnerships, for "My organisations"."""
    if not user.is_authenticated:
        return PartnerMember.objects.none()
    partnerships = Partnership.objects.select_related("hub").order_by("hub__title")
    return (
        PartnerMember.objects.filter(user=user)
        .select_related("partner")
        .prefetch_related(Prefetch("partner__partnerships", queryset=partnerships))
        .order_by("partner__name")
    )


def invitations_for(user) -> QuerySet[PartnerInvitation]:
    """Open invitations to one of the person's verified addresses, from organisations they do not act for yet."""
    if not user.is_authenticated:
        return PartnerInvitation.objects.none()
    verified = EmailAddress.objects.filter(user=user, verified=True, email__iexact=OuterRef("email"))
    return (
        PartnerInvitation.objects.filter(Exists(verified), accepted_at__isnull=True, expires_at__gte=timezone.now())
        .exclude(partner__members__user=user)
        .select_related("partner", "invited_by")
        .order_by("-created_at", "pk")
    )


def invitations_sent_by_organisations_of(user) -> QuerySet[PartnerInvitation]:
    """Open invitations of the organisations the person administers (only administrators see them)."""
    if not user.is_authenticated:
        return PartnerInvitation.objects.none()
    administered = PartnerMember.objects.filter(user=user, role=PartnerRole.ADMINISTRATOR).values("partner_id")
    return (
        PartnerInvitation.objects.filter(
            partner_id__in=administered, accepted_at__isnull=True, expires_at__gte=timezone.now()
        )
        .select_related("partner")
        .order_by("partner__name", "email", "pk")
    )


def hub_partnerships(hub: HubPage, *, status: str = "") -> QuerySet[Partnership]:
    """A hub's partnerships (all, or of one status), for coordinators."""
    partnerships = Partnership.objects.filter(hub=hub).select_related("partner", "applied_by", "decided_by")
    if status:
        partnerships = partnerships.filter(status=status)
    return partnerships.order_by("partner__name")


def pending_partnerships() -> QuerySet[Partnership]:
    """Applications waiting for a coordinator's decision, in every hub."""
    return Partnership.objects.filter(status=PartnershipStatus.APPLIED)


def pending_partnerships_for_coordinator(user) -> QuerySet[Partnership]:
    """Applications waiting in the hubs this person coordinates (every hub for site administrators)."""
    applied = pending_partnerships().select_related("partner", "hub")
    if is_site_administrator(user):
        return applied.order_by("applied_at")
    if not user.is_authenticated:
        return applied.none()
    return applied.filter(hub__coordinators_group__in=user.groups.all()).order_by("applied_at")
