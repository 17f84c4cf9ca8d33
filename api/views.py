"""The read-only JSON API, ``/api/v1/`` (django-ninja: pydantic schemas and the OpenAPI document).

Every operation is a GET of public data (see ``api.selectors``). What all responses share is done
by ``api.middleware.ApiMiddleware``: CORS, the rate limit, ETag/Last-Modified and conditional
requests, caching headers, and JSON errors for what Django answers outside these views (404 of an
unknown path, 405, 500). Query parameters a view does not know are refused, never ignored.
"""

import inspect
import logging
import re
from datetime import UTC, datetime
from functools import wraps

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from accounts.urls_absolute import absolute_url
from api import schemas, selectors
from api.pagination import (
    CURSOR_PATTERN,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Cursor,
    list_page,
    next_link,
    queryset_page,
    time_key,
)
from partners.models import PartnerKind
from projects.models import ProjectStatus

logger = logging.getLogger(__name__)
# What an ``updated_since`` must start with: an ISO 8601 date.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

MAX_ID = 2**31 - 1
TARGET_CODE_PATTERN = r"^[0-9]{1,2}\.[0-9a-z]{1,2}$"
PATH_PARAMETERS = frozenset({"id", "number"})
LIST_ERRORS = {400: schemas.ErrorOut, 429: schemas.ErrorOut}
DETAIL_ERRORS = {400: schemas.ErrorOut, 404: schemas.ErrorOut, 429: schemas.ErrorOut}

DESCRIPTION = """Read-only open data of this Dugnad site: hubs, approved partners, published projects with their
goals, targets, outcomes and measured values, progress updates, and the UN goals, targets and indicators.

* **Ids** are database ids: hubs and projects by their page id, partners and progress updates by their
  row id; goals by number, targets and indicators by code. `url` is the public HTML page.
* **Lists** are ordered by (`updated_at`, `id`), oldest first (the catalogue in its own order) and
  paginated by an opaque cursor: follow `next` until it is `null`. `limit` is 1–200 (default 50).
* **Filters** combine with AND; an unknown query parameter is refused with 400.
* **Caching**: responses carry `ETag` and `Last-Modified`; send `If-None-Match` or
  `If-Modified-Since` to get `304 Not Modified`.
* **CORS**: any origin may GET without credentials.
* **Rate limit**: too many requests from one address get `429` with `Retry-After` (seconds).
* **Errors** are JSON: `{"error": {"code": "...", "message": "...", "details": [...]}}`.
"""


class Utf8JSONRenderer(JSONRenderer):
    """JSON in UTF-8 as it is (æ, ø, å), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Dugnad open data API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,  # our own page (api_docs): no third-party script under the site's CSP
    openapi_url="/openapi.json",
)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_body(code: str, message: str, details: list[dict] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details or []}}


@api.exception_handler(ApiError)
def _api_error(request, error: ApiError):
    return api.create_response(request, error_body(error.code, error.message, error.details), status=error.status)


@api.exception_handler(ValidationError)
def _validation_error(request, error: ValidationError):
    details = []
    for item in error.errors:
        location = item.get("loc") or ()
        details.append({"parameter": str(location[-1]) if location else "", "message": str(item.get("msg", ""))})
    names = ", ".join(detail["parameter"] for detail in details if detail["parameter"])
    body = error_body("invalid_parameter", f"Invalid value for: {names}" if names else "Invalid request", details)
    return api.create_response(request, body, status=400)


@api.exception_handler(Http404)
def _not_found(request, error):
    return api.create_response(request, error_body("not_found", "Not found"), status=404)


@api.exception_handler(Exception)
def _server_error(request, error):
    logger.exception("API error on %s", request.path)
    return api.create_response(request, error_body("server_error", "Server error"), status=500)


def known_parameters(view):
    """Refuse query parameters ``view`` does not take (400 naming them), and repeated ones."""
    names = frozenset(inspect.signature(view).parameters) - {"request"} - PATH_PARAMETERS

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - names)
        if unknown:
            raise ApiError(
                400,
                "unknown_parameter",
                f"Unknown query parameter: {', '.join(unknown)}",
                [{"parameter": name, "message": "Unknown query parameter"} for name in unknown],
            )
        repeated = sorted(name for name in request.GET if len(request.GET.getlist(name)) > 1)
        if repeated:
            raise ApiError(
                400,
                "invalid_parameter",
                f"Give each query parameter once: {', '.join(repeated)}",
                [{"parameter": name, "message": "Given more than once"} for name in repeated],
            )
        since = request.GET.get("updated_since")
        if since is not None and not ISO_DATE.match(since):
            # Pydantic would take a bare number as a Unix timestamp; the schema promises ISO 8601.
            detail = [{"parameter": "updated_since", "message": "Give a date and time, e.g. 2026-01-01T00:00:00Z"}]
            raise ApiError(400, "invalid_parameter", "Invalid value for: updated_since", detail)
        return view(request, *args, **kwargs)

    return wrapper


def _since(moment: datetime | None) -> datetime | None:
    """``updated_since`` in UTC (a time without an offset is taken as UTC)."""
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        detail = [{"parameter": "updated_since", "message": "Out of range"}]
        raise ApiError(400, "invalid_parameter", "Invalid value for: updated_since", detail) from error


def _goal_id(number: int | None) -> int | None:
    if number is None:
        return None
    return next((row["pk"] for row in selectors.goal_rows() if row["number"] == number), 0)


def _target_id(code: str | None) -> int | None:
    if code is None:
        return None
    return next((row["pk"] for row in selectors.target_rows() if row["code"] == code), 0)


def _localised(row: dict, field: str) -> dict:
    return {"nb": row[f"{field}_nb"], "nn": row[f"{field}_nn"] or row[f"{field}_nb"], "en": row[f"{field}_en"]}


def _goal_numbers() -> dict[int, int]:
    return {row["pk"]: row["number"] for row in selectors.goal_rows()}


# Shared parameter declarations ------------------------------------------------------------------------

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")
CursorParam = Query(None, pattern=CURSOR_PATTERN, description="Opaque: from `next_cursor` of the previous page")
Since = Query(None, description="Only what changed at or after this time (ISO 8601; UTC if no offset is given)")


def _hub_filter(description="Only this hub (page id)"):
    return Query(None, ge=1, le=MAX_ID, description=description)


# Index --------------------------------------------------------------------------------------------------


@api.get(
    "/",
    response={200: schemas.IndexOut, **LIST_ERRORS},
    operation_id="index",
    summary="The API's resources",
    tags=["index"],
)
@known_parameters
def index(request):
    def link(name):
        return absolute_url(reverse(f"api:{name}"))

    return {
        "hubs": link("hubs"),
        "partners": link("partners"),
        "projects": link("projects"),
        "progress_updates": link("progress_updates"),
        "goals": link("goals"),
        "targets": link("targets"),
        "indicators": link("indicators"),
        "openapi": link("openapi-json"),
        "docs": absolute_url(reverse("api_docs")),
    }


# Hubs ---------------------------------------------------------------------------------------------------


def _hub_out(hub: selectors.PublicHub) -> dict:
    return {
        "id": hub.id,
        "title": hub.title,
        "slug": hub.slug,
        "municipality": hub.municipality,
        "default_language": hub.default_language,
        "introduction": hub.introduction,
        "url": hub.url,
        "partner_directory_url": hub.partner_directory_url or None,
        "project_list_url": hub.project_list_url or None,
        "published_at": hub.published_at,
        "updated_at": hub.updated_at,
    }


@api.get(
    "/hubs",
    response={200: schemas.HubList, **LIST_ERRORS},
    operation_id="hubs",
    url_name="hubs",
    summary="Hubs",
    tags=["hubs"],
)
@known_parameters
def hubs(request, updated_since: datetime = Since, limit: int = Limit, cursor: str = CursorParam):
    tree = selectors.public_tree()
    since = _since(updated_since)
    items = [hub for hub in tree.hubs.values() if since is None or hub.updated_at >= since]
    page = list_page(
        items, key=lambda hub: (time_key(hub.updated_at), hub.id), cursor=Cursor.parse(cursor), limit=limit
    )
    return {"data": [_hub_out(hub) for hub in page.items], **next_link(request, page)}


@api.get(
    "/hubs/{id}",
    response={200: schemas.HubOut, **DETAIL_ERRORS},
    operation_id="hub",
    url_name="hub",
    summary="One hub",
    tags=["hubs"],
)
@known_parameters
def hub(request, id: int = Path(..., ge=1, le=MAX_ID)):
    found = selectors.public_tree().hubs.get(id)
    if found is None:
        raise Http404
    return _hub_out(found)


# Goals, targets, indicators ----------------------------------------------------------------------------


def _goal_out(row: dict) -> dict:
    return {
        "number": row["number"],
        "short_name": _localised(row, "short_name"),
        "title": _localised(row, "title"),
        "colour": row["colour"],
        "url": absolute_url(reverse("goal_detail", kwargs={"number": row["number"]})),
    }


@api.get(
    "/goals",
    response={200: schemas.GoalList, **LIST_ERRORS},
    operation_id="goals",
    url_name="goals",
    summary="The 17 goals",
    tags=["goals"],
)
@known_parameters
def goals(request):
    return {"data": [_goal_out(row) for row in selectors.goal_rows()], "next": None, "next_cursor": None}


@api.get(
    "/goals/{number}",
    response={200: schemas.GoalOut, **DETAIL_ERRORS},
    operation_id="goal",
    url_name="goal",
    summary="One goal",
    tags=["goals"],
)
@known_parameters
def goal(request, number: int = Path(..., ge=1, le=17)):
    row = next((row for row in selectors.goal_rows() if row["number"] == number), None)
    if row is None:
        raise Http404
    return _goal_out(row)


def _anchor_url(code: str, kind: str) -> str:
    goal_number = int(code.split(".", 1)[0])
    anchor = f"{kind}-" + code.replace(".", "-")
    return absolute_url(reverse("goal_detail", kwargs={"number": goal_number}) + f"#{anchor}")


GoalFilter = Query(None, ge=1, le=17, description="Only this goal (number)")


@api.get(
    "/targets",
    response={200: schemas.TargetList, **LIST_ERRORS},
    operation_id="targets",
    url_name="targets",
    summary="The goals' targets",
    tags=["goals"],
)
@known_parameters
def targets(request, goal: int = GoalFilter, limit: int = Limit, cursor: str = CursorParam):
    rows = [(position, row) for position, row in enumerate(selectors.target_rows())]
    rows = [item for item in rows if goal is None or item[1]["goal__number"] == goal]
    page = list_page(rows, key=lambda item: (item[0], item[1]["pk"]), cursor=Cursor.parse(cursor), limit=limit)
    data = [
        {
            "code": row["code"],
            "goal": row["goal__number"],
            "title": _localised(row, "title"),
            "url": _anchor_url(row["code"], "target"),
        }
        for _, row in page.items
    ]
    return {"data": data, **next_link(request, page)}


@api.get(
    "/indicators",
    response={200: schemas.IndicatorList, **LIST_ERRORS},
    operation_id="indicators",
    url_name="indicators",
    summary="The targets' indicators",
    tags=["goals"],
)
@known_parameters
def indicators(
    request,
    goal: int = GoalFilter,
    target: str = Query(None, pattern=TARGET_CODE_PATTERN, description="Only this target (code, e.g. 7.2)"),
    limit: int = Limit,
    cursor: str = CursorParam,
):
    rows = list(enumerate(selectors.indicator_rows()))
    rows = [
        item
        for item in rows
        if (goal is None or item[1]["target__goal__number"] == goal)
        and (target is None or item[1]["target__code"] == target)
    ]
    page = list_page(rows, key=lambda item: (item[0], item[1]["pk"]), cursor=Cursor.parse(cursor), limit=limit)
    data = [
        {
            "code": row["code"],
            "target": row["target__code"],
            "goal": row["target__goal__number"],
            "title": _localised(row, "title"),
            "url": _anchor_url(row["code"], "indicator"),
        }
        for _, row in page.items
    ]
    return {"data": data, **next_link(request, page)}


# Partners -----------------------------------------------------------------------------------------------


def _partners_out(partners, tree) -> list[dict]:
    details = selectors.partner_details(partners, tree)
    numbers = _goal_numbers()
    out = []
    for partner in partners:
        hubs = [
            {
                "id": hub_id,
                "url": f"{tree.hubs[hub_id].partner_directory_url}{partner.slug}/"
                if tree.hubs[hub_id].partner_directory_url
                else None,
            }
            for hub_id in details.hub_ids.get(partner.pk, [])
        ]
        out.append(
            {
                "id": partner.pk,
                "slug": partner.slug,
                "name": partner.name,
                "kind": partner.kind,
                "organisation_number": partner.organisation_number,
                "description": selectors.plain_text(partner.description),
                "website": partner.website,
                "public_email": partner.public_email,
                "municipality": partner.municipality,
                "latitude": float(partner.latitude) if partner.latitude is not None else None,
                "longitude": float(partner.longitude) if partner.longitude is not None else None,
                "goals": sorted(numbers[pk] for pk in details.goal_ids.get(partner.pk, []) if pk in numbers),
                "hubs": hubs,
                "url": next((hub["url"] for hub in hubs if hub["url"]), None),
                "created_at": partner.created_at,
                "updated_at": partner.updated_at,
            }
        )
    return out


@api.get(
    "/partners",
    response={200: schemas.PartnerList, **LIST_ERRORS},
    operation_id="partners",
    url_name="partners",
    summary="Partners (approved partnerships only)",
    tags=["partners"],
)
@known_parameters
def partners(
    request,
    hub: int = _hub_filter("Only partners approved in this hub (page id)"),
    kind: PartnerKind = Query(None, description="Kind of organisation"),
    goal: int = GoalFilter,
    updated_since: datetime = Since,
    limit: int = Limit,
    cursor: str = CursorParam,
):
    tree = selectors.public_tree()
    queryset = selectors.public_partners(
        tree, hub_id=hub, kind=kind or "", goal_id=_goal_id(goal), updated_since=_since(updated_since)
    )
    page = queryset_page(queryset, key="updated_at", cursor=Cursor.parse(cursor), limit=limit)
    return {"data": _partners_out(page.items, tree), **next_link(request, page)}


@api.get(
    "/partners/{id}",
    response={200: schemas.PartnerOut, **DETAIL_ERRORS},
    operation_id="partner",
    url_name="partner",
    summary="One partner",
    tags=["partners"],
)
@known_parameters
def partner(request, id: int = Path(..., ge=1, le=MAX_ID)):
    tree = selectors.public_tree()
    found = list(selectors.public_partners(tree).filter(pk=id))
    if not found:
        raise Http404
    return _partners_out(found, tree)[0]


# Projects -----------------------------------------------------------------------------------------------


def _projects_out(projects, tree) -> list[dict]:
    details = selectors.project_details(projects, tree)
    numbers = _goal_numbers()
    codes = {row["pk"]: (row["sort_key"], row["code"]) for row in selectors.target_rows()}
    today = timezone.localdate()
    out = []
    for project in projects:
        project_list = selectors.project_list_of(project, tree)
        hub_id = project_list.hub_id

        def approved(partner_id, hub_id=hub_id):
            return (partner_id, hub_id) in details.approved

        further = [numbers[pk] for pk in details.goal_ids.get(project.pk, []) if pk in numbers]
        primary = numbers.get(project.primary_goal_id)
        goal_numbers = [primary, *sorted(set(further) - {primary})]
        outcomes = []
        for outcome in details.outcomes.get(project.pk, []):
            history = outcome.history
            outcomes.append(
                {
                    "id": outcome.pk,
                    "title": outcome.title,
                    "unit": outcome.unit,
                    "baseline": float(outcome.baseline),
                    "target_value": float(outcome.target_value),
                    "target_date": outcome.target_date,
                    "latest_value": float(history[-1].value) if history else None,
                    "measurements": [
                        {"value": float(item.value), "measured_on": item.measured_on, "progress_update": item.update_id}
                        for item in history
                    ],
                }
            )
        out.append(
            {
                "id": project.pk,
                "title": project.title,
                "slug": project.slug,
                "url": absolute_url(_page_path(project, tree)),
                "hub": hub_id,
                "summary": project.summary,
                "status": project.status,
                "start_date": project.start_date,
                "end_date": project.end_date,
                "location": project.location,
                "primary_goal": primary,
                "goals": goal_numbers,
                "targets": [
                    code
                    for _, code in sorted(codes[pk] for pk in details.target_ids.get(project.pk, []) if pk in codes)
                ],
                "lead_partner": project.lead_partner_id
                if project.lead_partner_id and approved(project.lead_partner_id)
                else None,
                "partners": [pk for pk in details.partner_ids.get(project.pk, []) if approved(pk)],
                "outcomes": outcomes,
                "last_reported_on": project.last_reported_at,
                "reporting_freshness": project.reporting_freshness(
                    today=today, due_months=project_list.due_months, overdue_months=project_list.overdue_months
                ),
                "published_at": project.first_published_at,
                "updated_at": project.updated_at,
            }
        )
    return out


def _page_path(page, tree) -> str:
    """A project's address from its hub's (cached) one: no query per page."""
    hub = tree.hubs[selectors.project_list_of(page, tree).hub_id]
    list_url = hub.project_list_url
    return f"{list_url}{page.slug}/" if list_url else hub.url


@api.get(
    "/projects",
    response={200: schemas.ProjectList, **LIST_ERRORS},
    operation_id="projects",
    url_name="projects",
    summary="Published projects",
    tags=["projects"],
)
@known_parameters
def projects(
    request,
    hub: int = _hub_filter(),
    goal: int = Query(None, ge=1, le=17, description="Primary or further goal (number)"),
    target: str = Query(None, pattern=TARGET_CODE_PATTERN, description="Target code, e.g. 7.2"),
    status: ProjectStatus = Query(None, description="Project status"),
    partner: int = Query(None, ge=1, le=MAX_ID, description="Lead or participating partner (id)"),
    updated_since: datetime = Since,
    limit: int = Limit,
    cursor: str = CursorParam,
):
    tree = selectors.public_tree()
    queryset = selectors.projects_filtered(
        tree,
        hub_id=hub,
        goal_id=_goal_id(goal),
        target_id=_target_id(target),
        status=status or "",
        partner_id=partner,
        updated_since=_since(updated_since),
    )
    page = queryset_page(queryset, key="updated_at", cursor=Cursor.parse(cursor), limit=limit)
    projects = selectors.projects_in_order(tree, [row["pk"] for row in page.items])
    return {"data": _projects_out(projects, tree), **next_link(request, page)}


@api.get(
    "/projects/{id}",
    response={200: schemas.ProjectOut, **DETAIL_ERRORS},
    operation_id="project",
    url_name="project",
    summary="One project",
    tags=["projects"],
)
@known_parameters
def project(request, id: int = Path(..., ge=1, le=MAX_ID)):
    tree = selectors.public_tree()
    found = list(selectors.public_projects(tree).filter(pk=id))
    if not found:
        raise Http404
    return _projects_out(found, tree)[0]


# Progress updates ---------------------------------------------------------------------------------------


@api.get(
    "/progress-updates",
    response={200: schemas.ProgressUpdateList, **LIST_ERRORS},
    operation_id="progress_updates",
    url_name="progress_updates",
    summary="Progress updates of published projects",
    tags=["projects"],
)
@known_parameters
def progress_updates(
    request,
    hub: int = _hub_filter(),
    project: int = Query(None, ge=1, le=MAX_ID, description="Only this project (page id)"),
    partner: int = Query(None, ge=1, le=MAX_ID, description="Only this reporting partner (id)"),
    updated_since: datetime = Query(None, description="Only updates written at or after this time"),
    limit: int = Limit,
    cursor: str = CursorParam,
):
    tree = selectors.public_tree()
    queryset = selectors.public_progress_updates(
        tree, hub_id=hub, project_id=project, partner_id=partner, updated_since=_since(updated_since)
    )
    page = queryset_page(queryset, key="created_at", cursor=Cursor.parse(cursor), limit=limit)
    measurements = selectors.measurements_of(page.items)
    hub_ids = {update.pk: selectors.project_list_of(update.project, tree).hub_id for update in page.items}
    approved = selectors.approved_pairs({update.partner_id for update in page.items}, tree)
    data = [
        {
            "id": update.pk,
            "project": update.project_id,
            "hub": hub_ids[update.pk],
            "partner": update.partner_id if (update.partner_id, hub_ids[update.pk]) in approved else None,
            "reported_on": update.reported_on,
            "text": selectors.plain_text(update.text),
            "measurements": [
                {"outcome": item.outcome_id, "value": float(item.value), "measured_on": item.measured_on}
                for item in measurements.get(update.pk, [])
            ],
            "url": absolute_url(_page_path(update.project, tree)),
            "created_at": update.created_at,
        }
        for update in page.items
    ]
    return {"data": data, **next_link(request, page)}


# The docs page ------------------------------------------------------------------------------------------

CURL_EXAMPLES = (
    (_("Projects of a hub that work on goal 7 (affordable and clean energy)"), "projects?hub={hub}&goal=7"),
    (_("The hub's partners of one kind, here public-sector bodies"), "partners?hub={hub}&kind=public_sector"),
    (_("Progress updates written since a date"), "progress-updates?updated_since=2026-01-01T00:00:00Z"),
)


def curl_examples(hub_id: int | str = 3) -> list[dict]:
    """The three calls a municipality's data office would start with (docs page and README)."""
    base = absolute_url(reverse("api:index"))
    return [{"label": label, "command": f"curl '{base}{path.format(hub=hub_id)}'"} for label, path in CURL_EXAMPLES]


def api_docs(request):
    """``/api/v1/docs``: the operations and their parameters, from the OpenAPI document, in the site's
    own templates (no third-party script: the site's CSP allows none)."""
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = []
            for parameter in operation.get("parameters", []):
                spec = parameter.get("schema", {})
                options = spec.get("anyOf", [spec])
                enum = next((option.get("enum") for option in options if option.get("enum")), None)
                if enum is None:
                    ref = next((option.get("$ref") for option in options if option.get("$ref")), None)
                    if ref:
                        enum = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]].get("enum")
                kinds = [option.get("type") for option in options if option.get("type") not in (None, "null")]
                parameters.append(
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "required": parameter.get("required", False),
                        "type": ", ".join(kinds) or "string",
                        "enum": enum or [],
                        "description": parameter.get("description") or spec.get("description", ""),
                    }
                )
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": parameters,
                    "anchor": operation.get("operationId", ""),
                }
            )
    first_hub = next(iter(selectors.public_tree().hubs), None)
    context = {
        "operations": operations,
        "examples": curl_examples(first_hub or 3),
        "openapi_url": reverse("api:openapi-json"),
        "api_url": absolute_url(reverse("api:index")),
    }
    return render(request, "api/docs.html", context)


def api_not_found(request, rest=""):
    """Any other address under ``/api/``: a JSON 404, not the site's HTML page."""
    return JsonResponse(error_body("not_found", "Not found"), status=404)
