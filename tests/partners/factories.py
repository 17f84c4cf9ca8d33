"""Factories for partners, reused by every test that needs organisations in a hub."""

import itertools

from django.utils import timezone

from cms.services import hub_coordinator_add
from partners.models import (
    Partner,
    PartnerIndexPage,
    PartnerKind,
    PartnerMember,
    PartnerRole,
    Partnership,
    PartnershipStatus,
)
from partners.validators import organisation_number_check_digit
from tests.accounts.factories import UserFactory
from tests.cms.factories import home_page_create, hub_page_create

_sequence = itertools.count(1)


def valid_organisation_number(seed: int) -> str:
    """A nine-digit number with a correct modulus-11 check digit (not a real organisation's)."""
    candidate = 90_000_000 + seed * 7
    while True:
        first_eight = f"{candidate:08d}"[-8:]
        check = organisation_number_check_digit(first_eight)
        if check is not None:
            return f"{first_eight}{check}"
        candidate += 1


def hub_create(**fields):
    """A hub under a fresh home page (the default Site's root), with its coordinators group."""
    home = fields.pop("home", None) or home_page_create()
    return hub_page_create(parent=home, **fields)


def coordinator_create(hub, **fields):
    user = UserFactory(verified=True, **fields)
    hub_coordinator_add(hub=hub, user=user)
    return user


def partner_index_create(hub, **fields) -> PartnerIndexPage:
    fields.setdefault("title", "Partnere")
    fields.setdefault("slug", "partners")
    index = PartnerIndexPage(**fields)
    hub.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()
    return index


def partner_create(*, administrator=None, goals=(), **fields) -> Partner:
    """A partner saved directly (no service): for setting up tests, not for testing writes."""
    number = next(_sequence)
    fields.setdefault("name", f"Organisasjon {number} AS")
    fields.setdefault("slug", f"organisasjon-{number}")
    fields.setdefault("kind", PartnerKind.BUSINESS)
    if fields["kind"] != PartnerKind.CITIZEN_INITIATIVE:
        fields.setdefault("organisation_number", valid_organisation_number(number))
    partner = Partner.objects.create(**fields)
    if goals:
        partner.goals.set(goals)
    if administrator is not None:
        PartnerMember.objects.create(partner=partner, user=administrator, role=PartnerRole.ADMINISTRATOR)
    return partner


def partnership_create(*, partner, hub, status=PartnershipStatus.APPROVED, **fields) -> Partnership:
    now = timezone.now()
    fields.setdefault("applied_at", now)
    if status != PartnershipStatus.APPLIED:
        fields.setdefault("decided_at", now)
    return Partnership.objects.create(partner=partner, hub=hub, status=status, **fields)


def member_add(partner, *, user=None, role=PartnerRole.MEMBER, **user_fields) -> PartnerMember:
    """Put a (new, verified) user in a partner with ``role``, directly: setup, not a test of writes."""
    user = user or UserFactory(verified=True, **user_fields)
    return PartnerMember.objects.create(partner=partner, user=user, role=role)


def partner_terms_create(hub, *, text="<p>Vi deler kunnskap og følger lover og regler.</p>", **fields):
    from partners.models import PartnerTerms

    return PartnerTerms.objects.create(hub=hub, text=text, **fields)


def logo_image_create(*, title="Logo", size=(64, 32)):
    """A Wagtail image with a real (tiny) PNG file, as a partner logo."""
    from django.core.files.base import ContentFile
    from wagtail.images import get_image_model

    from tests.accounts.images import picture_bytes

    image = get_image_model()(title=title)
    image.file.save(f"logo-{next(_sequence)}.png", ContentFile(picture_bytes(size=size)), save=False)
    image.width, image.height = size
    image._set_image_file_metadata()
    image.save()
    return image
