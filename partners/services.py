"""Every write to partners goes through here: permission, validation, one transaction, a log line,
and e-mails scheduled after commit (``partners.emails``)."""

import logging
import secrets
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model
from wagtail.models import Collection

from accounts.images import reencode_uploaded_image
from accounts.models import User
from cms import dependency
from cms.models import HubPage
from cms.permissions import is_hub_coordinator
from cms.sanitise import active_content, sanitise_html
from cms.slugs import slugify_no
from goals.models import Goal
from partners import emails, events
from partners.models import (
    PARTNERSHIP_TRANSITIONS,
    Partner,
    PartnerInvitation,
    PartnerMember,
    PartnerOldSlug,
    PartnerRole,
    Partnership,
    PartnershipEvent,
    PartnershipStatus,
    PartnerTerms,
)
from partners.permissions import (
    can_apply_for_partnership,
    can_decide_partnership,
    can_edit_partner,
    can_manage_hub_partners,
    can_manage_partner_members,
)
from partners.validators import normalise_organisation_number

logger = logging.getLogger(__name__)

INVITATION_VALID_FOR = timedelta(days=14)
LOGO_MAX_SIDE = 800
LOGO_COLLECTION_NAME = "Partner logos"
COORDINATE_PRECISION = Decimal("0.00001")
DUPLICATE_ORGANISATION_NUMBER = gettext_lazy("An organisation with this organisation number is already registered.")
# The fields a partner's own administrators may change from the public site.
EDITABLE_FIELDS = (
    "name",
    "kind",
    "organisation_number",
    "website",
    "description",
    "public_email",
    "municipality",
    "latitude",
    "longitude",
)
# Decisions that must say why: the partner reads the reason in their e-mail.
REASON_REQUIRED = {PartnershipStatus.REJECTED, PartnershipStatus.SUSPENDED, PartnershipStatus.ENDED}
REASON_MAX_LENGTH = Partnership._meta.get_field("reason").max_length


def _require_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to do this."))


# Path segments the partner URLs use themselves (``<hub>/partners/apply/``, ``/partners/mine/``):
# a partner with one of these slugs could never be reached.
RESERVED_SLUGS = {"apply", "mine", "invitations"}


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify_no(name, max_length=180) or "partner"
    if base in RESERVED_SLUGS:
        base = f"{base}-partner"
    slug, counter = base, 2
    while Partner.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _logo_content(upload):
    """Check and re-encode an uploaded logo before anything is written.

    Raises ValidationError keyed on ``logo``, so that a form shows the message at its logo field.
    """
    try:
        return reencode_uploaded_image(upload, max_side=LOGO_MAX_SIDE)
    except ValidationError as error:
        raise ValidationError({"logo": error.error_list}) from error


def _logo_image(*, partner_name: str, content, actor):
    """Store an already re-encoded logo as a Wagtail image in the partner logos collection.

    Must be called inside the transaction that saves the partner; the caller deletes the file
    if that transaction fails (``_deleting_logo_file_on_error``).
    """
    collection = Collection.objects.filter(name=LOGO_COLLECTION_NAME).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=LOGO_COLLECTION_NAME)
    image = get_image_model()(title=partner_name[:255], collection=collection, uploaded_by_user=actor)
    image.description = _("Logo of %(name)s") % {"name": partner_name}
    image.file.save(content.name, content, save=False)
    image._set_image_file_metadata()
    image.save()
    return image


@contextmanager
def _deleting_logo_file_on_error(partner: Partner):
    """A rolled-back transaction removes the Image row but not its file: remove the file too."""
    logo_before = partner.logo_id
    try:
        yield
    except BaseException:
        logo = partner.logo if partner.logo_id and partner.logo_id != logo_before else None
        if logo is not None:
            logo.file.storage.delete(logo.file.name)
        partner.logo_id = logo_before
        raise


def _logo_discard(image_id: int | None, *, keep_for: Partner) -> None:
    """Delete a replaced or removed logo that we stored ourselves and nobody else uses.

    Wagtail deletes the file after commit. Images chosen in the admin from elsewhere are kept.
    """
    if image_id is None:
        return
    if Partner.objects.filter(logo_id=image_id).exclude(pk=keep_for.pk).exists():
        return
    get_image_model().objects.filter(pk=image_id, collection__name=LOGO_COLLECTION_NAME).delete()


def _apply_fields(partner: Partner, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "organisation_number":
            value = normalise_organisation_number(value or "")
        elif name == "description":
            value = _description(value)
        elif name in {"latitude", "longitude"}:
            value = _coordinate(name, value)
        setattr(partner, name, value)


def _description(html: str) -> str:
    """Refuse scripts and event handlers with a clear message; remove anything else not allowed."""
    found = active_content(html)
    if found:
        message = _(
            "The description contains %(found)s. Scripts and event handlers are not allowed, "
            "because they could run in the browsers of the people reading it. Remove them and try again."
        ) % {"found": ", ".join(found)}
        raise ValidationError({"description": ValidationError(message, code="active_content")})
    return sanitise_html(html)


def _coordinate(name: str, value) -> Decimal | None:
    """A coordinate as the model stores it (five decimals, about a metre), or None when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return Decimal(str(value).strip().replace(",", ".")).quantize(COORDINATE_PRECISION)
    except (InvalidOperation, ValueError):
        raise ValidationError({name: _("Enter a number, for example 62.47225.")}) from None


def _organisation_number_taken(partner: Partner) -> bool:
    number = partner.organisation_number
    return bool(number) and Partner.objects.filter(organisation_number=number).exclude(pk=partner.pk).exists()


def _validate(partner: Partner) -> None:
    """``full_clean``, with a duplicate organisation number reported at its field, where a form shows it.

    (The model's conditional unique constraint would report it for the whole form.) The database
    constraint still decides a race between two registrations: see ``_save_partner``.
    """
    errors: dict = {}
    try:
        partner.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if "organisation_number" not in errors and _organisation_number_taken(partner):
        errors["organisation_number"] = [ValidationError(DUPLICATE_ORGANISATION_NUMBER, code="duplicate")]
    if errors:
        raise ValidationError(errors)


def _save_partner(partner: Partner, *, goals, focus_themes) -> None:
    """Save a partner that has passed ``full_clean``; must be called inside ``transaction.atomic``."""
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as error:
        # Two people registering the same organisation at once: the constraint decides.
        if _organisation_number_taken(partner):
            raise ValidationError(
                {"organisation_number": ValidationError(DUPLICATE_ORGANISATION_NUMBER, code="duplicate")}
            ) from error
        raise ValidationError(
            _("Another organisation with the same name was saved at the same moment. Please try again.")
        ) from error
    if goals is not None:
        partner.goals.set(goals)
    if focus_themes is not None:
        partner.focus_themes.set([theme.strip() for theme in focus_themes if theme.strip()])


def partner_create(
    *,
    actor: User,
    name: str,
    kind: str,
    organisation_number: str = "",
    website: str = "",
    description: str = "",
    public_email: str = "",
    municipality: str = "",
    latitude=None,
    longitude=None,
    goals: Iterable = (),
    focus_themes: Iterable[str] = (),
    logo_upload=None,
) -> Partner:
    """Register an organisation; the person registering it becomes its first administrator.

    An organisation number that is already registered is refused: the caller should offer the
    existing organisation instead (``selectors.partner_by_organisation_number``).
    """
    _require_user(actor)
    partner = Partner()
    _apply_fields(
        partner,
        {
            "name": name,
            "kind": kind,
            "organisation_number": organisation_number,
            "website": website,
            "description": description,
            "public_email": public_email,
            "municipality": municipality,
            "latitude": latitude,
            "longitude": longitude,
        },
    )
    partner.slug = _unique_slug(partner.name)
    # Everything is checked before anything is written, so a refusal leaves no trace.
    _validate(partner)
    logo_content = _logo_content(logo_upload) if logo_upload is not None else None
    with _deleting_logo_file_on_error(partner), transaction.atomic():
        if logo_content is not None:
            partner.logo = _logo_image(partner_name=partner.name, content=logo_content, actor=actor)
        _save_partner(partner, goals=list(goals), focus_themes=list(focus_themes))
        PartnerMember.objects.create(partner=partner, user=actor, role=PartnerRole.ADMINISTRATOR)
        _public_content_changed(partner)
    logger.info("Partner %s created by user %s", partner.pk, actor.pk)
    return partner


def _keep_old_slug(partner: Partner) -> None:
    """If a site administrator changed the slug in the admin, the old address keeps answering (301)."""
    old_slug = Partner.objects.filter(pk=partner.pk).values_list("slug", flat=True).first()
    if old_slug is None or old_slug == partner.slug:
        return
    PartnerOldSlug.objects.filter(slug=partner.slug).delete()  # the partner takes an old address back
    PartnerOldSlug.objects.update_or_create(slug=old_slug, defaults={"partner": partner})


def partner_update(
    *, actor: User, partner: Partner, goals=None, focus_themes=None, logo_upload=None, remove_logo=False, **fields
):
    """Change an organisation's profile (its administrators, or a site administrator).

    ``fields`` are among ``EDITABLE_FIELDS``; ``goals`` and ``focus_themes`` are replaced when given.
    A replaced or removed logo is deleted. On a refusal nothing is saved.
    """
    if not can_edit_partner(actor, partner):
        raise PermissionDenied(_("Only the organisation's administrators can edit it."))
    _apply_fields(partner, fields)
    old_logo_id = partner.logo_id
    if remove_logo:
        partner.logo = None
    _validate(partner)
    logo_content = _logo_content(logo_upload) if logo_upload is not None else None
    with _deleting_logo_file_on_error(partner), transaction.atomic():
        if logo_content is not None:
            partner.logo = _logo_image(partner_name=partner.name, content=logo_content, actor=actor)
        _keep_old_slug(partner)
        _save_partner(partner, goals=goals, focus_themes=focus_themes)
        if partner.logo_id != old_logo_id:
            _logo_discard(old_logo_id, keep_for=partner)
        _public_content_changed(partner)
    logger.info("Partner %s updated by user %s", partner.pk, actor.pk)
    return partner


# --- Members and invitations ---------------------------------------------------------------------


def _verified_emails(user) -> set[str]:
    return {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }


def member_invite(*, actor: User, partner: Partner, email: str, role: str = PartnerRole.MEMBER) -> PartnerInvitation:
    """Invite someone by e-mail. They accept after logging in (or signing up) with that address."""
    if not can_manage_partner_members(actor, partner):
        raise PermissionDenied(_("Only the organisation's administrators can invite people."))
    email = (email or "").strip().lower()
    invitation = PartnerInvitation(
        partner=partner,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    if partner.members.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    with transaction.atomic():
        # A new invitation replaces any open one for the same address.
        PartnerInvitation.objects.filter(partner=partner, email=email, accepted_at__isnull=True).delete()
        invitation.save()
        emails.invitation_email_schedule(invitation)
    logger.info("User %s invited %s to partner %s", actor.pk, email, partner.pk)
    return invitation


def invitation_accept(*, user, invitation: PartnerInvitation) -> PartnerMember:
    """Join the organisation: the invitation's address must be one of the user's verified addresses.

    An invitation is used once; the row is locked so that two tabs accepting at once cannot both use it.
    """
    _require_user(user)
    with transaction.atomic():
        locked = PartnerInvitation.objects.select_for_update().select_related("partner").get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."), code="invitation_used")
        if locked.expires_at < timezone.now():
            raise ValidationError(
                _("This invitation has expired. Ask the organisation to invite you again."), code="invitation_expired"
            )
        if locked.email.lower() not in _verified_emails(user):
            raise PermissionDenied(
                _("This invitation was sent to another e-mail address. Log in with that address, or verify it first.")
            )
        member, created = PartnerMember.objects.get_or_create(
            partner=locked.partner, user=user, defaults={"role": locked.role}
        )
        if not created and locked.role == PartnerRole.ADMINISTRATOR and member.role != locked.role:
            member.role = locked.role
            member.save(update_fields=["role"])
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    invitation.accepted_at, invitation.accepted_by = locked.accepted_at, locked.accepted_by
    logger.info("User %s accepted invitation %s to partner %s", user.pk, locked.pk, locked.partner_id)
    return member


def invitations_accept_pending(*, user) -> list[PartnerMember]:
    """Accept every open, unexpired invitation sent to one of the user's verified addresses.

    Called when someone logs in or confirms an address (``partners.receivers``), so an invitation
    survives sign-up. It never fails the login: an invitation that cannot be used is skipped.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    addresses = _verified_emails(user)
    if not addresses:
        return []
    pending = PartnerInvitation.objects.filter(
        email__in=addresses, accepted_at__isnull=True, expires_at__gte=timezone.now()
    ).order_by("created_at", "pk")
    members = []
    for invitation in pending:
        try:
            members.append(invitation_accept(user=user, invitation=invitation))
        except (ValidationError, PermissionDenied):
            logger.info("Invitation %s could not be accepted by user %s", invitation.pk, user.pk)
    return members


def member_remove(*, actor: User, member: PartnerMember) -> None:
    """Remove a person from an organisation; the last administrator cannot be removed."""
    if not can_manage_partner_members(actor, member.partner):
        raise PermissionDenied(_("Only the organisation's administrators can remove people."))
    with transaction.atomic():
        # Locking every administrator row serialises two administrators removing each other.
        administrators = list(
            PartnerMember.objects.select_for_update().filter(partner=member.partner, role=PartnerRole.ADMINISTRATOR)
        )
        locked = PartnerMember.objects.select_for_update().filter(pk=member.pk).first()
        if locked is None:
            return
        if locked.role == PartnerRole.ADMINISTRATOR and len(administrators) <= 1:
            raise ValidationError(
                _("An organisation needs at least one administrator. Appoint another one first."),
                code="last_administrator",
            )
        locked.delete()
    logger.info("User %s removed member %s from partner %s", actor.pk, member.user_id, member.partner_id)


# --- Partnerships ---------------------------------------------------------------------------------


def current_partner_terms(hub: HubPage) -> PartnerTerms | None:
    return PartnerTerms.objects.filter(hub=hub).order_by("-created_at", "-pk").first()


def _record(partnership: Partnership, *, from_status: str, actor, reason: str) -> PartnershipEvent:
    event = PartnershipEvent.objects.create(
        partnership=partnership, from_status=from_status, to_status=partnership.status, actor=actor, reason=reason
    )
    emails.partnership_email_schedule(event)
    return event


def partnership_apply(*, actor: User, partner: Partner, hub: HubPage, accept_terms: bool) -> Partnership:
    """Apply for the partner to join the hub, accepting the hub's current partner terms."""
    if not can_apply_for_partnership(actor, partner):
        raise PermissionDenied(_("Only the organisation's administrators can apply on its behalf."))
    terms = current_partner_terms(hub)
    if terms is not None and not accept_terms:
        raise ValidationError({"accept_terms": _("You must accept the partner terms to apply.")})
    now = timezone.now()
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().filter(partner=partner, hub=hub).first()
        from_status = ""
        if partnership is None:
            partnership = Partnership(partner=partner, hub=hub)
        else:
            from_status = partnership.status
            if PartnershipStatus.APPLIED not in PARTNERSHIP_TRANSITIONS[from_status]:
                raise ValidationError(
                    _("%(partner)s is already %(status)s in this hub.")
                    % {"partner": partner.name, "status": partnership.get_status_display().lower()}
                )
        partnership.status = PartnershipStatus.APPLIED
        partnership.applied_by = actor
        partnership.applied_at = now
        partnership.decided_by = None
        partnership.decided_at = None
        partnership.reason = ""
        partnership.terms = terms
        partnership.terms_accepted_at = now if terms is not None else None
        try:
            with transaction.atomic():
                partnership.save()
        except IntegrityError as error:
            # Two administrators sending the first application at once: one of them wins.
            raise ValidationError(
                _("%(partner)s has already applied to this hub.") % {"partner": partner.name}
            ) from error
        _record(partnership, from_status=from_status, actor=actor, reason="")
        _public_content_changed(partnership)
        transaction.on_commit(lambda: events.partnership_applied.send(sender=Partnership, partnership=partnership))
    logger.info("Partner %s applied to hub %s (user %s)", partner.pk, hub.pk, actor.pk)
    return partnership


def partnership_decide(*, actor: User, partnership: Partnership, to_status: str, reason: str = "") -> Partnership:
    """Move a partnership to ``to_status`` (approve, reject, suspend, reinstate, end).

    Only the hub's coordinators decide; a rejection, suspension or ending needs a reason.
    """
    if not can_decide_partnership(actor, partnership):
        raise PermissionDenied(_("Only the hub's coordinators decide on its partnerships."))
    if to_status not in PartnershipStatus.values:
        raise ValidationError(
            {"to_status": ValidationError(_("Choose one of the partnership statuses."), code="invalid_choice")}
        )
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give a reason: the organisation will read it."), code="required")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}}
        )
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        from_status = locked.status
        if to_status == PartnershipStatus.APPLIED or to_status not in PARTNERSHIP_TRANSITIONS[from_status]:
            raise ValidationError(
                _("A partnership that is %(current)s cannot become %(new)s.")
                % {
                    "current": PartnershipStatus(from_status).label.lower(),
                    "new": PartnershipStatus(to_status).label.lower(),
                }
            )
        locked.status = to_status
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        _record(locked, from_status=from_status, actor=actor, reason=reason)
        _public_content_changed(locked)
        transaction.on_commit(lambda: events.partnership_decided.send(sender=Partnership, partnership=locked))
    logger.info("Partnership %s: %s -> %s by user %s", locked.pk, from_status, to_status, actor.pk)
    partnership.refresh_from_db()
    return partnership


@dataclass(frozen=True)
class ImportedPartner:
    """An organisation a coordinator adds to a hub by import: one registered already, or a new one
    (unsaved, without a slug), which is registered with nobody acting for it yet."""

    partner: Partner
    goals: Sequence[Goal] = ()
    focus_themes: Sequence[str] = ()


class _SlugAllocator:
    """Unique slugs for a batch of new partners, checked against the database once per name."""

    def __init__(self):
        self.taken: set[str] = set()
        self.loaded: set[str] = set()

    def allocate(self, name: str) -> str:
        base = slugify_no(name, max_length=180) or "partner"
        if base not in self.loaded:
            self.taken.update(Partner.objects.filter(slug__startswith=base).values_list("slug", flat=True))
            self.loaded.add(base)
        slug, counter = base, 2
        while slug in self.taken:
            slug = f"{base}-{counter}"
            counter += 1
        self.taken.add(slug)
        return slug


def partnerships_import(
    *, actor: User, hub: HubPage, partners: Sequence[ImportedPartner], reason: str
) -> list[Partnership]:
    """Add organisations to ``hub`` as approved partners at once, without an application (the CSV import).

    All or nothing, in one transaction. Each partnership is logged like a coordinator's approval,
    an organisation registered already is told by e-mail (a new one has nobody to tell yet), and
    after the commit ``events.partnership_decided`` is sent for each, as for any approval. A new
    organisation whose number was registered meanwhile raises ``ValidationError`` with the code
    ``registered_meanwhile`` and its index in ``partners`` as the ``index`` parameter.
    """
    if not can_manage_hub_partners(actor, hub):
        raise PermissionDenied(_("Only the hub's coordinators import its partners."))
    now = timezone.now()
    slugs = _SlugAllocator()
    partnerships = []
    with transaction.atomic():
        for index, imported in enumerate(partners):
            partner = imported.partner
            is_new = partner.pk is None
            if is_new:
                partner.slug = slugs.allocate(partner.name)
                partner.full_clean(validate_unique=False, validate_constraints=False)
                try:
                    with transaction.atomic():
                        partner.save()
                except IntegrityError as error:
                    raise ValidationError(
                        DUPLICATE_ORGANISATION_NUMBER, code="registered_meanwhile", params={"index": index}
                    ) from error
                if imported.goals:
                    partner.goals.set(imported.goals)
                if imported.focus_themes:
                    partner.focus_themes.set(imported.focus_themes)
            partnership = Partnership.objects.create(
                partner=partner,
                hub=hub,
                status=PartnershipStatus.APPROVED,
                applied_by=actor,
                applied_at=now,
                decided_by=actor,
                decided_at=now,
                reason=reason,
            )
            event = PartnershipEvent.objects.create(
                partnership=partnership,
                from_status="",
                to_status=PartnershipStatus.APPROVED,
                actor=actor,
                reason=reason,
            )
            if not is_new:
                emails.partnership_email_schedule(event)
            partnerships.append(partnership)
        _public_content_changed(*partnerships)
        transaction.on_commit(lambda: _partnerships_decided_send(partnerships))
    return partnerships


def _partnerships_decided_send(partnerships: list[Partnership]) -> None:
    for partnership in partnerships:
        events.partnership_decided.send(sender=Partnership, partnership=partnership)


def partner_terms_publish(*, actor: User, hub: HubPage, text: str) -> PartnerTerms:
    """Publish a new version of a hub's partner terms; applications from now on accept this one."""
    if not is_hub_coordinator(actor, hub):
        raise PermissionDenied(_("Only the hub's coordinators change its partner terms."))
    terms = PartnerTerms(hub=hub, text=sanitise_html(text), created_by=actor)
    terms.full_clean()
    terms.save()
    _public_content_changed(terms)
    logger.info("Partner terms %s published for hub %s by user %s", terms.pk, hub.pk, actor.pk)
    return terms


def member_role_change(*, actor: User, member: PartnerMember, role: str) -> PartnerMember:
    """Make a member an administrator or an ordinary member; the last administrator stays one."""
    if not can_manage_partner_members(actor, member.partner):
        raise PermissionDenied(_("Only the organisation's administrators can change roles."))
    if role not in PartnerRole.values:
        raise ValidationError({"role": _("Choose administrator or member.")})
    with transaction.atomic():
        administrators = list(
            PartnerMember.objects.select_for_update().filter(partner=member.partner, role=PartnerRole.ADMINISTRATOR)
        )
        locked = PartnerMember.objects.select_for_update().get(pk=member.pk)
        if locked.role == PartnerRole.ADMINISTRATOR and role != PartnerRole.ADMINISTRATOR and len(administrators) <= 1:
            raise ValidationError(
                _("An organisation needs at least one administrator. Appoint another one first."),
                code="last_administrator",
            )
        locked.role = role
        locked.save(update_fields=["role"])
    member.role = role
    logger.info("User %s made member %s of partner %s %s", actor.pk, member.user_id, member.partner_id, role)
    return member


def _public_content_changed(*written) -> None:
    """Cached pages that show ``written`` (the directory, partner pages) are out of date once this commits.

    The model signals in ``cms.dependency`` catch these saves too; the explicit call keeps the
    services right should a write move to ``update()`` or ``bulk_create()``, which send none.
    """
    dependency.changed(*set().union(*(dependency.dependencies_of(thing) for thing in written)))
