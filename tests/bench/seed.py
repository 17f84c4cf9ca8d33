"""The benchmark's data: the demo hub, then approved partners with real logos up to the wanted count.

The demo (``seed_demo``) gives a realistic hub: menus, footer, the partner directory, terms and a
dozen partners. The rest are written in bulk, because going through the services for a thousand
organisations would take minutes and measure nothing of interest. Every partner gets a small
PNG logo stored as a Wagtail image, one to three goals and up to two focus themes; the logo
renditions the directory shows are generated here, so that serving a page writes nothing.
"""

import io
import itertools
from dataclasses import dataclass
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.models import HubPage
from goals.models import Goal
from partners.models import (
    Partner,
    PartnerIndexPage,
    PartnerKind,
    Partnership,
    PartnershipStatus,
    TaggedPartner,
)
from partners.selectors import LOGO_RENDITION
from partners.validators import organisation_number_check_digit

LOGO_SIZE = (320, 160)
# Benchmark organisation numbers start with 2: valid by the check digit, never assigned for real.
NUMBER_BASE = 20_000_000
WORDS = ["Aske", "Bjørk", "Fjell", "Hav", "Kyst", "Lyng", "Mose", "Nord", "Skog", "Strand", "Vind", "Øy", "Elv"]
SUFFIXES = {
    PartnerKind.BUSINESS: "AS",
    PartnerKind.PUBLIC_SECTOR: "kommunale foretak",
    PartnerKind.RESEARCH_EDUCATION: "kunnskapssenter",
    PartnerKind.NGO: "forening",
    PartnerKind.CITIZEN_INITIATIVE: "dugnadsgruppe",
}
THEMES = ["havbruk", "ombruk", "friluftsliv", "energi", "mat", "mobilitet", "inkludering", "skole"]


@dataclass
class Seeded:
    hub: HubPage
    index: PartnerIndexPage


def seed_site() -> Seeded:
    """The demo hub with its partner directory (``seed_demo`` and the partners' demo extension)."""
    call_command("seed_demo", stdout=StringIO())
    hub = HubPage.objects.get(slug="fjordvik-framtidslab")
    return Seeded(hub=hub, index=PartnerIndexPage.objects.child_of(hub).get())


def approved_count(hub: HubPage) -> int:
    return Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).count()


def seed_partners(hub: HubPage, *, total: int) -> int:
    """Add approved partners with logos until the hub has ``total``; returns how many were added."""
    missing = total - approved_count(hub)
    if missing <= 0:
        return 0
    start = Partner.objects.count() + 1
    numbers = range(start, start + missing)
    kinds = itertools.cycle(PartnerKind.values)
    goals = list(Goal.objects.order_by("number"))
    with transaction.atomic():
        images = _logos(numbers)
        partners = []
        for number, image in zip(numbers, images, strict=True):
            kind = next(kinds)
            name = f"{WORDS[number % len(WORDS)]}{WORDS[(number // len(WORDS)) % len(WORDS)].lower()} "
            name += f"{SUFFIXES[kind]} {number:04d} (fiktiv)"
            partners.append(
                Partner(
                    name=name,
                    slug=f"bench-{number:04d}",
                    kind=kind,
                    organisation_number=_organisation_number(number),
                    logo=image,
                    website=f"https://bench-{number}.example/",
                    description=f"<p>{name} jobber med bærekraftsmålene. <strong>Fiktive data.</strong></p>",
                    municipality="Fjordvik (fiktiv kommune)",
                )
            )
        partners = Partner.objects.bulk_create(partners)
        now = timezone.now()
        Partnership.objects.bulk_create(
            Partnership(partner=partner, hub=hub, status=PartnershipStatus.APPROVED, applied_at=now, decided_at=now)
            for partner in partners
        )
        through = Partner.goals.through
        through.objects.bulk_create(
            through(partner_id=partner.pk, goal_id=goals[(partner.pk + step * 5) % len(goals)].pk)
            for partner in partners
            for step in range(1 + partner.pk % 3)
        )
        tags = [Tag.objects.get_or_create(name=theme, defaults={"slug": theme})[0] for theme in THEMES]
        TaggedPartner.objects.bulk_create(
            TaggedPartner(content_object=partner, tag=tags[(partner.pk + offset) % len(tags)])
            for partner in partners
            for offset in range(partner.pk % 3)
        )
    for image in images:
        image.get_rendition(LOGO_RENDITION)
    return missing


def _organisation_number(number: int) -> str:
    candidate = NUMBER_BASE + number * 11
    while (check := organisation_number_check_digit(f"{candidate:08d}")) is None:
        candidate += 1
    return f"{candidate:08d}{check}"


def _logos(numbers) -> list:
    """One small, distinct PNG per partner, stored as a Wagtail image in one bulk insert."""
    image_model = get_image_model()
    collection = Collection.get_first_root_node()
    images = []
    for number in numbers:
        content = _logo_png(number)
        name = default_storage.save(f"original_images/bench-logo-{number:04d}.png", ContentFile(content))
        images.append(
            image_model(
                title=f"Logo {number}",
                file=name,
                width=LOGO_SIZE[0],
                height=LOGO_SIZE[1],
                file_size=len(content),
                collection=collection,
            )
        )
    return image_model.objects.bulk_create(images)


def _logo_png(number: int) -> bytes:
    colour = ((number * 67) % 200 + 30, (number * 131) % 200 + 30, (number * 29) % 200 + 30)
    image = PillowImage.new("RGB", LOGO_SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((16, 16, 144, 144), fill="white")
    draw.rectangle((170, 50, 300, 110), fill=(255 - colour[0], 255 - colour[1], 255 - colour[2]))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
