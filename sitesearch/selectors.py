"""Site search: projects, partners, pages, news, forum topics and comments, ranked, with facets.

How a search runs (a fixed number of queries whatever the data, ``tests/sitesearch/test_queries.py``):

1. The query is normalised (``cms.search_text.query_terms``: Norwegian stems, æ/ø/å folded) and
   Wagtail's search backend is asked once per indexed model family (pages, partners, forum
   topics, comments) for the ids and scores of the best ``SEARCH_MAX_CANDIDATES`` matches (by the
   backend's score), whoever may see them; if more match, the result says so (``truncated``), and
   everything below works on those candidates only, so its cost does not grow with the hits.
2. Visibility is decided *now*, never by the index, with the apps' own rules for what is public:
   pages live, outside view restrictions and below no unpublished page
   (``cms.restrictions.published_q``); partners with an approved partnership
   (``partners.selectors.approved_partnerships``) in a hub whose directory is public; forum topics
   in a public forum; comments neither hidden nor deleted
   (``discussions.selectors.visible_comments``) in a public forum topic or a public project's
   thread. So a page restricted, a comment hidden or a partnership suspended a moment ago is out
   of the results at once, for every visitor whatever their role: search shows only what everyone
   may see.
3. Facets (type, hub, goal, status, partner kind) are counted over the visible hits, each facet
   with every *other* filter applied, so that its counts say what choosing it would give.
4. Only the hits of the requested page of results are read in full (titles, texts, addresses).
"""

from collections import Counter
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.models import HubPage, NewsPage, StandardPage
from cms.restrictions import published_q
from cms.search_text import normalise_word, query_terms, words
from discussions.models import Comment, ForumIndexPage, Thread
from discussions.selectors import visible_comments
from goals.models import Goal
from partners.models import Partner, PartnerIndexPage, PartnerKind
from partners.selectors import approved_partnerships
from projects.models import ProjectPage, ProjectStatus

PAGE_SIZE = 20

KIND_PROJECT = "project"
KIND_PARTNER = "partner"
KIND_PAGE = "page"
KIND_NEWS = "news"
KIND_TOPIC = "topic"
KIND_COMMENT = "comment"

KIND_LABELS = {
    KIND_PROJECT: _("Projects"),
    KIND_PARTNER: _("Partners"),
    KIND_PAGE: _("Pages"),
    KIND_NEWS: _("News"),
    KIND_TOPIC: _("Forum topics"),
    KIND_COMMENT: _("Comments"),
}
_PAGE_KINDS = {ProjectPage: KIND_PROJECT, StandardPage: KIND_PAGE, HubPage: KIND_PAGE, NewsPage: KIND_NEWS}
FACETS = ("type", "hub", "goal", "status", "kind")


@dataclass
class Hit:
    """One visible result, with what the facets need; ``item`` and ``url`` are filled for the page shown."""

    kind: str
    pk: int
    relevance: float
    title: str = ""
    # How many of the query's words the title holds: hits rank by it first, then by relevance.
    title_matches: int = 0
    hub_ids: tuple[int, ...] = ()
    goal_numbers: tuple[int, ...] = ()
    status: str = ""
    partner_kind: str = ""
    url: str = ""
    text: str = ""
    hub_title: str = ""
    extra: dict = field(default_factory=dict)

    def facet_values(self, facet: str) -> tuple[str, ...]:
        if facet == "type":
            return (self.kind,)
        if facet == "hub":
            return tuple(str(pk) for pk in self.hub_ids)
        if facet == "goal":
            return tuple(str(number) for number in self.goal_numbers)
        if facet == "status":
            return (self.status,) if self.status else ()
        if facet == "kind":
            return (self.partner_kind,) if self.partner_kind else ()
        raise ValueError(facet)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    filters: dict[str, str]
    hits: list[Hit]  # the hits of the page shown
    page_obj: object
    paginator: Paginator
    facets: dict[str, list[FacetOption]]
    hubs: dict[int, HubPage]
    # More matched than were ranked (``max_candidates`` of some kind): the counts are lower bounds.
    truncated: bool = False
    max_candidates: int = 0


# --- 1. What matches ------------------------------------------------------------------------------


def _relevance(score) -> float:
    # SQLite's FTS5 bm25() is lower for better matches; PostgreSQL's ts_rank higher.
    score = float(score or 0.0)
    return -score if connection.vendor == "sqlite" else score


def max_candidates() -> int:
    return settings.SEARCH_MAX_CANDIDATES


def _matches(model, terms: list[str], truncated: list[str]) -> dict[int, float]:
    """Ids and relevance of the best ``max_candidates()`` ``model`` objects (by the backend's score)
    whose indexed text holds all ``terms``; appends the model's name to ``truncated`` if more match."""
    limit = max_candidates()
    backend = get_search_backend()
    results = backend.search(" ".join(terms), model.objects.only("pk"), operator="and").annotate_score("_score")
    rows = list(results[: limit + 1])  # best first
    if len(rows) > limit:
        truncated.append(model._meta.label)
    return {obj.pk: _relevance(obj._score) for obj in rows[:limit]}


# --- 2. What is visible ---------------------------------------------------------------------------


def _hub_of_path(path: str, hub_paths: dict[str, int]) -> int | None:
    for end in range(len(path), 0, -Page.steplen):
        hub_id = hub_paths.get(path[:end])
        if hub_id is not None:
            return hub_id
    return None


def _parent_hub_ids(pages, hub_paths: dict[str, int]) -> dict[int, object]:
    """Index pages (a hub's partner directory, forum) by the hub they are the child of."""
    return {hub_paths[page.path[: -Page.steplen]]: page for page in pages if page.path[: -Page.steplen] in hub_paths}


def _page_hits(matches: dict[int, float], hub_paths: dict[str, int]) -> list[Hit]:
    if not matches:
        return []
    kinds_by_type = {ct.pk: kind for model, kind in _PAGE_KINDS.items() for ct in [_content_type(model)]}
    rows = (
        Page.objects.filter(published_q(), pk__in=list(matches), content_type_id__in=list(kinds_by_type))
        .values_list("pk", "path", "content_type_id", "title")
        .order_by()
    )
    hits = []
    for pk, path, content_type_id, title in rows:
        hub_id = _hub_of_path(path, hub_paths)
        hits.append(
            Hit(
                kind=kinds_by_type[content_type_id],
                pk=pk,
                relevance=matches[pk],
                title=title,
                hub_ids=(hub_id,) if hub_id else (),
            )
        )
    projects = {hit.pk: hit for hit in hits if hit.kind == KIND_PROJECT}
    if projects:
        goals: dict[int, set[int]] = {pk: set() for pk in projects}
        for pk, status, number in ProjectPage.objects.filter(pk__in=list(projects)).values_list(
            "pk", "status", "primary_goal__number"
        ):
            projects[pk].status = status
            if number:
                goals[pk].add(number)
        through = ProjectPage.goals.through.objects.filter(projectpage_id__in=list(projects))
        for pk, number in through.values_list("projectpage_id", "goal__number"):
            goals[pk].add(number)
        for pk, numbers in goals.items():
            projects[pk].goal_numbers = tuple(sorted(numbers))
    return hits


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


def _partner_hits(matches: dict[int, float], directory_hub_ids: set[int]) -> list[Hit]:
    if not matches or not directory_hub_ids:
        return []
    hits: dict[int, Hit] = {}
    rows = (
        approved_partnerships()
        .filter(partner_id__in=list(matches), hub_id__in=directory_hub_ids)
        .values_list("partner_id", "hub_id", "partner__name", "partner__kind")
        .order_by("hub_id")
    )
    for partner_id, hub_id, name, kind in rows:
        hit = hits.get(partner_id)
        if hit is None:
            hit = hits[partner_id] = Hit(
                kind=KIND_PARTNER, pk=partner_id, relevance=matches[partner_id], title=name, partner_kind=kind
            )
        hit.hub_ids = (*hit.hub_ids, hub_id)
    if hits:
        goals: dict[int, set[int]] = {pk: set() for pk in hits}
        for pk, number in Partner.goals.through.objects.filter(partner_id__in=list(hits)).values_list(
            "partner_id", "goal__number"
        ):
            goals[pk].add(number)
        for pk, numbers in goals.items():
            hits[pk].goal_numbers = tuple(sorted(numbers))
    return list(hits.values())


def _topic_hits(matches: dict[int, float], forum_hub_ids: set[int]) -> list[Hit]:
    if not matches or not forum_hub_ids:
        return []
    rows = Thread.objects.filter(pk__in=list(matches), project__isnull=True, hub_id__in=forum_hub_ids).values_list(
        "pk", "hub_id", "title"
    )
    return [
        Hit(kind=KIND_TOPIC, pk=pk, relevance=matches[pk], title=title, hub_ids=(hub_id,))
        for pk, hub_id, title in rows.order_by()
    ]


def _comment_hits(matches: dict[int, float], forum_hub_ids: set[int]) -> list[Hit]:
    if not matches:
        return []
    public_projects = ProjectPage.objects.filter(published_q()).values("pk")
    rows = (
        visible_comments()
        .filter(pk__in=list(matches))
        .filter(
            Q(thread__project__isnull=True, thread__hub_id__in=forum_hub_ids)
            | Q(thread__project_id__in=public_projects)
        )
        .values_list("pk", "thread__hub_id", "thread__title")
        .order_by()
    )
    return [
        Hit(kind=KIND_COMMENT, pk=pk, relevance=matches[pk], title=title, hub_ids=(hub_id,))
        for pk, hub_id, title in rows
    ]


# --- 3. Facets ------------------------------------------------------------------------------------


def _passes(hit: Hit, filters: dict[str, str], *, skip: str = "") -> bool:
    return all(value in hit.facet_values(facet) for facet, value in filters.items() if facet != skip and value)


def _facets(hits: list[Hit], filters: dict[str, str], hubs: dict[int, HubPage]) -> dict[str, list[FacetOption]]:
    counts = {facet: Counter() for facet in FACETS}
    for hit in hits:
        for facet in FACETS:
            if _passes(hit, filters, skip=facet):
                counts[facet].update(hit.facet_values(facet))
    goal_names = {str(goal.number): str(goal) for goal in Goal.objects.filter(number__in=_ints(counts["goal"]))}
    labels = {
        "type": {kind: str(label) for kind, label in KIND_LABELS.items()},
        "hub": {str(pk): hub.title for pk, hub in hubs.items()},
        "goal": goal_names,
        "status": {value: str(label) for value, label in ProjectStatus.choices},
        "kind": {value: str(label) for value, label in PartnerKind.choices},
    }
    facets = {}
    for facet in FACETS:
        options = [
            FacetOption(value=value, label=labels[facet][value], count=count, selected=filters.get(facet) == value)
            for value, count in counts[facet].items()
            if value in labels[facet]
        ]
        if facet == "goal":
            options.sort(key=lambda option: int(option.value))
        elif facet == "type":
            order = list(KIND_LABELS)
            options.sort(key=lambda option: order.index(option.value))
        else:
            options.sort(key=lambda option: (-option.count, option.label.lower()))
        facets[facet] = options
    return facets


def _ints(values) -> list[int]:
    return [int(value) for value in values if str(value).isdigit()]


# --- 4. The page shown ----------------------------------------------------------------------------


def _hydrate(hits: list[Hit], request, hub_filter: int | None, directories: dict, forums: dict) -> None:
    """Titles, texts and addresses of the hits shown (one query per kind present)."""
    by_kind: dict[str, dict[int, Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, {})[hit.pk] = hit
    page_ids = [pk for kind in (KIND_PROJECT, KIND_PAGE, KIND_NEWS) for pk in by_kind.get(kind, {})]
    comments = list(
        Comment.objects.filter(pk__in=list(by_kind.get(KIND_COMMENT, {}))).select_related("thread").order_by()
    )
    project_ids = {comment.thread.project_id for comment in comments if comment.thread.project_id}
    pages = {}
    if page_ids or project_ids:
        pages = {page.pk: page for page in Page.objects.filter(pk__in=[*page_ids, *project_ids]).specific()}
    for pk in page_ids:
        hit = next(by_kind[kind][pk] for kind in (KIND_PROJECT, KIND_PAGE, KIND_NEWS) if pk in by_kind.get(kind, {}))
        page = pages.get(pk)
        if page is None:
            continue
        hit.url = page.get_url(request) or ""
        hit.text = _page_text(page)
        hit.extra["page"] = page
    for partner in Partner.objects.filter(pk__in=list(by_kind.get(KIND_PARTNER, {}))).order_by():
        hit = by_kind[KIND_PARTNER][partner.pk]
        hub_id = hub_filter if hub_filter in hit.hub_ids else hit.hub_ids[0]
        directory = directories.get(hub_id)
        hit.url = f"{directory.get_url(request)}{partner.slug}/" if directory else ""
        hit.text = " ".join(filter(None, [partner.municipality, unescape(strip_tags(partner.description))]))
        hit.extra["partner"] = partner
    for pk, hit in by_kind.get(KIND_TOPIC, {}).items():
        forum = forums.get(hit.hub_ids[0])
        hit.url = f"{forum.get_url(request)}{pk}/" if forum else ""
    for comment in comments:
        hit = by_kind[KIND_COMMENT][comment.pk]
        thread = comment.thread
        if thread.project_id:
            project = pages.get(thread.project_id)
            base = project.get_url(request) if project else ""
            hit.title = project.title if project else thread.title
        else:
            forum = forums.get(thread.hub_id)
            base = f"{forum.get_url(request)}{thread.pk}/" if forum else ""
        hit.url = f"{base}#comment-{comment.pk}" if base else ""
        hit.text = comment.body
        hit.extra["comment"] = comment


def _page_text(page) -> str:
    if isinstance(page, ProjectPage):
        return page.summary
    if isinstance(page, HubPage):
        from cms.languages import in_language

        return " ".join(filter(None, [page.municipality, in_language(page, "introduction")]))
    return page.search_text_plain() if hasattr(page, "search_text_plain") else ""


# --- The search -----------------------------------------------------------------------------------


def clean_filters(params) -> dict[str, str]:
    """The facet filters of a request's GET parameters (unknown facets ignored, values trimmed)."""
    return {facet: (params.get(facet) or "").strip()[:40] for facet in FACETS if (params.get(facet) or "").strip()}


def public_hubs() -> dict[int, HubPage]:
    """Every hub everyone may see, by id (their streams deferred)."""
    return {hub.pk: hub for hub in HubPage.objects.filter(published_q()).defer_streamfields().order_by("title")}


def site_search(query: str, *, filters: dict[str, str], page_number=1, request=None, hubs=None) -> SearchResult:
    """Search everything public for ``query``; ``filters`` maps facets to the value chosen.

    ``hubs`` (``public_hubs()``) may be passed by a caller that has read them already.
    """
    hubs = public_hubs() if hubs is None else hubs
    terms = query_terms(query)
    hits: list[Hit] = []
    truncated: list[str] = []
    directories: dict = {}
    forums: dict = {}
    if terms:
        hub_paths = {hub.path: pk for pk, hub in hubs.items()}
        directories = _parent_hub_ids(PartnerIndexPage.objects.filter(published_q()).order_by("path"), hub_paths)
        forums = _parent_hub_ids(ForumIndexPage.objects.filter(published_q()).order_by("path"), hub_paths)
        hits = [
            *_page_hits(_matches(Page, terms, truncated), hub_paths),
            *_partner_hits(_matches(Partner, terms, truncated), set(directories)),
            *_topic_hits(_matches(Thread, terms, truncated), set(forums)),
            *_comment_hits(_matches(Comment, terms, truncated), set(forums)),
        ]
        for hit in hits:
            if hit.kind != KIND_COMMENT:  # a comment's title is its thread's
                hit.title_matches = len(set(terms) & {normalise_word(word) for word in words(hit.title)})
    facets = _facets(hits, filters, hubs)
    shown = sorted(
        (hit for hit in hits if _passes(hit, filters)),
        key=lambda hit: (-hit.title_matches, -hit.relevance, hit.kind, -hit.pk),
    )
    paginator = Paginator(shown, PAGE_SIZE)
    page_obj = paginator.get_page(page_number)
    page_hits = list(page_obj.object_list)
    hub_filter = int(filters["hub"]) if filters.get("hub", "").isdigit() else None
    _hydrate(page_hits, request, hub_filter, directories, forums)
    for hit in page_hits:
        hub = hubs.get(hit.hub_ids[0]) if hit.hub_ids else None
        hit.hub_title = hub.title if hub else ""
    return SearchResult(
        query=query,
        terms=terms,
        filters=filters,
        hits=page_hits,
        page_obj=page_obj,
        paginator=paginator,
        facets=facets,
        hubs=hubs,
        truncated=bool(truncated),
        max_candidates=max_candidates(),
    )
