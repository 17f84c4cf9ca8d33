"""The DCAT-AP-NO catalogue of the hubs' open data, for data.norge.no (the national data catalogue).

DCAT-AP-NO (v3, Digdir's profile of DCAT-AP) requires of a ``dcat:Catalog``: ``dct:title``,
``dct:description``, ``dct:publisher`` (one ``foaf:Agent`` with ``foaf:name``; ``dct:identifier`` =
the organisation number is recommended) and ``dcat:contactPoint``; of a ``dcat:Dataset`` the same
plus ``dcat:theme`` from the EU data-theme vocabulary; of a ``dcat:Distribution``
``dcat:accessURL``; of a ``dcat:DataService`` ``dcat:endpointURL``, title, publisher and contact
point. We also give what it recommends (formats from the EU file-type vocabulary, the licence from
the EU licence vocabulary, ``dct:accessRights`` PUBLIC, landing pages, keywords, languages).

One catalogue per hub, published by the hub's organisation (``HubPage.organisation_number``):
that catalogue's address is what a municipality registers as its harvest endpoint on data.norge.no.
The site-wide document holds every public hub's catalogue.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from accounts.urls_absolute import absolute_url
from cms.models import OpenDataLicence
from opendata.selectors import PublicHub

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
IANA = "https://www.iana.org/assignments/media-types/"
# data.norge.no's organisation catalogue names every Norwegian organisation by its number.
ORGANISATION_URI = "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/{}"

LICENCE_URIS = {
    OpenDataLicence.NLOD_2_0: URIRef(EU + "licence/NLOD_2_0"),
    OpenDataLicence.CC_BY_4_0: URIRef(EU + "licence/CC_BY_4_0"),
}
# Where people read the licences (the open-data page links to them).
LICENCE_PAGES = {
    OpenDataLicence.NLOD_2_0: "https://data.norge.no/nlod/no/2.0",
    OpenDataLicence.CC_BY_4_0: "https://creativecommons.org/licenses/by/4.0/",
}
CATALOGUE_LANGUAGES = ("nb", "nn", "en")
# ISO 639-3 codes of the EU language vocabulary for the site's languages.
LANGUAGE_URIS = {"nb": LANGUAGE.NOB, "nn": LANGUAGE.NNO, "en": LANGUAGE.ENG}
# The API's documentation; the API itself is served at /api/v1/ (the api app).
API_DOCS_PATH = "/api/v1/docs"
API_PATH = "/api/v1/"

FORMATS = {
    "csv": (FILE_TYPE.CSV, URIRef(IANA + "text/csv")),
    "json": (FILE_TYPE.JSON, URIRef(IANA + "application/json")),
}
DATASETS = ("projects", "partners")


def licence_uri(hub) -> URIRef:
    return LICENCE_URIS.get(hub.open_data_licence, LICENCE_URIS[OpenDataLicence.NLOD_2_0])


def _texts(make) -> list[Literal]:
    """``make()`` in each of the site's languages, as language-tagged literals."""
    literals = []
    for language in CATALOGUE_LANGUAGES:
        with translation.override(language):
            literals.append(Literal(str(make()), lang=language))
    return literals


def _add_texts(graph: Graph, subject, predicate, make) -> None:
    for literal in _texts(make):
        graph.add((subject, predicate, literal))


def hub_page_url(hub: PublicHub) -> str:
    return absolute_url(reverse("opendata_hub", args=[hub.slug]))


def download_url(hub: PublicHub | None, dataset: str, fmt: str) -> str:
    if hub is None:
        return absolute_url(reverse("opendata_download", args=[dataset, fmt]))
    return absolute_url(reverse("opendata_hub_download", args=[hub.slug, dataset, fmt]))


def api_url(hub: PublicHub, dataset: str) -> str:
    return absolute_url(f"{API_PATH}{dataset}/?hub={hub.slug}")


def _publisher(graph: Graph, hub: PublicHub):
    number = hub.hub.organisation_number
    agent = URIRef(ORGANISATION_URI.format(number)) if number else BNode(f"publisher-{hub.hub.pk}")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(hub.hub.municipality or hub.hub.title)))
    if number:
        graph.add((agent, DCTERMS.identifier, Literal(number)))
    return agent


def _contact_point(graph: Graph, hub: PublicHub):
    contact = BNode(f"contact-{hub.hub.pk}")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(hub.hub.title)))
    if hub.hub.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{hub.hub.contact_email}")))
    if hub.hub.contact_phone:
        graph.add((contact, VCARD.hasTelephone, URIRef("tel:" + "".join(hub.hub.contact_phone.split()))))
    graph.add((contact, VCARD.hasURL, URIRef(hub.url)))
    return contact


def _common(graph: Graph, subject, hub: PublicHub, publisher, contact) -> None:
    graph.add((subject, DCTERMS.publisher, publisher))
    graph.add((subject, DCAT.contactPoint, contact))
    for language in CATALOGUE_LANGUAGES:
        graph.add((subject, DCTERMS.language, LANGUAGE_URIS[language]))


def _dataset_texts(dataset: str, hub: PublicHub):
    title = hub.hub.title
    if dataset == "projects":
        return (
            lambda: _("Projects of %(hub)s") % {"hub": title},
            lambda: (
                _(
                    "The published projects of %(hub)s for the Sustainable Development Goals: status, goals and "
                    "targets, partners, dates and summaries."
                )
                % {"hub": title}
            ),
        )
    return (
        lambda: _("Partners of %(hub)s") % {"hub": title},
        lambda: (
            _(
                "The organisations that work with %(hub)s on the Sustainable Development Goals: kind, "
                "organisation number, contact, location, goals and focus themes."
            )
            % {"hub": title}
        ),
    )


def _add_dataset(graph: Graph, hub: PublicHub, dataset: str, publisher, contact, service) -> URIRef:
    page = hub_page_url(hub)
    subject = URIRef(f"{page}#{dataset}")
    licence = licence_uri(hub.hub)
    title, description = _dataset_texts(dataset, hub)
    graph.add((subject, RDF.type, DCAT.Dataset))
    _add_texts(graph, subject, DCTERMS.title, title)
    _add_texts(graph, subject, DCTERMS.description, description)
    _common(graph, subject, hub, publisher, contact)
    graph.add((subject, DCTERMS.identifier, Literal(str(subject))))
    graph.add((subject, DCAT.theme, DATA_THEME.SOCI))
    graph.add((subject, DCAT.theme, DATA_THEME.GOVE))
    graph.add((subject, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC))
    landing = hub.projects_url if dataset == "projects" else hub.directory_url
    if landing:
        graph.add((subject, DCAT.landingPage, URIRef(landing)))
    _add_texts(graph, subject, DCAT.keyword, lambda: _("Sustainable Development Goals"))
    _add_texts(graph, subject, DCAT.keyword, lambda: _("Partnerships"))
    for fmt, (file_type, media_type) in FORMATS.items():
        distribution = URIRef(f"{page}#{dataset}-{fmt}")
        url = URIRef(download_url(hub, dataset, fmt))
        graph.add((subject, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(f"{fmt.upper()}", lang="en")))
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCTERMS.format, file_type))
        graph.add((distribution, DCAT.mediaType, media_type))
        graph.add((distribution, DCTERMS.license, licence))
    distribution = URIRef(f"{page}#{dataset}-api")
    graph.add((subject, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    _add_texts(graph, distribution, DCTERMS.title, lambda: _("JSON API"))
    graph.add((distribution, DCAT.accessURL, URIRef(api_url(hub, dataset))))
    graph.add((distribution, DCAT.accessService, service))
    graph.add((distribution, DCTERMS.format, FILE_TYPE.JSON))
    graph.add((distribution, DCAT.mediaType, URIRef(IANA + "application/json")))
    graph.add((distribution, DCTERMS.license, licence))
    graph.add((service, DCAT.servesDataset, subject))
    return subject


def _add_hub(graph: Graph, hub: PublicHub) -> None:
    page = hub_page_url(hub)
    catalogue = URIRef(f"{page}#catalog")
    publisher = _publisher(graph, hub)
    contact = _contact_point(graph, hub)
    title = hub.hub.title
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _add_texts(graph, catalogue, DCTERMS.title, lambda: _("Open data from %(hub)s") % {"hub": title})
    _add_texts(
        graph,
        catalogue,
        DCTERMS.description,
        lambda: (
            _("Projects and partners of %(hub)s, a local partnership for the Sustainable Development Goals.")
            % {"hub": title}
        ),
    )
    _common(graph, catalogue, hub, publisher, contact)
    graph.add((catalogue, FOAF.homepage, URIRef(page)))
    graph.add((catalogue, DCTERMS.license, licence_uri(hub.hub)))
    graph.add((catalogue, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))

    service = URIRef(f"{page}#api")
    graph.add((catalogue, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    _add_texts(graph, service, DCTERMS.title, lambda: _("Dugnad JSON API"))
    _add_texts(
        graph, service, DCTERMS.description, lambda: _("Read-only JSON API of the projects and partners of the hubs.")
    )
    _common(graph, service, hub, publisher, contact)
    graph.add((service, DCAT.endpointURL, URIRef(absolute_url(API_PATH))))
    graph.add((service, DCAT.endpointDescription, URIRef(absolute_url(API_DOCS_PATH))))
    graph.add((service, DCTERMS.license, licence_uri(hub.hub)))
    graph.add((service, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC))

    for dataset in hub_datasets(hub):
        graph.add((catalogue, DCAT.dataset, _add_dataset(graph, hub, dataset, publisher, contact, service)))


def hub_datasets(hub: PublicHub) -> list[str]:
    """The datasets ``hub`` publishes: its projects if it has a public project list, its partners if
    it has a public partner directory."""
    present = {"projects": hub.projects_index is not None, "partners": hub.directory is not None}
    return [dataset for dataset in DATASETS if present[dataset]]


def catalogue_graph(hubs: list[PublicHub]) -> Graph:
    """An RDF graph with one DCAT-AP-NO catalogue per hub in ``hubs``."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("xsd", XSD)):
        graph.bind(prefix, namespace)
    for hub in hubs:
        _add_hub(graph, hub)
    return graph


SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
}
