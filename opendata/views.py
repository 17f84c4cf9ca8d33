"""The open-data pages, downloads and catalogue: public, read-only, the same for every visitor.

Views translate between HTTP and the selectors; what is public is decided in
``opendata.selectors`` only.
"""

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from opendata import catalog, exports, selectors

EXPORTS = {
    "projects": (selectors.project_filter_form, selectors.project_rows, exports.project_rows_iter),
    "partners": (
        lambda data, hubs: selectors.partner_filter_form(data),
        selectors.partner_rows,
        exports.partner_rows_iter,
    ),
}
COLUMNS = {"projects": exports.PROJECT_COLUMNS, "partners": exports.PARTNER_COLUMNS}


def _hub_or_404(slug: str) -> selectors.PublicHub:
    hub = selectors.public_hub(slug)
    if hub is None:
        raise Http404(_("There is no public hub with this address."))
    return hub


def _download(request, hubs: list[selectors.PublicHub], dataset: str, fmt: str, filename: str):
    make_form, make_queryset, make_rows = EXPORTS[dataset]
    form = make_form(request.GET, hubs)
    rows = make_rows(make_queryset(hubs, form), hubs)
    return exports.download_response(
        fmt=fmt,
        columns=COLUMNS[dataset],
        rows=rows,
        filename=filename,
        asynchronous=isinstance(request, ASGIRequest),
    )


def download(request, dataset: str, fmt: str):
    """Every public hub's projects or partners as CSV or JSON, with the list pages' filters."""
    return _download(request, selectors.public_hubs(), dataset, fmt, f"dugnad-{dataset}")


def hub_download(request, slug: str, dataset: str, fmt: str):
    """One hub's projects or partners as CSV or JSON, with its list page's filters (``?goal=7&q=…``)."""
    hub = _hub_or_404(slug)
    return _download(request, [hub], dataset, fmt, f"{hub.slug}-{dataset}")


def _rdf_response(hubs, ext: str) -> HttpResponse:
    rdf_format, content_type = catalog.SERIALISATIONS[ext]
    document = catalog.catalogue_graph(hubs).serialize(format=rdf_format, encoding="utf-8")
    response = HttpResponse(document, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def catalogue(request, ext: str):
    """Every public hub's DCAT-AP-NO catalogue in one document (Turtle or RDF/XML)."""
    return _rdf_response(selectors.public_hubs(), ext)


def hub_catalogue(request, slug: str, ext: str):
    """One hub's DCAT-AP-NO catalogue: the address its organisation registers with data.norge.no."""
    return _rdf_response([_hub_or_404(slug)], ext)


def _hub_entry(hub: selectors.PublicHub) -> dict:
    return {
        "public": hub,
        "page_url": catalog.hub_page_url(hub),
        "datasets": [
            {
                "name": dataset,
                "title": exports.dataset_title(dataset),
                "csv_url": catalog.download_url(hub, dataset, "csv"),
                "json_url": catalog.download_url(hub, dataset, "json"),
                "api_url": catalog.api_url(hub, dataset),
                "list_url": hub.projects_url if dataset == "projects" else hub.directory_url,
            }
            for dataset in catalog.hub_datasets(hub)
        ],
        "catalogue_url": catalog.absolute_url(reverse("opendata_hub_catalog", args=[hub.slug, "ttl"])),
        "catalogue_rdf_url": catalog.absolute_url(reverse("opendata_hub_catalog", args=[hub.slug, "rdf"])),
        "licence": hub.hub.get_open_data_licence_display(),
        "licence_url": catalog.LICENCE_PAGES.get(hub.hub.open_data_licence, ""),
    }


def index(request):
    """The site's open data: every public hub's datasets, the downloads across hubs, the catalogue."""
    hubs = selectors.public_hubs()
    return render(
        request,
        "opendata/index.html",
        {
            "hub_entries": [_hub_entry(hub) for hub in hubs],
            "datasets": [
                {
                    "name": dataset,
                    "title": exports.dataset_title(dataset),
                    "csv_url": catalog.download_url(None, dataset, "csv"),
                    "json_url": catalog.download_url(None, dataset, "json"),
                }
                for dataset in catalog.DATASETS
            ],
            "catalogue_url": catalog.absolute_url(reverse("opendata_catalog", args=["ttl"])),
            "catalogue_rdf_url": catalog.absolute_url(reverse("opendata_catalog", args=["rdf"])),
            "api_docs_url": catalog.API_DOCS_PATH,
        },
    )


def hub_index(request, slug: str):
    """One hub's open data: its datasets and downloads, its catalogue's address, its licence."""
    hub = _hub_or_404(slug)
    # The hub's language, as on its pages (cms.models.HubSectionMixin.serve): a chosen language wins.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not (chosen and translation.check_for_language(chosen)) and hub.hub.default_language:
        translation.activate(hub.hub.default_language)
        request.LANGUAGE_CODE = hub.hub.default_language
    response = render(
        request,
        "opendata/hub.html",
        {"hub": hub.hub, "entry": _hub_entry(hub), "api_docs_url": catalog.API_DOCS_PATH},
    )
    patch_vary_headers(response, ("Cookie",))
    return response
