"""Fictional projects for the demo hub, added by ``seed_demo`` (see its docstring for the hook).

Twenty projects of the demo partners (``partners.demo`` runs first: INSTALLED_APPS order) across
goals, every status and every state of reporting: most reported lately, some are due for an
update and some overdue, by the hub's thresholds. Dates are relative to the day of seeding, so a
fresh demo always shows all three. Some have outcomes with measured values over time, a few a
generated picture and gallery; three of those are featured on the hub's home page. One more
project is a proposal waiting in the hub's moderation workflow, proposed by the demo partner
contact, so the coordinator has something to review.

Written directly rather than through ``projects.services``: demo data must not send e-mail about
progress updates to fictional addresses (the one proposal does go through Wagtail's workflow, so
its notices go to the console backend in development). Everything says "fiktiv".

Idempotent: each project is looked up by slug under the hub's project list.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection, Site
from wagtail.rich_text import RichText

from cms.models import HubPage, NavigationSettings
from goals.models import Goal, Target
from indicators.models import Indicator
from partners.demo import APPROVED_PARTNERS, CONTACT_EMAIL
from partners.models import Partner
from projects.hub_hooks import project_index_ensure
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectLink,
    ProjectPage,
    ProjectStatus,
)

FICTION = "<strong>Fiktive demodata.</strong>"
PROPOSAL_SLUG = "reparasjonsdager-pa-biblioteket"


@dataclass(frozen=True)
class OutcomeSpec:
    title: str
    unit: str
    baseline: int
    target: int
    # Measured values, oldest first; each goes with one progress update.
    values: tuple[int, ...] = ()


@dataclass(frozen=True)
class Spec:
    title: str
    slug: str
    summary: str
    goal: int
    status: str
    lead: int  # index into partners.demo.APPROVED_PARTNERS
    further_goals: tuple[int, ...] = ()
    targets: tuple[str, ...] = ()
    partners: tuple[int, ...] = ()
    # Months since the last progress update; None: never reported.
    reported_months_ago: int | None = None
    started_months_ago: int | None = None
    runs_months: int | None = None
    outcomes: tuple[OutcomeSpec, ...] = ()
    picture: str | None = None  # a colour: the project gets a generated hero picture and gallery
    location: str = "Fjordvik (fiktiv)"
    links: tuple[tuple[str, str], ...] = field(default=())
    featured: bool = False  # shown first on the hub's home page


# The demo hub's fictional indicators (indicators.demo, seeded before the projects) each project aims to move.
INDICATORS_BY_PROJECT = {
    "hele-fisken": ("AVFALL",),
    "sol-pa-kaia": ("FORNYBAR", "KLIMAGASS"),
    "landstrom-til-hurtigbaten": ("KLIMAGASS",),
    "ombruksbanken": ("AVFALL",),
    "klimabudsjett-for-fjordvik": ("KLIMAGASS",),
    "ungdomsbedrifter-for-baerekraft": ("FRAFALL",),
}

S = ProjectStatus
PROJECTS = [
    Spec(
        "Hele fisken (fiktiv)",
        "hele-fisken",
        "Fiskeavskjær blir til mat og fôr i stedet for avfall.",
        12,
        S.ACTIVE,
        0,
        (14,),
        ("12.3", "12.5", "14.4"),
        (7,),
        1,
        18,
        36,
        (OutcomeSpec("Avskjær som brukes", "tonn per år", 40, 400, (80, 150, 230)),),
        "#1f5f8b",
        featured=True,
    ),
    Spec(
        "Sol på kaia (fiktiv)",
        "sol-pa-kaia",
        "Solceller på tak i sentrum og lagerbygg på kaia.",
        7,
        S.ACTIVE,
        1,
        (13,),
        ("7.2", "13.2"),
        (3, 5),
        2,
        14,
        24,
        (OutcomeSpec("Installert effekt", "kWp", 0, 900, (120, 340, 520)),),
        "#e0a400",
        featured=True,
    ),
    Spec(
        "Landstrøm til hurtigbåten (fiktiv)",
        "landstrom-til-hurtigbaten",
        "Hurtigbåten lader ved kai i stedet for å gå på tomgang.",
        13,
        S.ACTIVE,
        5,
        (7, 14),
        ("13.2",),
        (1,),
        8,
        20,
        30,
        (OutcomeSpec("Utslipp fra båter ved kai", "tonn CO₂ per år", 600, 100, (540, 410)),),
    ),
    Spec(
        "Ombruksbanken (fiktiv)",
        "ombruksbanken",
        "Materialer fra riving blir til nye bygg.",
        12,
        S.ACTIVE,
        2,
        (9, 11),
        ("12.5", "9.4"),
        (4, 11),
        3,
        24,
        36,
        (OutcomeSpec("Ombrukte materialer", "tonn", 0, 250, (30, 75, 110)),),
        "#6d4c41",
        featured=True,
    ),
    Spec(
        "Klimabudsjett for Fjordvik (fiktiv)",
        "klimabudsjett-for-fjordvik",
        "Kommunen styrer utslippene som pengene: med et klimabudsjett.",
        13,
        S.COMPLETED,
        3,
        (17,),
        ("13.2", "17.14"),
        (),
        5,
        30,
        18,
    ),
    Spec(
        "Plastfri fjord (fiktiv)",
        "plastfri-fjord",
        "Vi måler mikroplast i fjorden og rydder strendene.",
        14,
        S.ACTIVE,
        7,
        (12,),
        ("14.1",),
        (10,),
        14,
        40,
        48,
        (OutcomeSpec("Mikroplast i overflatevann", "partikler per m³", 12, 4, (11, 10)),),
        "#00838f",
    ),
    Spec(
        "Ungdomsbedrifter for bærekraft (fiktiv)",
        "ungdomsbedrifter-for-baerekraft",
        "Elever starter bedrifter som løser lokale miljøproblemer.",
        4,
        S.ACTIVE,
        6,
        (8,),
        ("4.4", "4.7"),
        (0, 1),
        9,
        26,
        36,
        (OutcomeSpec("Elever i ungdomsbedrifter", "elever", 20, 120, (45, 70)),),
    ),
    Spec(
        "Inkluderende turlag (fiktiv)",
        "inkluderende-turlag",
        "Turer der nye innbyggere blir kjent med Fjordvik og hverandre.",
        3,
        S.ACTIVE,
        9,
        (10,),
        ("3.4",),
        (8,),
        0,
        10,
        None,
        (OutcomeSpec("Deltakere på turer", "personer", 0, 500, (60, 140, 260)),),
        "#2e7d32",
    ),
    Spec(
        "Delelager i hver bydel (fiktiv)",
        "delelager-i-hver-bydel",
        "Lån verktøy og turutstyr i stedet for å kjøpe nytt.",
        11,
        S.PLANNED,
        11,
        (12,),
        ("11.6", "12.5"),
        (3,),
        None,
        None,
        24,
    ),
    Spec(
        "Grønn havn (fiktiv)",
        "gronn-havn",
        "Havna kutter utslipp fra anleggsmaskiner og skip.",
        9,
        S.PAUSED,
        5,
        (13, 14),
        ("9.4",),
        (1, 7),
        16,
        36,
        48,
    ),
    Spec(
        "Matsvinn i skolekantina (fiktiv)",
        "matsvinn-i-skolekantina",
        "Skolen halverer matsvinnet.",
        12,
        S.COMPLETED,
        6,
        (),
        ("12.3",),
        (4,),
        4,
        28,
        20,
        (OutcomeSpec("Matsvinn", "kg per uke", 180, 90, (150, 110, 85)),),
    ),
    Spec(
        "Frivillig kjøkken (fiktiv)",
        "frivillig-kjokken",
        "Felles middag to ganger i uka med overskuddsmat.",
        2,
        S.ACTIVE,
        8,
        (10, 12),
        ("2.1",),
        (),
        7,
        18,
        None,
    ),
    Spec(
        "Strandryddedagen (fiktiv)",
        "strandryddedagen",
        "Hvert år rydder hundrevis av innbyggere strendene.",
        14,
        S.COMPLETED,
        10,
        (),
        ("14.1",),
        (7, 4),
        1,
        60,
        58,
        (OutcomeSpec("Plast ryddet", "kg", 0, 3000, (900, 1800, 2950)),),
        "#0277bd",
    ),
    Spec(
        "Sykkelvei langs fjorden (fiktiv)",
        "sykkelvei-langs-fjorden",
        "Trygg sykkelvei fra sentrum til skolene.",
        11,
        S.PLANNED,
        3,
        (3,),
        ("11.2",),
        (9,),
        None,
        None,
        36,
    ),
    Spec(
        "Energisjekk for borettslag (fiktiv)",
        "energisjekk-for-borettslag",
        "Gratis energiråd for borettslag som vil spare strøm.",
        7,
        S.STOPPED,
        1,
        (11,),
        ("7.3",),
        (),
        13,
        30,
        None,
    ),
    Spec(
        "Fjordvik leser (fiktiv)",
        "fjordvik-leser",
        "Leseombud for barn som strever med lesing.",
        4,
        S.IDEA,
        8,
        (10,),
        (),
        (6,),
        None,
    ),
    Spec(
        "Tang og tare (fiktiv)",
        "tang-og-tare",
        "Dyrking av tare som mat og for å binde karbon.",
        14,
        S.IDEA,
        0,
        (2, 13),
        (),
        (7,),
        None,
    ),
    Spec(
        "Reparasjonsbilen (fiktiv)",
        "reparasjonsbilen",
        "En bil med verktøy og frivillige besøker bydelene.",
        12,
        S.PLANNED,
        11,
        (),
        ("12.5",),
        (8,),
        None,
        None,
        12,
    ),
    Spec(
        "Blågrønne tak (fiktiv)",
        "blagronne-tak",
        "Tak med planter som tar unna regnvann.",
        11,
        S.PAUSED,
        2,
        (13, 15),
        ("11.b",),
        (3,),
        10,
        30,
        36,
    ),
    Spec(
        "Stier for alle (fiktiv)",
        "stier-for-alle",
        "Universelt utformede turstier nær sentrum.",
        15,
        S.ACTIVE,
        9,
        (3,),
        ("15.1",),
        (3,),
        2,
        12,
        24,
        (),
        "#558b2f",
    ),
]

PROPOSAL = Spec(
    "Reparasjonsdager på biblioteket (fiktiv)",
    PROPOSAL_SLUG,
    "Hver måned reparerer frivillige klær, sykler og elektronikk på biblioteket.",
    12,
    S.PLANNED,
    11,
    (11,),
    ("12.5",),
    (8,),
    None,
    None,
    12,
)


def seed_demo_extend(hub: HubPage, stdout) -> None:
    """Add the hub's project list and fictional projects (and one proposal in review) to the demo."""
    index = project_index_ensure(hub=hub) or ProjectIndexPage.objects.child_of(hub).first()
    if index is None:
        stdout.write("Projects (fictional): the hub has no project list and its slug is taken; skipped.")
        return
    _navigation_link(hub, index)
    partners = _demo_partners()
    if not partners:
        stdout.write("Projects (fictional): no demo partners; skipped.")
        return
    contact = get_user_model().objects.filter(email=CONTACT_EMAIL).first()
    today = timezone.localdate()
    collection = hub.collection or Collection.get_first_root_node()
    for spec in PROJECTS:
        _project(index, spec, partners=partners, author=contact, today=today, collection=collection)
    if contact is not None:
        _proposal(index, PROPOSAL, partners=partners, proposer=contact, today=today)
    stdout.write(f"Projects (fictional): {len(PROJECTS)} projects and one proposal waiting for review, at {index.url}")


def _demo_partners() -> list[Partner | None]:
    """The approved demo partners in the order of ``partners.demo.APPROVED_PARTNERS``."""
    names = [row[0] for row in APPROVED_PARTNERS]
    by_name = {partner.name: partner for partner in Partner.objects.filter(name__in=names)}
    if not by_name:
        return []
    return [by_name.get(name) for name in names]


def _navigation_link(hub: HubPage, index: ProjectIndexPage) -> None:
    site = hub.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    navigation = NavigationSettings.for_site(site)
    pages = {getattr(block.value.get("page"), "pk", None) for block in navigation.links}
    if index.pk not in pages:
        navigation.links.append(("link", {"label": "Prosjekter", "page": index, "url": ""}))
        navigation.save()


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    total = today.year * 12 + today.month - 1 - months
    # Day 1 keeps the arithmetic simple and never lands on a day the month lacks.
    return datetime.date(total // 12, total % 12 + 1, 1) if months else today


def _page(index: ProjectIndexPage, spec: Spec, *, partners, today: datetime.date) -> ProjectPage:
    lead = partners[spec.lead]
    start = _months_ago(today, spec.started_months_ago) if spec.started_months_ago is not None else None
    if start is None and spec.runs_months:
        start = _months_ago(today, -3)  # planned: starts in three months
    end = None
    if start is not None and spec.runs_months:
        end = _months_ago(start, -spec.runs_months)
    page = ProjectPage(
        title=spec.title,
        slug=spec.slug,
        summary=f"{spec.summary} Fiktivt prosjekt.",
        body=[
            ("text", RichText(f"<p>{spec.summary}</p><p>{FICTION} Prosjektet og partnerne er oppdiktet.</p>")),
        ],
        primary_goal=Goal.objects.get(number=spec.goal),
        status=spec.status,
        start_date=start,
        end_date=end,
        lead_partner=lead,
        contact_name="Per Partnerkontakt (fiktiv)",
        contact_email=CONTACT_EMAIL,
        location=spec.location,
        funding_notes="Fiktiv finansiering: kommunens klimasats og egeninnsats fra partnerne.",
        featured=spec.featured,
    )
    page.goals = list(Goal.objects.filter(number__in=spec.further_goals))
    page.targets = list(Target.objects.filter(code__in=spec.targets))
    codes = INDICATORS_BY_PROJECT.get(spec.slug, ())
    page.indicators = list(Indicator.objects.filter(hub=index.get_hub(), code__in=codes)) if codes else []
    page.partners = [partners[i] for i in spec.partners if partners[i] is not None and partners[i] != lead]
    page.links = [ProjectLink(title="Fiktiv prosjektside", url=f"https://{spec.slug}.fjordvik.example/")]
    page.outcomes = [
        Outcome(
            title=outcome.title,
            unit=outcome.unit,
            baseline=Decimal(outcome.baseline),
            target_value=Decimal(outcome.target),
            target_date=end or _months_ago(today, -24),
        )
        for outcome in spec.outcomes
    ]
    return page


def _project(index, spec: Spec, *, partners, author, today, collection) -> ProjectPage:
    existing = ProjectPage.objects.child_of(index).filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    page = _page(index, spec, partners=partners, today=today)
    if spec.picture:
        page.hero_image = _picture(spec, collection, number=0)
        page.hero_image_alt = f"Fiktiv illustrasjon for {spec.title}: fjordlandskap med fjell, sol og sjø."
        page.gallery_images = [
            ProjectGalleryImage(
                image=_picture(spec, collection, number=number),
                alt_text=f"Fiktivt bilde {number} fra {spec.title}: fjordlandskap med fjell, sol og sjø.",
                caption=f"Fiktivt bilde {number}.",
            )
            for number in (1, 2, 3)
        ]
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    # Published "when it started", so a project that never reported still counts from then.
    published = timezone.now() - datetime.timedelta(days=30 * (spec.started_months_ago or 0))
    ProjectPage.objects.filter(pk=page.pk).update(first_published_at=published)
    if spec.reported_months_ago is not None:
        _updates(page, spec, lead=partners[spec.lead], author=author, today=today)
    return page


def _updates(page: ProjectPage, spec: Spec, *, lead, author, today) -> None:
    """One progress update per measured value (at least one), three months apart, the latest
    ``reported_months_ago`` months ago; ``last_reported_at`` as the progress-update service keeps it."""
    outcomes = list(page.outcomes.order_by("sort_order"))
    count = max([len(o.values) for o in spec.outcomes] + [1])
    last = None
    for step in range(count):
        reported_on = _months_ago(today, spec.reported_months_ago + 3 * (count - 1 - step))
        update = ProgressUpdate.objects.create(
            project=page,
            partner=lead,
            author=author,
            reported_on=reported_on,
            text=f"<p>Status {step + 1}: arbeidet går framover. {FICTION}</p>",
        )
        for outcome, outcome_spec in zip(outcomes, spec.outcomes, strict=True):
            if step < len(outcome_spec.values):
                OutcomeMeasurement.objects.create(
                    outcome=outcome, update=update, value=Decimal(outcome_spec.values[step]), measured_on=reported_on
                )
        last = reported_on
    ProjectPage.objects.filter(pk=page.pk).update(last_reported_at=last)


def _proposal(index, spec: Spec, *, partners, proposer, today) -> ProjectPage | None:
    """A draft proposed by the demo partner contact, submitted to the hub's moderation workflow."""
    existing = ProjectPage.objects.child_of(index).filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    page = _page(index, spec, partners=partners, today=today)
    page.live = False
    page.proposed_by = proposer
    page.owner = proposer
    index.add_child(instance=page)
    page.save_revision(user=proposer, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, proposer)
    return page


def _shade(colour: str, factor: float) -> tuple[int, int, int]:
    """``colour`` (#RRGGBB) mixed towards white (factor > 0) or black (factor < 0)."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    target = 255 if factor > 0 else 0
    return tuple(round(c + (target - c) * abs(factor)) for c in channels)


def _picture(spec: Spec, collection, *, number: int):
    """A generated picture: a fjord landscape in the project's colour (sky, sun, mountains, water),
    different for each ``number``, stored as a Wagtail image."""
    colour = spec.picture
    width, height = 1200, 800
    image = PillowImage.new("RGB", (width, height), _shade(colour, 0.75))
    draw = ImageDraw.Draw(image)
    for row in range(0, 480, 8):  # the sky lightens towards the horizon
        draw.rectangle((0, row, width, row + 8), fill=_shade(colour, 0.55 + 0.35 * row / 480))
    sun_x = 260 + 230 * number
    draw.ellipse((sun_x, 110, sun_x + 150, 260), fill=_shade(colour, 0.95))
    ridges = ((0.35, 300 + 20 * number, 0), (0.0, 380, 170), (-0.35, 440 - 15 * number, 340))
    for factor, top, offset in ridges:
        points = [(0, 560)]
        for step in range(7):
            x = step * 200 + (offset + 90 * number) % 200 - 100
            points += [(x, top + (step % 2) * 110), (x + 100, top + 60 + (step % 3) * 40)]
        points.append((width, 560))
        draw.polygon(points, fill=_shade(colour, factor))
    draw.rectangle((0, 560, width, height), fill=_shade(colour, -0.55))
    for line in range(6):  # light on the water
        y = 590 + line * 34
        draw.line((sun_x - 120 + line * 12, y, sun_x + 270 - line * 12, y), fill=_shade(colour, 0.6), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    name = f"demo-{spec.slug}-{number}.jpg"
    return get_image_model().objects.create(
        title=f"{spec.title}, bilde {number} (fiktiv)",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name=name),
        collection=collection,
    )
