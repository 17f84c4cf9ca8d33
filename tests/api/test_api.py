"""The read-only API: what it shows, what it never shows, and the HTTP rules every response follows."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from projects.services import progress_update_create
from tests.api.factories import api_scene_create, projects_add
from tests.projects.factories import approved_partner_create, goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return api_scene_create()


def get(client, path, **headers):
    return client.get(f"/api/v1/{path}", headers=headers)


def data(response):
    assert response.status_code == 200, response.content
    return response.json()


def test_projects_show_goals_targets_partners_outcomes_and_freshness(client, scene):
    body = data(get(client, "projects"))
    by_id = {item["id"]: item for item in body["data"]}
    assert set(by_id) == {scene.energy.pk, scene.other.pk}
    energy = by_id[scene.energy.pk]
    assert energy["hub"] == scene.hub.pk
    assert energy["url"] == f"http://testserver{scene.energy.url}" or energy["url"].endswith(scene.energy.url)
    assert energy["primary_goal"] == 7
    assert energy["goals"] == [7, 13]
    assert energy["targets"] == ["7.2"]
    assert energy["lead_partner"] == scene.lead.pk
    assert energy["partners"] == [scene.participant.pk]  # the pending partner is left out
    [outcome] = energy["outcomes"]
    assert outcome["latest_value"] == 250
    assert outcome["measurements"][0]["progress_update"] == scene.update.pk
    assert energy["reporting_freshness"] in {"up_to_date", "due", "overdue"}
    assert by_id[scene.other.pk]["lead_partner"] is None  # suspended in the hub
    assert body["next"] is None


def test_project_urls_are_the_absolute_html_pages(client, scene, settings):
    settings.SITE_URL = "https://dugnad.example"
    body = data(get(client, f"projects/{scene.energy.pk}"))
    assert body["url"] == f"https://dugnad.example{scene.energy.url}"
    assert client.get(scene.energy.url).status_code == 200


def test_filters(client, scene):
    def ids(path):
        return {item["id"] for item in data(get(client, path))["data"]}

    assert ids(f"projects?hub={scene.hub.pk}&goal=7") == {scene.energy.pk}
    assert ids("projects?goal=13") == {scene.energy.pk, scene.other.pk}
    assert ids("projects?target=7.2") == {scene.energy.pk}
    assert ids(f"projects?partner={scene.participant.pk}") == {scene.energy.pk}
    assert ids("projects?status=completed") == set()
    assert ids("projects?updated_since=2999-01-01T00:00:00Z") == set()
    assert ids(f"partners?hub={scene.hub.pk}&kind=public_sector") == {scene.lead.pk}
    assert ids("partners?goal=7") == {scene.lead.pk}
    assert ids("progress-updates?updated_since=2000-01-01") == {scene.update.pk}
    assert ids(f"progress-updates?project={scene.other.pk}") == set()
    targets = data(get(client, "targets?goal=7"))["data"]
    assert [item["code"] for item in targets][:2] == ["7.1", "7.2"]
    indicators = data(get(client, "indicators?target=7.2"))["data"]
    assert indicators and all(item["target"] == "7.2" for item in indicators)


def test_nothing_that_is_not_public_is_reachable(client, scene):
    """Drafts, restricted pages, projects of a private hub, pending and suspended partners: in no list,
    under no filter, and not by id."""
    hidden_projects = {scene.draft.pk, scene.restricted.pk, scene.private_project.pk}
    hidden_partners = {scene.pending.pk, scene.suspended.pk}
    text = json.dumps(
        [
            data(get(client, path))
            for path in (
                "projects?limit=200",
                "projects?goal=7",
                f"projects?hub={scene.private_hub.pk}",
                "partners?limit=200",
                "hubs",
                "progress-updates",
            )
        ]
    )
    for title in ("Hemmeleg utkast", "Berre for innlogga", "Prosjekt i lukka hub", "Venter AS", "Suspendert AS"):
        assert title not in text
    assert scene.private_hub.title not in text
    for pk in hidden_projects:
        assert get(client, f"projects/{pk}").status_code == 404
    for pk in hidden_partners:
        assert get(client, f"partners/{pk}").status_code == 404
    assert get(client, f"hubs/{scene.private_hub.pk}").status_code == 404
    assert data(get(client, f"partners/{scene.lead.pk}"))["hubs"] == [
        {"id": scene.hub.pk, "url": data(get(client, f"partners/{scene.lead.pk}"))["url"]}
    ]


def test_unknown_and_invalid_parameters_are_refused_with_a_json_error(client, scene):
    response = get(client, "projects?hub=1&colour=red")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unknown_parameter"
    assert "colour" in error["message"]
    assert error["details"] == [{"parameter": "colour", "message": "Unknown query parameter"}]
    response = get(client, "projects?goal=18")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter"
    assert response.json()["error"]["details"][0]["parameter"] == "goal"
    assert get(client, "projects?cursor=abc").status_code == 400
    assert get(client, "projects?goal=7&goal=13").status_code == 400
    # A bare number is not an ISO 8601 time (Pydantic alone would read it as a Unix timestamp).
    response = get(client, "hubs?updated_since=9")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["parameter"] == "updated_since"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "projects/999999", 404, "not_found"),
        ("get", "no-such-thing", 404, "not_found"),
        ("post", "projects", 405, "method_not_allowed"),
        ("delete", "hubs", 405, "method_not_allowed"),
    ],
)
def test_errors_have_one_shape(client, scene, method, path, status, code):
    response = getattr(client, method)(f"/api/v1/{path}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == code
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_server_error_is_json(client, scene, monkeypatch):
    from api import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "public_projects", broken)
    client.raise_request_exception = False
    response = get(client, "projects")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "server_error", "message": "Server error", "details": []}}


def test_cursor_pagination_walks_every_project_once_in_a_stable_order(client, scene):
    projects_add(scene.index, scene.lead, 5)
    seen, url, pages = [], "/api/v1/projects?limit=3", 0
    while url:
        body = data(client.get(url))
        seen += [item["id"] for item in body["data"]]
        url = body["next"]
        pages += 1
        if url:
            assert body["next_cursor"] in url
            url = url.removeprefix("http://testserver").removeprefix("http://127.0.0.1:8000")
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    order = [(item["updated_at"], item["id"]) for item in data(get(client, "projects?limit=200"))["data"]]
    assert order == sorted(order)


def test_conditional_requests(client, scene):
    first = get(client, "projects")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    assert first["Cache-Control"] == "public, max-age=60"
    assert get(client, "projects", if_none_match=etag).status_code == 304
    assert get(client, "projects", if_modified_since=last_modified).status_code == 304
    assert get(client, "projects", if_none_match='"other"').status_code == 200
    assert get(client, "projects", if_modified_since=http_date(0)).status_code == 200
    scene.energy.title = "Solceller på taket"
    scene.energy.save_revision().publish()
    changed = get(client, "projects", if_none_match=etag, if_modified_since=last_modified)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Solceller på taket" in changed.content.decode()  # UTF-8 as it is, not \\u escapes


def test_cors_preflight_and_simple_requests(client, scene):
    preflight = client.options(
        "/api/v1/projects", headers={"Origin": "https://data.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight
    response = get(client, "projects", origin="https://data.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_head_is_answered_like_get_without_a_body(client, scene):
    response = client.head("/api/v1/goals")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) == len(get(client, "goals").content)


def test_rate_limit_per_address(client, scene, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "api": (3, 3, 60)}
    assert [get(client, "goals").status_code for _ in range(3)] == [200, 200, 200]
    refused = get(client, "goals")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "rate_limited"
    other = client.get("/api/v1/goals", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_responses_are_right_with_the_anonymous_page_cache_on(client, scene, settings):
    settings.DUGNAD_PAGE_CACHE = True
    first = get(client, f"projects/{scene.energy.pk}")
    assert "X-Dugnad-Cache" not in first
    scene.energy.summary = "Ny samandrag."
    scene.energy.save_revision().publish()
    assert data(get(client, f"projects/{scene.energy.pk}"))["summary"] == "Ny samandrag."
    assert get(client, f"projects/{scene.energy.pk}")["Cache-Control"] == "public, max-age=60"


def test_goals_and_hubs(client, scene):
    goals = data(get(client, "goals"))["data"]
    assert [goal["number"] for goal in goals] == list(range(1, 18))
    assert goals[6]["title"]["nb"] and goals[6]["url"].endswith("/goals/7/")
    assert data(get(client, "goals/7"))["number"] == 7
    assert get(client, "goals/18").status_code == 400
    [hub] = data(get(client, "hubs"))["data"]
    assert hub["id"] == scene.hub.pk
    assert hub["project_list_url"].endswith(scene.index.url)
    index = data(get(client, ""))
    assert index["projects"].endswith("/api/v1/projects")


def test_docs_page_lists_operations_and_examples(client, scene):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/projects" in text
    assert text.count("<code>curl ") == 3
    assert f"projects?hub={scene.hub.pk}&amp;goal=7" in text
    assert "<script>" not in text


@pytest.mark.parametrize("path", ["projects", "partners", "progress-updates"])
def test_list_query_counts_do_not_grow_with_the_data_or_the_page_size(
    client, scene, django_assert_num_queries, path, settings
):
    settings.API_RESPONSE_CACHE = False  # count what computing the answer costs
    get(client, f"{path}?limit=1")  # warms the versioned cache
    with CaptureQueriesContext(connection) as small:
        assert get(client, f"{path}?limit=1").status_code == 200
    queries = len(small.captured_queries)  # now: the connection's query log is a bounded deque
    assert 0 < queries <= 10
    for project in projects_add(scene.index, scene.lead, 4):
        progress_update_create(
            actor=scene.author, page=project, partner=scene.lead, reported_on=date(2026, 5, 1), text="Meir."
        )
        partner = approved_partner_create(scene.hub, goals=[goal(7)])
        project.partners.add(partner)
        project.save_revision().publish()
    get(client, f"{path}?limit=200")
    with django_assert_num_queries(queries):
        body = data(get(client, f"{path}?limit=200"))
    assert len(body["data"]) >= 5


def test_project_list_queries_are_the_same_at_limit_10_and_100(client, scene, settings):
    settings.API_RESPONSE_CACHE = False
    projects_add(scene.index, scene.lead, 110)
    counts = {}
    for limit in (10, 100):
        get(client, f"projects?limit={limit}")
        with CaptureQueriesContext(connection) as queries:
            body = data(get(client, f"projects?limit={limit}"))
        assert len(body["data"]) == limit
        counts[limit] = len(queries)
    assert counts[10] == counts[100]


def test_cached_answers_run_no_query_and_are_never_stale(client, scene, settings):
    settings.API_RESPONSE_CACHE = True
    path = f"projects?hub={scene.hub.pk}&limit=5"
    first = data(get(client, path))
    with CaptureQueriesContext(connection) as queries:
        again = get(client, path)
    assert data(again) == first
    # Only the rate limit's and Last-Modified's cache reads: no SQL.
    assert len(queries) == 0
    assert again["ETag"] and again["Cache-Control"] == "public, max-age=60"
    assert get(client, path, if_none_match=again["ETag"]).status_code == 304

    # A change to public content: the next answer shows it at once.
    scene.energy.title = "Vindkraft i fjorden"
    scene.energy.save_revision().publish()
    titles = [item["title"] for item in data(get(client, path))["data"]]
    assert "Vindkraft i fjorden" in titles
    # A progress update (not a page) changes the project's updated_at.
    detail = f"projects/{scene.energy.pk}"
    before = data(get(client, detail))
    assert data(get(client, detail)) == before  # kept
    progress_update_create(
        actor=scene.author, page=scene.energy, partner=scene.lead, reported_on=date(2026, 5, 2), text="Nytt."
    )
    after = data(get(client, detail))
    assert after["updated_at"] != before["updated_at"]
    assert after["last_reported_on"] == "2026-05-02"
    # Unpublishing takes it out of the kept answer too.
    scene.energy.unpublish()
    assert scene.energy.pk not in [item["id"] for item in data(get(client, path))["data"]]


def test_errors_are_not_kept(client, scene, settings):
    settings.API_RESPONSE_CACHE = True
    assert get(client, "projects?nope=1").status_code == 400
    assert get(client, "projects?nope=1").status_code == 400
    assert get(client, "projects?limit=1").status_code == 200
