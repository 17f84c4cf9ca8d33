"""CSV and JSON downloads of projects and partners, streamed row by row.

Rows come from ``QuerySet.iterator(chunk_size=EXPORT_CHUNK_SIZE)``: the database cursor is read a
chunk at a time and the prefetches run per chunk, so memory holds one chunk whatever the number of
rows, and the queries are a fixed number per chunk (one for the rows, one per prefetch).

CSV: UTF-8 with a byte order mark, comma-separated (RFC 4180), a header row of column names.
The BOM is there for Excel, which many of our Norwegian readers open downloads with: without it
Excel reads a CSV file as Windows-1252 and garbles æ, ø and å. Programs that read RFC 4180 skip it
with the ``utf-8-sig`` codec (Python) or equivalents. Text cells that start with ``=``, ``+``, ``-``,
``@`` or a tab get a leading apostrophe so that a spreadsheet shows them as text instead of running
them as formulas (OWASP's advice on CSV injection); JSON carries the text unchanged.

JSON: one array of objects, streamed element by element (``application/json``): what most tools
read with one call; keys are the CSV's column names, lists are arrays, numbers are numbers.

Under ASGI (production's uvicorn) Django reads a *synchronous* streaming body into one list before
sending it (``StreamingHttpResponse.__aiter__``), which would hold the whole download in memory:
there the body is an asynchronous iterator that takes ``ASYNC_BATCH_PARTS`` lines at a time from
the same generator in Django's thread for synchronous code (where the database connection lives).
"""

import csv
import json
from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import islice

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.markdown import html_to_markdown
from opendata.selectors import PublicHub
from partners.models import Partner, PartnerKind
from projects.models import ProjectPage, ProjectStatus

EXPORT_CHUNK_SIZE = 2000
CSV_LIST_SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PROJECT_COLUMNS = (
    "id",
    "title",
    "url",
    "hub",
    "hub_slug",
    "status",
    "status_label",
    "primary_goal",
    "goals",
    "targets",
    "lead_partner",
    "partners",
    "start_date",
    "end_date",
    "location",
    "summary",
    "first_published_at",
    "last_published_at",
    "last_reported_at",
)

PARTNER_COLUMNS = (
    "id",
    "name",
    "url",
    "kind",
    "kind_label",
    "organisation_number",
    "website",
    "public_email",
    "municipality",
    "latitude",
    "longitude",
    "goals",
    "focus_themes",
    "description",
    "hubs",
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def project_row(project: ProjectPage, hubs_by_index_path: dict[str, PublicHub]) -> dict:
    """One project as a row: the fields its page shows publicly (no contact person: personal data)."""
    hub = hubs_by_index_path.get(project.path[: -Page.steplen])
    primary = project.primary_goal.number if project.primary_goal_id else None
    return {
        "id": project.pk,
        "title": project.title,
        "url": f"{hub.projects_url}{project.slug}/" if hub else "",
        "hub": hub.hub.title if hub else "",
        "hub_slug": hub.slug if hub else "",
        "status": project.status,
        "status_label": str(ProjectStatus(project.status).label) if project.status in ProjectStatus.values else "",
        "primary_goal": primary,
        "goals": sorted({goal.number for goal in project.goals.all()} | ({primary} if primary else set())),
        "targets": sorted(target.code for target in project.targets.all()),
        "lead_partner": project.lead_partner.name if project.lead_partner_id else "",
        "partners": sorted(partner.name for partner in project.partners.all()),
        "start_date": _iso(project.start_date),
        "end_date": _iso(project.end_date),
        "location": project.location,
        "summary": project.summary,
        "first_published_at": _iso(project.first_published_at),
        "last_published_at": _iso(project.last_published_at),
        "last_reported_at": _iso(project.last_reported_at),
    }


def partner_row(partner: Partner, hubs_by_pk: dict[int, PublicHub]) -> dict:
    """One partner as a row: its public profile, the hubs it is approved in, its page in the first."""
    hubs = [hubs_by_pk[item.hub_id] for item in partner.public_partnerships if item.hub_id in hubs_by_pk]
    hubs.sort(key=lambda item: (item.hub.title, item.hub.pk))
    return {
        "id": partner.pk,
        "name": partner.name,
        "url": f"{hubs[0].directory_url}{partner.slug}/" if hubs else "",
        "kind": partner.kind,
        "kind_label": str(PartnerKind(partner.kind).label) if partner.kind in PartnerKind.values else "",
        "organisation_number": partner.organisation_number,
        "website": partner.website,
        "public_email": partner.public_email,
        "municipality": partner.municipality,
        "latitude": float(partner.latitude) if partner.latitude is not None else None,
        "longitude": float(partner.longitude) if partner.longitude is not None else None,
        "goals": sorted(goal.number for goal in partner.goals.all()),
        "focus_themes": sorted((item.tag.name for item in partner.tagged_items.all()), key=str.lower),
        "description": html_to_markdown(partner.description).strip(),
        "hubs": [item.slug for item in hubs],
    }


def _release(instance) -> None:
    """Drop what was prefetched for ``instance`` once its row is made: prefetched rows point back at
    it (``partnership.partner``, ``tagged_item.content_object``), a reference cycle that only the
    garbage collector's rare full passes would free, so memory would grow with the rows."""
    instance._prefetched_objects_cache = {}


def project_rows_iter(queryset, hubs: list[PublicHub]) -> Iterator[dict]:
    by_index = {item.projects_index.path: item for item in hubs if item.projects_index is not None}
    for project in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        row = project_row(project, by_index)
        _release(project)
        yield row


def partner_rows_iter(queryset, hubs: list[PublicHub]) -> Iterator[dict]:
    by_pk = {item.hub.pk: item for item in hubs if item.directory is not None}
    for partner in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        row = partner_row(partner, by_pk)
        _release(partner)
        partner.public_partnerships = []
        yield row


class _Line:
    """A file-like object whose ``write`` returns what it was given: ``csv.writer`` then makes lines
    one at a time for a generator (Django's "streaming large CSV files" recipe)."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, list):
        value = CSV_LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(columns: tuple[str, ...], rows: Iterable[dict]) -> Iterator[str]:
    """The CSV document: a BOM, the header row, then one line per row, each as soon as it is made."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([_csv_cell(row[column]) for column in columns])


def json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array of the rows, one element at a time."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
# Lines handed over per hop between the event loop and the synchronous thread under ASGI: one hop
# per line would cost more than making the line.
ASYNC_BATCH_PARTS = 500


async def batches_from_thread(parts: Iterator[str]) -> AsyncIterator[str]:
    """``parts`` joined ``ASYNC_BATCH_PARTS`` at a time, each batch read in Django's synchronous thread."""
    take = sync_to_async(lambda: "".join(islice(parts, ASYNC_BATCH_PARTS)), thread_sensitive=True)
    while batch := await take():
        yield batch


def download_response(
    *, fmt: str, columns: tuple[str, ...], rows: Iterable[dict], filename: str, asynchronous: bool = False
) -> StreamingHttpResponse:
    """A streamed download of ``rows`` as ``fmt`` ("csv" or "json"), saved as ``filename``.

    ``asynchronous`` for a request served over ASGI (see the module's docstring).
    """
    chunks = csv_lines(columns, rows) if fmt == "csv" else json_chunks(rows)
    if asynchronous:
        chunks = batches_from_thread(chunks)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Anyone may reuse open data, from any site's scripts too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def dataset_title(dataset: str) -> str:
    return _("Projects") if dataset == "projects" else _("Partners")
