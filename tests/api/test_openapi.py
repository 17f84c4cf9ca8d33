"""The API's OpenAPI document: version 3.1, valid, served as JSON, and describing every operation."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    validate(document)  # raises on an invalid document
    operations = {operation["operationId"] for methods in document["paths"].values() for operation in methods.values()}
    assert {
        "projects",
        "project",
        "partners",
        "hubs",
        "progress_updates",
        "goals",
        "targets",
        "indicators",
    } <= operations


def test_every_list_documents_its_errors(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for operation in methods.values():
            assert {"200", "400", "429"} <= set(operation["responses"]), path
