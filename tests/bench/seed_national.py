"""The national data set's projects: 100,000 live ``ProjectPage``s written in bulk, and their index.

``seed_projects`` (the page benchmark's seeder) saves one page at a time, about 20 ms each: fine
for 5,000, over half an hour for 100,000. Here the same rows are written in batches:

- the ``wagtailcore_page`` rows with ``Page.objects.bulk_create`` (tree paths, depth, ``url_path``,
  content type, locale and translation key computed here, as ``add_child`` and ``save`` would);
- the ``projects_projectpage`` rows (multi-table inheritance, which ``bulk_create`` refuses) with
  the same multi-row ``INSERT`` Django's ``bulk_create`` uses, through ``QuerySet._insert``;
- goals, targets and partners' many-to-many rows with ``bulk_create``;
- the search index with the search backend's own ``add_bulk`` (what ``manage.py update_index``
  runs), in batches, for the new projects only;
- each parent's ``numchild`` once.

The pages are real: Wagtail serves them, the API and search read them through the same queries as
any other project. What is left out is what no page the benchmark loads reads: revisions, the
reference index, discussion threads.
"""

import datetime
import itertools
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from projects.models import ProjectIndexPage, ProjectPage, ProjectStatus
from tests.bench.seed_projects import _many_to_many, _project_lookups

BATCH = 2000
WORDS = ["Fjord", "Kyst", "Skog", "Sol", "Vind", "Hav", "Elv", "Fjell", "Strand", "By", "Tang", "Sykkel"]
ACTIVITIES = ["dugnad", "lab", "partnerskap", "pilot", "nettverk", "verksted", "løft", "plan"]
# Words of the summaries, so that searches have common, rare and inflected words to find:
# "energi" in every project, "havvind" in about 1 in 500, "bærekraftige" (Bokmål plural of
# "bærekraftig", stem "bærekraft") in about 1 in 10.
COMMON_WORD = "energi"
RARE_WORD = "havvind"
STEMMED_WORD = "bærekraftige"


def summary(number: int, title: str) -> str:
    text = f"{title}: et fiktivt prosjekt om energi og ytelsesmåling i kommunen."
    if number % 10 == 3:
        text += " Vi bygger bærekraftige lokalsamfunn."
    if number % 500 == 7:
        text += " Havvind og kystnær næring."
    return text


def bulk_projects(index: ProjectIndexPage, *, count: int, log=print) -> int:
    """Add ``count`` live projects under ``index`` in bulk, indexed for search; returns how many."""
    if count <= 0:
        return 0
    partner_ids, goals, targets_by_goal = _project_lookups(index)
    content_type_id = ContentType.objects.get_for_model(ProjectPage).pk
    statuses = itertools.cycle(ProjectStatus.values)
    today = timezone.localdate()
    now = timezone.now()
    start = ProjectPage.objects.count() + 1
    last_child = index.get_last_child()
    step = Page._str2int(last_child.path[-Page.steplen :]) + 1 if last_child else 1
    depth = index.depth + 1
    local_fields = ProjectPage._meta.local_concrete_fields
    backend = get_search_backend()
    added = 0
    started = time.monotonic()
    for batch_start in range(start, start + count, BATCH):
        numbers = range(batch_start, min(batch_start + BATCH, start + count))
        projects = []
        for number in numbers:
            goal = goals[number % len(goals)]
            name = f"{WORDS[number % len(WORDS)]}{ACTIVITIES[(number // len(WORDS)) % len(ACTIVITIES)]}"
            title = f"{name} {number:06d} (fiktiv)"
            slug = f"national-{number:06d}"
            project = ProjectPage(
                title=title,
                draft_title=title,
                slug=slug,
                summary=summary(number, title),
                primary_goal=goal,
                status=next(statuses),
                lead_partner_id=partner_ids[number % len(partner_ids)] if partner_ids else None,
                last_reported_at=today - datetime.timedelta(days=(number * 37) % 730) if number % 5 else None,
                live=True,
                first_published_at=now - datetime.timedelta(seconds=number),
                last_published_at=now - datetime.timedelta(seconds=number % 86_400),
                path=Page._get_path(index.path, depth, step),
                depth=depth,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                locale_id=index.locale_id,
                content_type_id=content_type_id,
                translation_key=uuid.uuid4(),
            )
            step += 1
            projects.append((project, goal))
        with transaction.atomic():
            pages = Page.objects.bulk_create(
                [
                    Page(**{field.attname: getattr(project, field.attname) for field in Page._meta.concrete_fields})
                    for project, _goal in projects
                ]
            )
            for (project, _goal), page in zip(projects, pages, strict=True):
                project.page_ptr_id = project.pk = page.pk
                project._state.adding = False
            ProjectPage._base_manager._insert(
                [project for project, _goal in projects], fields=local_fields, using=connection.alias
            )
            ProjectIndexPage.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(projects))
            _many_to_many(projects, goals=goals, targets_by_goal=targets_by_goal, partner_ids=partner_ids)
        backend.add_bulk(ProjectPage, list(ProjectPage.objects.filter(pk__in=[p.pk for p, _g in projects])))
        added += len(projects)
        rate = added / max(0.001, time.monotonic() - started)
        log(f"  {added} of {count} projects ({rate:.0f}/s)")
    if connection.vendor == "postgresql":
        # What autovacuum would do shortly after a bulk load: the planner's statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added
