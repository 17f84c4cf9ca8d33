"""The benchmark's projects: the demo's project list topped up to many projects, and one heavy page.

The demo (``seed_demo``, through ``projects.demo``) gives the hub its project list and twenty
projects. The rest are added here without revisions or services: a ``ProjectPage`` is a Wagtail
page (multi-table inheritance in a treebeard tree), which ``bulk_create`` cannot write, so each
one is saved on its own, with its tree path computed here rather than by ``index.add_child``
(which validates and updates the parent per page) and without the search and reference index
updates; their many-to-many rows are bulk-inserted. Every project gets one of 24 shared hero pictures, so
the cards show images, and the card renditions are generated here, so serving writes nothing.

``heavy_project_fill`` gives one project the 20-picture gallery and 50 progress updates (with
measured values and some pictures) that the issue's performance rule names.
"""

import contextlib
import datetime
import io
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch.signal_handlers import post_save_signal_handler
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.signal_handlers import disable_reference_index_auto_update

from goals.models import Goal, Target
from partners.models import Partner, PartnershipStatus
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProgressUpdateImage,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatus,
)
from projects.selectors import CARD_IMAGE_RENDITION

PICTURE_SIZE = (640, 360)
HERO_POOL = 24
GALLERY_SIZE = 20
UPDATE_COUNT = 50
WORDS = ["Fjord", "Kyst", "Skog", "Sol", "Vind", "Hav", "Elv", "Fjell", "Strand", "By", "Tang", "Sykkel"]
ACTIVITIES = ["dugnad", "lab", "partnerskap", "pilot", "nettverk", "verksted", "løft", "plan"]


def live_project_count(index: ProjectIndexPage) -> int:
    return ProjectPage.objects.child_of(index).live().count()


def _project_lookups(index: ProjectIndexPage) -> tuple[list[int], list[Goal], dict[int, list[Target]]]:
    """What new projects under ``index`` are spread over: the hub's approved partners, the goals and
    the targets of each goal."""
    hub = index.get_parent().specific
    partner_ids = list(
        Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    goals = list(Goal.objects.order_by("number"))
    targets_by_goal: dict[int, list[Target]] = {}
    for target in Target.objects.order_by("sort_key"):
        targets_by_goal.setdefault(target.goal_id, []).append(target)
    return partner_ids, goals, targets_by_goal


def seed_projects(index: ProjectIndexPage, *, total: int) -> int:
    """Add live projects under ``index`` until it has ``total``; returns how many were added."""
    missing = total - live_project_count(index)
    if missing <= 0:
        return 0
    partner_ids, goals, targets_by_goal = _project_lookups(index)
    statuses = itertools.cycle(ProjectStatus.values)
    today = timezone.localdate()
    now = timezone.now()
    start = ProjectPage.objects.count() + 1
    last_child = index.get_last_child()
    first_step = ProjectPage._str2int(last_child.path[-ProjectPage.steplen :]) + 1 if last_child else 1
    steps = itertools.count(first_step)
    with transaction.atomic(), _without_indexing():
        pictures = _pictures(range(HERO_POOL), prefix="bench-hero")
        pages = []
        for number in range(start, start + missing):
            goal = goals[number % len(goals)]
            name = f"{WORDS[number % len(WORDS)]}{ACTIVITIES[(number // len(WORDS)) % len(ACTIVITIES)]}"
            title = f"{name} {number:05d} (fiktiv)"
            page = ProjectPage(
                title=title,
                slug=f"bench-{number:05d}",
                summary=f"{title}: et fiktivt prosjekt for ytelsesmåling.",
                primary_goal=goal,
                status=next(statuses),
                lead_partner_id=partner_ids[number % len(partner_ids)] if partner_ids else None,
                hero_image=pictures[number % len(pictures)],
                hero_image_alt=f"Fiktivt bilde {number % len(pictures)}",
                # Spread over two years: every state of reporting freshness appears.
                last_reported_at=today - datetime.timedelta(days=(number * 37) % 730) if number % 5 else None,
                live=True,
                first_published_at=now - datetime.timedelta(minutes=number),
                last_published_at=now,
            )
            _add_child(index, page, step=next(steps))
            pages.append((page, goal))
        # What ``add_child`` would have kept up to date one page at a time.
        ProjectIndexPage.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
        _many_to_many(pages, goals=goals, targets_by_goal=targets_by_goal, partner_ids=partner_ids)
    for picture in pictures:
        picture.get_rendition(CARD_IMAGE_RENDITION)
    return missing


@contextlib.contextmanager
def _without_indexing():
    """Wagtail's reference index and the search index, updated on every page save, are two thirds
    of the time of seeding a project; no page the benchmark loads reads either (the project list
    filters its text with ``icontains``), so they are left out for the benchmark's projects."""
    post_save.disconnect(post_save_signal_handler, sender=ProjectPage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.connect(post_save_signal_handler, sender=ProjectPage)


def _add_child(index: ProjectIndexPage, page: ProjectPage, *, step: int) -> None:
    """``index.add_child(instance=page)`` without its per-page validation and parent bookkeeping,
    which made seeding 5,000 projects take minutes: the tree path is computed here, the parent's
    child count is updated once afterwards, and the fields ``full_clean`` would fill are set."""
    page.path = ProjectPage._get_path(index.path, index.depth + 1, step)
    page.depth = index.depth + 1
    page.numchild = 0
    page.draft_title = page.title
    page.locale_id = index.locale_id
    page.save(clean=False)


def _many_to_many(pages, *, goals, targets_by_goal, partner_ids) -> None:
    further = ProjectPage.goals.through
    further.objects.bulk_create(
        further(projectpage_id=page.pk, goal_id=goals[(goal.number + 4) % len(goals)].pk)
        for page, goal in pages
        if page.pk % 2
    )
    targets = ProjectPage.targets.through
    targets.objects.bulk_create(
        targets(projectpage_id=page.pk, target_id=options[page.pk % len(options)].pk)
        for page, goal in pages
        if (options := targets_by_goal.get(goal.pk))
    )
    if partner_ids:
        partners = ProjectPage.partners.through
        partners.objects.bulk_create(
            partners(projectpage_id=page.pk, partner_id=partner_ids[(page.pk * 7 + step) % len(partner_ids)])
            for page, _goal in pages
            for step in range(page.pk % 3)
        )


def heavy_project_fill(page: ProjectPage, *, gallery: int = GALLERY_SIZE, updates: int = UPDATE_COUNT) -> None:
    """Bring ``page`` up to ``gallery`` pictures and ``updates`` progress updates (every update with
    a measured value, every fifth with a picture).

    The benchmark counts the page's queries at one picture and one update, then at 20 and 50: the
    same kinds of rows at both sizes, so only growth with the data can change the count.
    """
    today = timezone.localdate()
    with transaction.atomic():
        have = ProjectGalleryImage.objects.filter(project=page).count()
        pictures = _pictures(range(have, gallery), prefix=f"bench-gallery-{page.pk}")
        ProjectGalleryImage.objects.bulk_create(
            ProjectGalleryImage(
                project=page, image=picture, alt_text=f"Fiktivt galleribilde {number}", sort_order=number
            )
            for number, picture in enumerate(pictures, start=have)
        )
        pictures = [item.image for item in ProjectGalleryImage.objects.filter(project=page).select_related("image")]
        outcome, _created = Outcome.objects.get_or_create(
            project=page,
            title="Deltakere (fiktive)",
            defaults={
                "unit": "personer",
                "baseline": Decimal(0),
                "target_value": Decimal(1000),
                "target_date": today + datetime.timedelta(days=365),
                "sort_order": 0,
            },
        )
        partner = page.lead_partner or Partner.objects.order_by("pk").first()
        have = ProgressUpdate.objects.filter(project=page).count()
        new = ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                project=page,
                partner=partner,
                reported_on=today - datetime.timedelta(days=7 * (updates - number)),
                text=f"<p>Fiktiv statusrapport nummer {number + 1}.</p>",
            )
            for number in range(have, updates)
        )
        OutcomeMeasurement.objects.bulk_create(
            OutcomeMeasurement(
                outcome=outcome, update=update, value=Decimal(20 * number), measured_on=update.reported_on
            )
            for number, update in enumerate(new, start=have)
        )
        ProgressUpdateImage.objects.bulk_create(
            ProgressUpdateImage(update=update, image=pictures[number % len(pictures)], alt_text="Fiktivt bilde")
            for number, update in enumerate(new, start=have)
            if number % 5 == 0 and pictures
        )
        last = ProgressUpdate.objects.filter(project=page).order_by("-reported_on").first()
        ProjectPage.objects.filter(pk=page.pk).update(last_reported_at=last.reported_on if last else None)


def _pictures(numbers, *, prefix: str) -> list:
    """Small, distinct JPEGs stored as Wagtail images in one bulk insert."""
    image_model = get_image_model()
    collection = Collection.get_first_root_node()
    images = []
    for number in numbers:
        content = _picture_bytes(number)
        name = default_storage.save(f"original_images/{prefix}-{number:02d}.jpg", ContentFile(content))
        images.append(
            image_model(
                title=f"{prefix} {number}",
                file=name,
                width=PICTURE_SIZE[0],
                height=PICTURE_SIZE[1],
                file_size=len(content),
                collection=collection,
            )
        )
    return image_model.objects.bulk_create(images)


def _picture_bytes(number: int) -> bytes:
    colour = ((number * 53) % 200 + 30, (number * 97) % 200 + 30, (number * 17) % 200 + 30)
    image = PillowImage.new("RGB", PICTURE_SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 40, 320, 320), outline="white", width=10)
    draw.rectangle((380, 100, 600, 260), fill=(255 - colour[0], 255 - colour[1], 255 - colour[2]))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
