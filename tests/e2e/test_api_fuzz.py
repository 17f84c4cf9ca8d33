"""Schemathesis fuzzes the live API (uvicorn on hub.asgi) against its own OpenAPI document.

Every operation gets a bounded number of generated requests, valid and invalid; every response must
be documented, match its schema and never be a server error. Seeded data makes the lists non-empty.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api.factories import api_scene_create, projects_add

EXAMPLES_PER_OPERATION = 40

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_live_api_matches_its_schema_under_fuzzing(live_asgi_server):
    scene = api_scene_create()
    projects_add(scene.index, scene.lead, 3)
    schema = schemathesis.openapi.from_url(f"{live_asgi_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    lists = 0
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(base_url=live_asgi_server.url)

        check()
        lists += 1
    assert lists == len(operations)
