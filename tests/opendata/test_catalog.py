"""The DCAT-AP-NO catalogue parses as RDF and has what the profile requires (and data.norge.no harvests)."""

import pytest
from django.core.exceptions import ValidationError
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from cms.models import OpenDataLicence
from opendata.catalog import DATA_THEME, FILE_TYPE, LICENCE_URIS, ORGANISATION_URI, VCARD
from tests.opendata.conftest import HUB_NUMBER

pytestmark = pytest.mark.django_db

MANDATORY = {
    DCAT.Catalog: (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.contactPoint),
    DCAT.Dataset: (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.contactPoint, DCAT.theme),
    DCAT.Distribution: (DCAT.accessURL,),
    DCAT.DataService: (DCAT.endpointURL, DCTERMS.title, DCTERMS.publisher, DCAT.contactPoint),
    FOAF.Agent: (FOAF.name,),
}


def _graph(client, url: str, rdf_format: str = "turtle") -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content, format=rdf_format)
    return graph


def _check_mandatory(graph: Graph) -> None:
    for rdf_class, properties in MANDATORY.items():
        subjects = list(graph.subjects(RDF.type, rdf_class))
        assert subjects, rdf_class
        for subject in subjects:
            for prop in properties:
                assert graph.value(subject, prop) is not None, (rdf_class, subject, prop)


def test_hub_catalogue_has_the_mandatory_properties(client, hub, content):
    graph = _graph(client, f"/opendata/{hub.slug}/catalog.ttl")
    _check_mandatory(graph)
    catalogue = graph.value(predicate=RDF.type, object=DCAT.Catalog)
    assert len(list(graph.objects(catalogue, DCAT.dataset))) == 2
    # One title per language.
    assert {title.language for title in graph.objects(catalogue, DCTERMS.title)} == {"nb", "nn", "en"}
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert publisher == URIRef(ORGANISATION_URI.format(HUB_NUMBER))
    assert str(graph.value(publisher, DCTERMS.identifier)) == HUB_NUMBER
    assert str(graph.value(publisher, FOAF.name)) == "Fjordvik kommune"
    contact = graph.value(catalogue, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:lab@fjordvik.example")
    for dataset in graph.objects(catalogue, DCAT.dataset):
        assert DATA_THEME.SOCI in set(graph.objects(dataset, DCAT.theme))
        assert graph.value(dataset, DCTERMS.identifier) is not None
        formats = {graph.value(item, DCTERMS.format) for item in graph.objects(dataset, DCAT.distribution)}
        assert formats == {FILE_TYPE.CSV, FILE_TYPE.JSON}
        urls = {str(graph.value(item, DCAT.accessURL)) for item in graph.objects(dataset, DCAT.distribution)}
        assert any(url.endswith(f"/opendata/{hub.slug}/projects.csv") for url in urls) or any(
            url.endswith(f"/opendata/{hub.slug}/partners.csv") for url in urls
        )
        assert any("/api/v1/" in url and f"hub={hub.slug}" in url for url in urls)
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCTERMS.license) == LICENCE_URIS[OpenDataLicence.NLOD_2_0]


def test_licence_follows_the_hub_setting(client, hub, content):
    hub.open_data_licence = OpenDataLicence.CC_BY_4_0
    hub.save_revision().publish()
    graph = _graph(client, f"/opendata/{hub.slug}/catalog.rdf", rdf_format="xml")
    _check_mandatory(graph)
    licences = set(graph.objects(None, DCTERMS.license))
    assert licences == {LICENCE_URIS[OpenDataLicence.CC_BY_4_0]}


def test_site_catalogue_holds_every_public_hub_and_a_hub_without_number_still_has_a_publisher(client, hub, content):
    from tests.partners.factories import hub_create
    from tests.projects.factories import project_index_create

    other = hub_create(title="Havby lab", municipality="Havby", home=hub.get_parent())
    project_index_create(other)
    graph = _graph(client, "/opendata/catalog.ttl")
    _check_mandatory(graph)
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 2
    names = {str(name) for name in graph.objects(None, FOAF.name)}
    assert {"Fjordvik kommune", "Havby"} <= names


def test_hub_organisation_number_is_validated(hub):
    hub.organisation_number = "974760674"  # wrong check digit
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "organisation_number" in error.value.message_dict
    hub.organisation_number = "97476067"
    with pytest.raises(ValidationError):
        hub.full_clean()
    hub.organisation_number = HUB_NUMBER
    hub.full_clean()


def test_open_data_pages(client, hub, content, page_cache_off):
    page = client.get(f"/opendata/{hub.slug}/").content.decode()
    assert f"/opendata/{hub.slug}/projects.csv" in page
    assert f"/opendata/{hub.slug}/catalog.ttl" in page
    assert "/api/v1/docs" in page
    assert "NLOD" in page
    page = client.get("/opendata/").content.decode()
    assert "/opendata/projects.csv" in page
    assert f"/opendata/{hub.slug}/partners.json" in page
    hub_page = client.get(f"/{hub.slug}/").content.decode()
    assert f'href="/opendata/{hub.slug}/"' in hub_page


def test_hub_open_data_page_speaks_the_hubs_language_unless_one_was_chosen(client, hub, lists, page_cache_off):
    hub.default_language = "en"
    hub.save_revision().publish()
    assert '<html lang="en"' in client.get(f"/opendata/{hub.slug}/").content.decode()
    client.cookies["django_language"] = "nn"
    assert '<html lang="nn"' in client.get(f"/opendata/{hub.slug}/").content.decode()
