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
import random
import time
import uuid
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.models import HomePage, HubPage
from cms.services import hub_create
from discussions.models import ChangeType, Comment, Thread
from goals.models import Goal
from notifications.models import Follow
from partners.models import Partner, PartnerKind, Partnership, PartnershipStatus, TaggedPartner
from partners.selectors import LOGO_RENDITION
from projects.models import ProjectIndexPage, ProjectPage, ProjectStatus
from tests.bench.seed import THEMES, _logos, _organisation_number, seed_site
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


_analyzed_rows = 0


def _analyze_grown(rows: int) -> None:
    """ANALYZE the page tables once they have grown by half since the last time (PostgreSQL only).

    PostgreSQL plans the foreign-key checks of a bulk load (run at commit: Django's constraints are
    deferred) on the statistics it has; a plan made while ``wagtailcore_page`` was nearly empty
    scans the whole table for every check, so the load grows quadratically (100,000 projects: from
    minutes to hours). ANALYZE invalidates those plans."""
    global _analyzed_rows
    if connection.vendor != "postgresql" or rows < 1.5 * _analyzed_rows + 1000:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailcore_page, projects_projectpage")
    _analyzed_rows = rows


def bulk_projects(index: ProjectIndexPage, *, count: int, log=print, search_index: bool = True) -> int:
    """Add ``count`` live projects under ``index`` in bulk, indexed for search unless ``search_index``
    is false; returns how many."""
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
        _analyze_grown(start + added + len(projects))
        if search_index:
            backend.add_bulk(ProjectPage, list(ProjectPage.objects.filter(pk__in=[p.pk for p, _g in projects])))
        added += len(projects)
        if log is not None:
            rate = added / max(0.001, time.monotonic() - started)
            log(f"  {added} of {count} projects ({rate:.0f}/s)")
    if connection.vendor == "postgresql" and search_index:
        # What autovacuum would do shortly after a bulk load: the planner's statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added


# --- The whole country ---------------------------------------------------------------------------
#
# ``build_country`` builds the national data set of the scale issue: 356 hubs, 20,000 partners,
# 100,000 projects, 200,000 people with their follows, and 2,000,000 comments, in minutes. Each step
# is skipped when the database already holds its rows, so a kept database is seeded once.

HUBS = 356
PARTNERS = 20_000
PROJECTS = 100_000
PEOPLE = 200_000
COMMENTS = 2_000_000
FORUM_TOPICS = 20_000
FOLLOWS_PER_PERSON = 2
COUNTRY_HUB_SLUG = "kommune-{number:03d}"
PEOPLE_DOMAIN = "folk.example"
LOGO_POOL = 24
COPY_BATCH = 50_000


@dataclass
class Country:
    """What ``build_country`` made: the hubs by size (largest first) and each step's seconds."""

    hubs: list  # HubPage, the largest first (the demo hub is not among them)
    seconds: dict[str, float] = field(default_factory=dict)


def zipf_shares(total: int, parts: int, *, exponent: float = 1.0, minimum: int = 1) -> list[int]:
    """``total`` split over ``parts`` ranks in proportion to 1/rank**exponent (the largest first),
    each at least ``minimum``: a few big municipalities and many small ones, as in Norway."""
    if parts <= 0:
        return []
    weights = [1 / rank**exponent for rank in range(1, parts + 1)]
    spare = max(0, total - minimum * parts)
    shares = [minimum + int(spare * weight / sum(weights)) for weight in weights]
    for rank in range(total - sum(shares)):
        shares[rank % parts] += 1
    return shares


def build_country(
    *,
    hubs: int = HUBS,
    partners: int = PARTNERS,
    projects: int = PROJECTS,
    people: int = PEOPLE,
    comments: int = COMMENTS,
    forum_topics: int = FORUM_TOPICS,
    log=None,
) -> Country:
    """The demo site, then ``hubs`` hubs in all (the demo's included) with partners, projects,
    people, follows, threads and comments spread Zipf-like over them; every step timed."""

    seconds: dict[str, float] = {}
    log = log or (lambda text: print(text, flush=True))

    def step(name: str, work):
        started = time.monotonic()
        result = work()
        if connection.vendor == "postgresql":
            _analyze()  # the next step's foreign-key checks are planned on these rows (_analyze_grown)
        seconds[name] = time.monotonic() - started
        log(f"  {name}: {seconds[name]:.1f} s")
        return result

    if not HubPage.objects.filter(slug="fjordvik-framtidslab").exists():
        step("demo site (seed_demo)", seed_site)
    country = step("hubs", lambda: country_hubs(hubs - 1))
    step("people", lambda: seed_people(people))
    step("partners", lambda: country_partners(country, partners))
    step("projects", lambda: country_projects(country, projects))
    step("threads", lambda: country_threads(country, forum_topics))
    step("follows", lambda: seed_follows(follows_per_person=FOLLOWS_PER_PERSON))
    step("comments", lambda: country_comments(comments))
    return Country(hubs=country, seconds=seconds)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def country_hubs(count: int) -> list:
    """``count`` hubs besides the demo's, the largest first: the first made by ``hub_create`` (its
    index pages and menu as any new hub gets them), the others copies of its rows, written in bulk.

    A copy has the template's pages (partner directory, project list, forum) with its own tree
    paths, ``url_path`` and translation keys, and a menu pointing at its own pages. Left out of the
    copies, as no public page reads them: revisions, the coordinators group and media collection,
    the moderation workflow and the indicator perspectives (``hub_coordinators_group_ensure`` and
    ``perspectives_ensure`` add them when a coordinator edits the hub).
    """

    slugs = [COUNTRY_HUB_SLUG.format(number=number) for number in range(1, count + 1)]
    existing = {hub.slug: hub for hub in HubPage.objects.filter(slug__in=slugs)}
    if len(existing) < count:
        home = HomePage.objects.get()
        template = existing.get(slugs[0])
        if template is None:
            existing[slugs[0]] = hub_create(parent=home, title=_hub_title(1), municipality=_hub_title(1), slug=slugs[0])
        missing = [number for number in range(1, count + 1) if slugs[number - 1] not in existing]
        _copy_hubs(existing[slugs[0]], home, missing)
    return list(HubPage.objects.filter(slug__in=slugs).order_by("slug"))


def _hub_title(number: int) -> str:
    return f"Kommune {number:03d} (fiktiv)"


def _copy_hubs(template, home, numbers: list[int]) -> None:

    children = [child.specific for child in template.get_children().order_by("path")]
    last = home.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) + 1
    now = timezone.now()
    with transaction.atomic():
        hubs = []
        for number in numbers:
            slug = COUNTRY_HUB_SLUG.format(number=number)
            hub = _page_copy(
                template,
                title=_hub_title(number),
                slug=slug,
                path=Page._get_path(home.path, home.depth + 1, step),
                url_path=f"{home.url_path}{slug}/",
                now=now,
            )
            hub.municipality = hub.title
            hub.coordinators_group_id = hub.collection_id = None
            step += 1
            hubs.append(hub)
        _insert_pages(hubs, specific=False)
        pages = []
        for hub in hubs:
            for position, child in enumerate(children, start=1):
                pages.append(
                    _page_copy(
                        child,
                        title=child.title,
                        slug=child.slug,
                        path=Page._get_path(hub.path, hub.depth + 1, position),
                        url_path=f"{hub.url_path}{child.slug}/",
                        now=now,
                    )
                )
        _insert_pages(pages)
        by_parent = {hub.path: [] for hub in hubs}
        for page in pages:
            by_parent[page.path[: -Page.steplen]].append(page)
        for hub in hubs:
            hub.menu_links = [("link", _menu_link(link, hub, by_parent[hub.path])) for link in template.menu_links]
        HubPage._base_manager._insert(hubs, fields=HubPage._meta.local_concrete_fields, using=connection.alias)


def _page_copy(page, *, title: str, slug: str, path: str, url_path: str, now):
    """An unsaved copy of the specific ``page`` at ``path``: no revisions, a new translation key."""
    copy = type(page)(**{field.attname: getattr(page, field.attname) for field in type(page)._meta.concrete_fields})
    copy.pk = copy.id = copy.page_ptr_id = None
    copy.title = copy.draft_title = title
    copy.slug, copy.path, copy.url_path = slug, path, url_path
    copy.depth = len(path) // Page.steplen
    copy.numchild = 0
    copy.translation_key = uuid.uuid4()
    copy.latest_revision_id = copy.live_revision_id = None
    copy.latest_revision_created_at = None
    copy.first_published_at = copy.last_published_at = now
    copy.live, copy.has_unpublished_changes = True, False
    return copy


def _menu_link(block, hub, children) -> dict:
    """The template's menu link ``block`` pointing at the copy's page of the same slug."""
    value = dict(block.value)
    page = value.get("page")
    if page is not None:
        value["page"] = hub if page.depth == hub.depth else next(c for c in children if c.slug == page.slug)
    return value


def _insert_pages(pages: list, *, specific: bool = True) -> None:
    """Write ``pages`` (unsaved specific instances with tree fields set): their ``wagtailcore_page``
    rows with ``bulk_create``, then, unless ``specific`` is false, their own table's rows with the
    multi-row ``INSERT`` that ``bulk_create`` uses (it refuses multi-table inheritance)."""
    base = Page.objects.bulk_create(
        [
            Page(**{field.attname: getattr(page, field.attname) for field in Page._meta.concrete_fields})
            for page in pages
        ]
    )
    for page, row in zip(pages, base, strict=True):
        page.id = page.pk = page.page_ptr_id = row.pk
        page._state.adding = False
    parents = {}
    for page in pages:
        parents.setdefault(page.path[: -Page.steplen], 0)
        parents[page.path[: -Page.steplen]] += 1
    for parent_path, children in parents.items():
        Page.objects.filter(path=parent_path).update(numchild=F("numchild") + children)
    if not specific:
        return
    by_model: dict = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, rows in by_model.items():
        model._base_manager._insert(rows, fields=model._meta.local_concrete_fields, using=connection.alias)


def seed_people(count: int, *, log=None) -> list[int]:
    """Bring the people of the national set (``@folk.example``) up to ``count``: active users with
    unusable passwords, display names and a verified primary e-mail address, joined long enough ago
    to comment without a new account's limits; returns their ids in order.

    Written with ``bulk_create`` in batches (``set_unusable_password`` per user costs microseconds,
    a hashed password would cost a second per ten)."""

    user_model = get_user_model()
    people = user_model.objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}")
    have = people.count()
    unusable = make_password(None)
    joined = timezone.now() - datetime.timedelta(days=400)
    for batch_start in range(have + 1, count + 1, BATCH * 5):
        numbers = range(batch_start, min(count, batch_start + BATCH * 5 - 1) + 1)
        with transaction.atomic():
            users = user_model.objects.bulk_create(
                user_model(
                    email=f"person{number:06d}@{PEOPLE_DOMAIN}",
                    display_name=f"Innbygger {number:06d} (fiktiv)",
                    password=unusable,
                    date_joined=joined + datetime.timedelta(seconds=number),
                    is_active=True,
                )
                for number in numbers
            )
            EmailAddress.objects.bulk_create(
                EmailAddress(user_id=user.pk, email=user.email, verified=True, primary=True) for user in users
            )
        if log is not None:
            log(f"  {batch_start + len(numbers) - 1} of {count} people")
    return list(people.order_by("pk").values_list("pk", flat=True))


def country_partners(hubs: list, total: int) -> None:
    """Approved partners up to ``total`` in the country's hubs, Zipf-like (the largest hub first),
    with one to three goals, up to two themes and a logo from a shared pool of ``LOGO_POOL`` (its
    directory rendition made here, so that serving writes nothing)."""

    seeded = set(Partnership.objects.filter(hub__in=hubs).values_list("hub_id", flat=True))
    if len(seeded) >= len(hubs):
        return

    goals = list(Goal.objects.order_by("number"))
    logos = _logos(range(90_001, 90_001 + LOGO_POOL))
    for logo in logos:
        logo.get_rendition(LOGO_RENDITION)
    tags = [Tag.objects.get_or_create(name=theme, defaults={"slug": theme})[0] for theme in THEMES]
    kinds = itertools.cycle(_partner_kinds())
    now = timezone.now()
    start = Partner.objects.count() + 1
    number = start
    for hub, share in zip(hubs, zipf_shares(total, len(hubs)), strict=True):
        if hub.pk in seeded:
            continue
        with transaction.atomic():
            partners = []
            for _ in range(share):
                kind = next(kinds)
                name = f"{WORDS[number % len(WORDS)]}{ACTIVITIES[(number // len(WORDS)) % len(ACTIVITIES)]} "
                name += f"{number:05d} (fiktiv)"
                partners.append(
                    Partner(
                        name=name,
                        slug=f"national-{number:05d}",
                        kind=kind,
                        organisation_number=_organisation_number(number),
                        logo=logos[number % len(logos)],
                        website=f"https://national-{number}.example/",
                        description=f"<p>{name} jobber med bærekraftsmålene. <strong>Fiktive data.</strong></p>",
                        municipality=hub.municipality,
                    )
                )
                number += 1
            partners = Partner.objects.bulk_create(partners)
            Partnership.objects.bulk_create(
                Partnership(partner=p, hub=hub, status=PartnershipStatus.APPROVED, applied_at=now, decided_at=now)
                for p in partners
            )
            through = Partner.goals.through
            through.objects.bulk_create(
                through(partner_id=p.pk, goal_id=goals[(p.pk + offset * 5) % len(goals)].pk)
                for p in partners
                for offset in range(1 + p.pk % 3)
            )
            TaggedPartner.objects.bulk_create(
                TaggedPartner(content_object=p, tag=tags[(p.pk + offset) % len(tags)])
                for p in partners
                for offset in range(p.pk % 3)
            )


def _partner_kinds():
    return PartnerKind.values


def country_projects(hubs: list, total: int) -> None:
    """Live projects up to ``total`` in the country's hubs, Zipf-like, through ``bulk_projects``
    (not indexed for search: site search is measured on its own, by ``--national``)."""
    for hub, share in zip(hubs, zipf_shares(total, len(hubs)), strict=True):
        index = ProjectIndexPage.objects.child_of(hub).get()
        missing = share - ProjectPage.objects.child_of(index).count()
        if missing > 0:
            bulk_projects(index, count=missing, log=None, search_index=False)


def country_threads(hubs: list, forum_topics: int) -> None:
    """A thread for every project of the country's hubs that has none, and ``forum_topics`` forum
    topics opened by the national people, Zipf-like over the hubs."""

    hub_ids = [hub.pk for hub in hubs]
    hub_by_path = {hub.path: hub.pk for hub in hubs}
    now = timezone.now()
    # Unordered and read at once: as a server-side cursor, PostgreSQL chose a fast-start plan that
    # ran for minutes.
    missing = ProjectPage.objects.filter(discussion__isnull=True).order_by().values_list("pk", "path", "title")
    rows = [
        Thread(hub_id=hub_by_path[path[: 3 * Page.steplen]], project_id=pk, title=title[:200], created_at=now)
        for pk, path, title in list(missing)
        if path[: 3 * Page.steplen] in hub_by_path
    ]
    Thread.objects.bulk_create(rows, batch_size=BATCH * 5)
    topics = Thread.objects.filter(hub_id__in=hub_ids, project__isnull=True).count()
    if topics >= forum_topics:
        return
    authors = list(
        get_user_model()
        .objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}")
        .order_by("pk")[:50_000]
        .values_list("pk", flat=True)
    ) or [None]
    number = topics
    topics_rows = []
    for hub_id, share in zip(hub_ids, zipf_shares(forum_topics - topics, len(hub_ids)), strict=True):
        for _ in range(share):
            number += 1
            topics_rows.append(
                Thread(
                    hub_id=hub_id,
                    title=f"{WORDS[number % len(WORDS)]}prat {number:05d} (fiktiv)",
                    author_id=authors[number % len(authors)],
                    created_at=now,
                )
            )
    Thread.objects.bulk_create(topics_rows, batch_size=BATCH * 5)


def seed_follows(*, follows_per_person: int = FOLLOWS_PER_PERSON, log=None) -> int:
    """Each national person follows ``follows_per_person`` things: a project thread, a hub or a
    project in turn, spread over the national data; returns how many follows were written."""

    people = get_user_model().objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}")
    if Follow.objects.filter(user__in=people).exists():
        return 0
    person_ids = list(people.order_by("pk").values_list("pk", flat=True))
    threads = list(Thread.objects.order_by("pk").values_list("pk", flat=True))
    projects = list(ProjectPage.objects.order_by("pk").values_list("pk", flat=True))

    hubs = list(HubPage.objects.order_by("pk").values_list("pk", flat=True))
    rows = []
    for position, person in enumerate(person_ids):
        for offset in range(follows_per_person):
            choice = (position + offset) % 3
            if choice == 0 and threads:
                rows.append(Follow(user_id=person, thread_id=threads[(position * 7 + offset) % len(threads)]))
            elif choice == 1 and hubs:
                rows.append(Follow(user_id=person, hub_id=hubs[(position + offset) % len(hubs)]))
            elif projects:
                rows.append(Follow(user_id=person, project_id=projects[(position * 13 + offset) % len(projects)]))
    Follow.objects.bulk_create(rows, batch_size=BATCH * 5, ignore_conflicts=True)
    if log is not None:
        log(f"  {len(rows)} follows")
    return len(rows)


def country_comments(total: int, *, log=None) -> int:
    """Comments up to ``total`` on the national hubs' threads, by the national people: more on
    some threads than others, numbered per thread as posting numbers them, over the past year.

    PostgreSQL: ``COPY ... FROM STDIN`` through psycopg, then each thread's ``last_seq`` and
    ``last_activity_at`` in one ``UPDATE``. Other databases: ``bulk_create`` in batches."""

    have = Comment.objects.count()
    if have >= total:
        return 0
    count = total - have
    threads = list(Thread.objects.filter(hub__slug__startswith="kommune-").values_list("pk", "last_seq"))
    authors = list(get_user_model().objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}").values_list("pk", flat=True))
    if not threads or not authors:
        return 0
    chooser = random.Random(13)
    # A thread's weight: most threads have a few comments, some many.
    weights = [1 + (position % 17 == 0) * 20 + (position % 5 == 0) * 3 for position in range(len(threads))]
    chosen = sorted(chooser.choices(range(len(threads)), weights=weights, k=count))
    now = timezone.now()
    year = 365 * 86_400
    seqs = {position: threads[position][1] for position in set(chosen)}
    change = ChangeType.COMMENT_CREATED.value

    def rows():
        for number, position in enumerate(chosen, start=have + 1):
            seqs[position] += 1
            thread_id = threads[position][0]
            created = now - datetime.timedelta(seconds=year - (year * seqs[position]) // (seqs[position] + 50))
            body = f"Fiktiv kommentar {number} om {WORDS[number % len(WORDS)].lower()} og dugnad."
            yield (thread_id, authors[(number * 7919) % len(authors)], body, f"<p>{body}</p>", created, seqs[position])

    if connection.vendor == "postgresql":
        written = 0
        with connection.cursor() as cursor:
            columns = "thread_id, author_id, body, html, created_at, seq, last_change, hidden_automatically"
            with cursor.cursor.copy(f"COPY {Comment._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row((*row, change, False))
                    written += 1
                    if log is not None and written % 200_000 == 0:
                        log(f"  {written} of {count} comments")
            cursor.execute(
                f"""UPDATE {Thread._meta.db_table} AS t SET last_seq = c.seq, last_activity_at = c.at
                    FROM (SELECT thread_id, MAX(seq) AS seq, MAX(created_at) AS at
                          FROM {Comment._meta.db_table} GROUP BY thread_id) AS c
                    WHERE c.thread_id = t.id AND c.seq > t.last_seq"""
            )
    else:
        batch = []
        for thread_id, author_id, body, html, _created, seq in rows():
            # created_at is the time of writing here (auto_now_add): only COPY sets a past one.
            batch.append(
                Comment(thread_id=thread_id, author_id=author_id, body=body, html=html, seq=seq, last_change=change)
            )
            if len(batch) >= BATCH * 5:
                Comment.objects.bulk_create(batch)
                batch = []
        Comment.objects.bulk_create(batch)
        for position, seq in seqs.items():
            Thread.objects.filter(pk=threads[position][0]).update(last_seq=seq)
    return count
