"""Schemathesis fuzzes the live API (uvicorn on hub.asgi) against its own OpenAPI document.

Every operation gets a bounded number of generated requests, valid and invalid; every response must
be documented, match its schema and never be a server error. Seeded data makes the lists non-empty.
"""

import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.api.factories import api_scene_create, projects_add

EXAMPLES_PER_OPERATION = 50

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_live_api_matches_its_schema_under_fuzzing(live_asgi_server):
    scene = api_scene_create()
    projects_add(scene.index, scene.lead, 3)
    schema = schemathesis.openapi.from_url(f"{live_asgi_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    calls, statuses = [], set()
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_valid_and_invalid(operation))
        def check(case):
            response = case.call_and_validate(base_url=live_asgi_server.url)
            calls.append(case.operation.label)
            statuses.add(response.status_code)

        check()
    assert len(calls) >= 5 * len(operations)  # every operation was really exercised
    assert {200, 400} <= statuses  # valid and invalid requests both reached the server
    with urllib.request.urlopen(f"{live_asgi_server.url}/api/v1/projects?hub={scene.hub.pk}") as response:
        assert len(json.load(response)["data"]) == 5  # the seeded projects, all public ones


def _valid_and_invalid(operation):
    """Requests that fit the schema and (for operations with parameters) requests that do not."""
    positive = operation.as_strategy(GenerationMode.POSITIVE)
    if not operation.definition.raw.get("parameters"):
        return positive
    return st.one_of(positive, operation.as_strategy(GenerationMode.NEGATIVE))
