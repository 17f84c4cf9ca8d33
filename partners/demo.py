"""Fictional partners for the demo hub, added by ``seed_demo`` (see its docstring for the hook).

Twelve approved partners covering every kind of organisation, and one application still waiting,
made by the demo resident, so that the demo shows both the applicant's view and the coordinator's
pending list. Everything here is invented: names say "fiktiv", organisation numbers are valid by
the modulus-11 rule but start with 1, which the Brønnøysund registers never assign (real numbers
start with 8 or 9), and addresses use the reserved ``.example`` domain.

Idempotent: each partner is looked up by name, so a second run adds nothing.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from wagtail.models import Site

from cms.demo_logins import DemoLogin
from cms.management.commands.seed_demo import RESIDENT_EMAIL
from cms.models import HubPage, NavigationSettings
from goals.models import Goal
from partners.models import (
    Partner,
    PartnerIndexPage,
    PartnerKind,
    Partnership,
    PartnershipEvent,
    PartnershipStatus,
    PartnerTerms,
)
from partners.services import current_partner_terms, partner_create, partner_terms_publish
from partners.validators import organisation_number_check_digit, validate_organisation_number

INDEX_SLUG = "partners"
CONTACT_EMAIL = "partnerkontakt@fjordvik.example"
# The contact administers the approved partners; under DEBUG one can log in as them (cms.demo_logins).
DEMO_LOGINS = [DemoLogin("Partner member", CONTACT_EMAIL, "fjordvik-partner")]
# Fictional numbers start with 1: only 8 and 9 are in use in the Central Coordinating Register.
FICTIONAL_NUMBER_BASE = 10_000_000

TERMS_TEXT = (
    "<p><strong>Fiktive demodata.</strong> Disse partnervilkårene er oppdiktet.</p>"
    "<h2>Vi forplikter oss til</h2>"
    "<ul><li>å arbeide for minst ett av bærekraftsmålene i Fjordvik,</li>"
    "<li>å dele erfaringer med de andre partnerne,</li>"
    "<li>å holde profilen vår oppdatert.</li></ul>"
    "<h2>Framtidslaben forplikter seg til</h2>"
    "<p>å invitere partnerne til samlinger og å synliggjøre arbeidet deres.</p>"
)

# name, kind, goals, focus themes, municipality, a logo colour (None: no logo), description.
APPROVED_PARTNERS = [
    (
        "Fjordvik Fisk AS (fiktiv)",
        PartnerKind.BUSINESS,
        [14, 12],
        ["havbruk", "sirkulær økonomi"],
        "#1f5f8b",
        "Fiskeforedling som tar vare på hele fisken.",
    ),
    (
        "Kaibyen Kraft AS (fiktiv)",
        PartnerKind.BUSINESS,
        [7, 13],
        ["fornybar energi"],
        "#e0a400",
        "Solceller på tak i sentrum og landstrøm til hurtigbåtene.",
    ),
    (
        "Bølgen Bygg og Tre AS (fiktiv)",
        PartnerKind.BUSINESS,
        [9, 11, 12],
        ["ombruk", "tre"],
        None,
        "Byggefirma som ombruker materialer fra rivningsprosjekter.",
    ),
    (
        "Fjordvik kommune (fiktiv)",
        PartnerKind.PUBLIC_SECTOR,
        [11, 17],
        ["areal", "klimabudsjett"],
        "#2e7d32",
        "Vertskommunen for framtidslaben.",
    ),
    (
        "Fjordvik interkommunale renovasjon IKS (fiktiv)",
        PartnerKind.PUBLIC_SECTOR,
        [12],
        ["avfall", "sirkulær økonomi"],
        None,
        "Henter avfall i fem fiktive kommuner og driver gjenbruksstasjonen.",
    ),
    (
        "Fjordvik havnevesen KF (fiktiv)",
        PartnerKind.PUBLIC_SECTOR,
        [9, 14],
        [],
        None,
        "Kommunalt foretak for havna og kaiene.",
    ),
    (
        "Fjordvik videregående skole (fiktiv)",
        PartnerKind.RESEARCH_EDUCATION,
        [4],
        ["ungdom", "entreprenørskap"],
        "#8e24aa",
        "Elevene driver ungdomsbedrifter med bærekraft som mål.",
    ),
    (
        "Havforskningssenteret Fjordvik (fiktiv)",
        PartnerKind.RESEARCH_EDUCATION,
        [13, 14],
        ["havforskning"],
        None,
        "Måler temperatur og plast i fjorden.",
    ),
    (
        "Fjordvik frivilligsentral (fiktiv)",
        PartnerKind.NGO,
        [3, 10],
        ["inkludering"],
        None,
        "Møteplass for frivillige i alle aldre.",
    ),
    (
        "Fjordvik turlag (fiktiv)",
        PartnerKind.NGO,
        [3, 15],
        ["friluftsliv"],
        None,
        "Merker stier og arrangerer turer for nye innbyggere.",
    ),
    (
        "Strandrydderne i Fjordvik (fiktiv)",
        PartnerKind.CITIZEN_INITIATIVE,
        [14],
        ["strandrydding"],
        None,
        "Rydder strendene hver vår.",
    ),
    (
        "Delelageret på Nordsida (fiktiv)",
        PartnerKind.CITIZEN_INITIATIVE,
        [11, 12],
        ["deling", "ombruk"],
        None,
        "Lån utstyr i stedet for å kjøpe nytt.",
    ),
]
PENDING_PARTNER = (
    "Fjordvik reparasjonskafé (fiktiv)",
    PartnerKind.CITIZEN_INITIATIVE,
    [12],
    ["reparasjon"],
    None,
    "Vi reparerer klær, sykler og elektronikk sammen.",
)


def seed_demo_extend(hub: HubPage, stdout) -> None:
    """Add the partner directory, partner terms and fictional partners to the demo hub."""
    index = _index_page(hub)
    _navigation_link(hub, index)
    coordinator = hub.coordinators_group.user_set.order_by("pk").first() if hub.coordinators_group else None
    terms = current_partner_terms(hub) or _terms(hub, coordinator)
    contact = _contact_user()
    for seed, (name, kind, goals, themes, colour, description) in enumerate(APPROVED_PARTNERS, start=1):
        partner = _partner(
            seed=seed,
            actor=contact,
            name=name,
            kind=kind,
            goals=goals,
            themes=themes,
            colour=colour,
            description=description,
        )
        _partnership(partner=partner, hub=hub, applicant=contact, terms=terms, approve=True, decider=coordinator)

    resident = get_user_model().objects.filter(email=RESIDENT_EMAIL).first()
    if resident is not None:
        name, kind, goals, themes, colour, description = PENDING_PARTNER
        partner = _partner(
            seed=len(APPROVED_PARTNERS) + 1,
            actor=resident,
            name=name,
            kind=kind,
            goals=goals,
            themes=themes,
            colour=colour,
            description=description,
        )
        _partnership(partner=partner, hub=hub, applicant=resident, terms=terms, approve=False, decider=None)
    stdout.write(f"Partners (fictional): {len(APPROVED_PARTNERS)} approved, one application waiting, at {index.url}")


def fictional_organisation_number(seed: int) -> str:
    """A valid organisation number that no real organisation has (see the module docstring)."""
    candidate = FICTIONAL_NUMBER_BASE + seed * 1_009
    while True:
        first_eight = f"{candidate:08d}"
        check = organisation_number_check_digit(first_eight)
        if check is not None:
            number = f"{first_eight}{check}"
            validate_organisation_number(number)
            return number
        candidate += 1


def _index_page(hub: HubPage) -> PartnerIndexPage:
    index = PartnerIndexPage.objects.child_of(hub).first()
    if index is None:
        index = PartnerIndexPage(
            title="Partnere",
            slug=INDEX_SLUG,
            intro="<p>Virksomheter, forskning, offentlig sektor, organisasjoner og innbyggere som jobber "
            "med bærekraftsmålene i Fjordvik. <strong>Fiktive demodata.</strong></p>",
        )
        hub.add_child(instance=index)
        index.save_revision().publish()
    return index


def _navigation_link(hub: HubPage, index: PartnerIndexPage) -> None:
    site = hub.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    navigation = NavigationSettings.for_site(site)
    pages = {getattr(block.value.get("page"), "pk", None) for block in navigation.links}
    if index.pk not in pages:
        navigation.links.append(("link", {"label": "Partnere", "page": index, "url": ""}))
        navigation.save()


def _terms(hub: HubPage, coordinator) -> PartnerTerms:
    if coordinator is not None:
        return partner_terms_publish(actor=coordinator, hub=hub, text=TERMS_TEXT)
    return PartnerTerms.objects.create(hub=hub, text=TERMS_TEXT)


def _contact_user():
    """One fictional person who administers the approved demo partners. Created without a password:
    ``seed_demo`` gives them the documented one under DEBUG (``DEMO_LOGINS``), else nobody can log in."""
    user_model = get_user_model()
    user = user_model.objects.filter(email=CONTACT_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            email=CONTACT_EMAIL, password=None, display_name="Per Partnerkontakt (fiktiv)"
        )
    return user


def _partner(*, seed: int, actor, name: str, kind: str, goals, themes, colour, description) -> Partner:
    partner = Partner.objects.filter(name=name).first()
    if partner is not None:
        return partner
    domain = f"demo-{seed}.fjordvik.example"
    return partner_create(
        actor=actor,
        name=name,
        kind=kind,
        organisation_number="" if kind == PartnerKind.CITIZEN_INITIATIVE else fictional_organisation_number(seed),
        website=f"https://{domain}/",
        description=f"<p>{description} <strong>Fiktive demodata.</strong></p>",
        public_email=f"post@{domain}",
        municipality="Fjordvik (fiktiv kommune)",
        goals=Goal.objects.filter(number__in=goals),
        focus_themes=themes,
        logo_upload=_logo(name, colour) if colour else None,
    )


def _logo(name: str, colour: str) -> SimpleUploadedFile:
    """A small generated logo: the organisation's initials on a coloured field."""
    image = Image.new("RGB", (240, 120), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    draw.ellipse((12, 12, 108, 108), fill="#ffffff")
    draw.text((60, 60), initials, fill=colour, font=ImageFont.load_default(size=40), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _partnership(*, partner: Partner, hub: HubPage, applicant, terms, approve: bool, decider) -> Partnership:
    """The partnership with its history, written directly rather than through the services because
    demo data must send no e-mail to its fictional addresses.

    Unless ``approve``, the application is left waiting; otherwise it was approved a week later.
    """
    partnership = Partnership.objects.filter(partner=partner, hub=hub).first()
    if partnership is not None:
        return partnership
    applied_at = timezone.now() - datetime.timedelta(days=30 if approve else 2)
    partnership = Partnership.objects.create(
        partner=partner,
        hub=hub,
        status=PartnershipStatus.APPLIED,
        applied_by=applicant,
        applied_at=applied_at,
        terms=terms,
        terms_accepted_at=applied_at,
    )
    _event(partnership, from_status="", actor=applicant, at=applied_at)
    if approve:
        partnership.status = PartnershipStatus.APPROVED
        partnership.decided_by = decider
        partnership.decided_at = applied_at + datetime.timedelta(days=7)
        partnership.save(update_fields=["status", "decided_by", "decided_at"])
        _event(partnership, from_status=PartnershipStatus.APPLIED, actor=decider, at=partnership.decided_at)
    return partnership


def _event(partnership: Partnership, *, from_status: str, actor, at: datetime.datetime) -> None:
    event = PartnershipEvent.objects.create(
        partnership=partnership, from_status=from_status, to_status=partnership.status, actor=actor
    )
    # The log should read as if it happened on the demo's dates, not all at seeding time.
    PartnershipEvent.objects.filter(pk=event.pk).update(created_at=at)
