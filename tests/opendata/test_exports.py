import csv
import gc
import io
import json
import tracemalloc

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opendata import exports
from partners.models import Partner, Partnership, PartnershipStatus
from partners.selectors import directory_partners
from projects.selectors import project_list
from tests.partners.factories import hub_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def _csv(response) -> list[dict]:
    text = _body(response)
    assert text.startswith("\ufeff"), "a BOM, for Excel"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_hub_projects_csv_has_header_and_public_projects(client, hub, content):
    response = client.get(f"/opendata/{hub.slug}/projects.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{hub.slug}-projects.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert list(rows[0].keys()) == list(exports.PROJECT_COLUMNS)
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {"Solceller på skolen", "Klimaplan"}
    energy = by_title["Solceller på skolen"]
    assert energy["hub"] == "Fjordvik framtidslab"
    assert energy["hub_slug"] == hub.slug
    assert energy["primary_goal"] == "7"
    assert energy["lead_partner"] == "Solkraft AS"
    assert energy["partners"] == "Fjordvik skole"
    assert energy["url"].endswith(f"/{hub.slug}/projects/{content['energy'].slug}/")
    assert energy["url"].startswith("http")


def test_hub_projects_json_is_an_array_with_lists(client, hub, content):
    response = client.get(f"/opendata/{hub.slug}/projects.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows = json.loads(_body(response))
    energy = next(row for row in rows if row["title"] == "Solceller på skolen")
    assert energy["partners"] == ["Fjordvik skole"]
    assert energy["goals"] == [7]
    assert energy["primary_goal"] == 7


def test_download_takes_the_list_pages_filters(client, hub, content):
    rows = _csv(client.get(f"/opendata/{hub.slug}/projects.csv?goal=13&page=2"))
    expected = project_list(content["index"], goal=goal(13))
    assert [row["title"] for row in rows] == [project.title for project in expected] == ["Klimaplan"]
    rows = _csv(client.get(f"/opendata/{hub.slug}/projects.csv?q=solceller"))
    assert [row["title"] for row in rows] == ["Solceller på skolen"]
    rows = _csv(client.get(f"/opendata/{hub.slug}/partners.csv?kind=business"))
    expected = directory_partners(hub, kind="business")
    assert [row["name"] for row in rows] == [partner.name for partner in expected] == ["Solkraft AS"]
    rows = _csv(client.get(f"/opendata/{hub.slug}/partners.csv?goal=4"))
    assert [row["name"] for row in rows] == ["Fjordvik skole"]
    # An unknown value is ignored, as on the page.
    assert len(_csv(client.get(f"/opendata/{hub.slug}/partners.csv?kind=nonsense"))) == 2


def test_partner_rows(client, hub, content):
    rows = json.loads(_body(client.get(f"/opendata/{hub.slug}/partners.json")))
    solar = next(row for row in rows if row["name"] == "Solkraft AS")
    assert solar["goals"] == [7]
    assert solar["hubs"] == [hub.slug]
    assert solar["organisation_number"] == content["solar"].organisation_number
    assert solar["url"].endswith(f"/{hub.slug}/partners/{content['solar'].slug}/")


def test_across_hubs_downloads_join_every_public_hub(client, hub, content):
    other = hub_create(title="Havby lab", home=hub.get_parent())
    index = project_index_create(other)
    partner_index_create(other)
    partnership_create(partner=content["solar"], hub=other)
    project_create(index, title="Havprosjekt")
    projects = _csv(client.get("/opendata/projects.csv"))
    assert {row["title"] for row in projects} == {"Solceller på skolen", "Klimaplan", "Havprosjekt"}
    assert {row["hub_slug"] for row in projects} == {hub.slug, other.slug}
    partners = json.loads(_body(client.get("/opendata/partners.json")))
    solar = next(row for row in partners if row["name"] == "Solkraft AS")
    assert sorted(solar["hubs"]) == sorted([hub.slug, other.slug])
    assert [row["name"] for row in partners].count("Solkraft AS") == 1


def test_csv_neutralises_formulas_but_json_keeps_the_text(client, hub, lists):
    partner = partner_create(name="=HYPERLINK(1)")
    partnership_create(partner=partner, hub=hub)
    assert _csv(client.get(f"/opendata/{hub.slug}/partners.csv"))[0]["name"] == "'=HYPERLINK(1)"
    assert json.loads(_body(client.get(f"/opendata/{hub.slug}/partners.json")))[0]["name"] == "=HYPERLINK(1)"


def test_unknown_or_private_hub_is_404(client, hub, lists):
    assert client.get("/opendata/no-such-hub/projects.csv").status_code == 404
    hub.unpublish()
    assert client.get(f"/opendata/{hub.slug}/projects.csv").status_code == 404


def _partners_bulk(hub, count: int, start: int) -> None:
    partners = Partner.objects.bulk_create(
        Partner(name=f"Bulk {start + number:06d}", slug=f"bulk-{start + number}", kind="business")
        for number in range(count)
    )
    now = timezone.now()
    Partnership.objects.bulk_create(
        Partnership(partner=partner, hub=hub, status=PartnershipStatus.APPROVED, applied_at=now, decided_at=now)
        for partner in partners
    )


def _stream_queries(client, url: str) -> tuple[int, int]:
    response = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        rows = sum(1 for _line in response.streaming_content) - 1
    return rows, len(queries)


def test_queries_are_a_fixed_number_per_chunk(client, hub, lists, monkeypatch):
    """Reading the rows costs the same per chunk of EXPORT_CHUNK_SIZE rows (the rows, then the
    prefetches of goals, focus themes and partnerships), whatever the data."""
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 10)
    counts = []
    for start, added in ((0, 10), (10, 30), (40, 30)):
        _partners_bulk(hub, added, start)
        rows, queries = _stream_queries(client, f"/opendata/{hub.slug}/partners.csv")
        assert rows == start + added
        counts.append(queries)
    one_chunk, four_chunks, seven_chunks = counts
    per_chunk = (four_chunks - one_chunk) // 3
    assert four_chunks - one_chunk == seven_chunks - four_chunks == 3 * per_chunk
    assert 1 <= per_chunk <= 4


def _peak_while_streaming(client, url: str) -> tuple[int, int]:
    response = client.get(url)  # the rows are read only as the content is consumed
    gc.collect()
    tracemalloc.start()
    rows = 0
    for _line in response.streaming_content:
        rows += 1
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows - 1, peak


def test_memory_does_not_grow_with_the_rows(client, hub, lists, monkeypatch):
    """Streaming holds one chunk: ten times the rows must not take anything like ten times the memory."""
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 100)
    _partners_bulk(hub, 200, 0)
    rows, small = _peak_while_streaming(client, f"/opendata/{hub.slug}/partners.json")
    assert rows >= 200
    _partners_bulk(hub, 1800, 200)
    rows, large = _peak_while_streaming(client, f"/opendata/{hub.slug}/partners.json")
    assert rows >= 2000
    assert large < small * 2, (small, large)


def test_list_pages_link_to_their_downloads_with_the_filters(client, hub, content, page_cache_off):
    page = client.get(f"/{hub.slug}/projects/?goal=13&page=1").content.decode()
    assert f'href="/opendata/{hub.slug}/projects.csv?goal=13"' in page
    assert f'href="/opendata/{hub.slug}/projects.json?goal=13"' in page
    page = client.get(f"/{hub.slug}/partners/").content.decode()
    assert f'href="/opendata/{hub.slug}/partners.csv"' in page


def test_under_asgi_a_download_is_sent_in_batches_as_it_is_made():
    """Django reads a synchronous streaming body whole before sending it under ASGI; ours is read a
    batch at a time, so the first batch leaves before the later rows are made."""
    rows_made = []

    def rows():
        for number in range(2000):
            rows_made.append(number)
            yield {"title": f"Prosjekt {number}"}

    response = exports.download_response(
        fmt="csv", columns=("title",), rows=rows(), filename="projects", asynchronous=True
    )
    assert response.is_async

    async def read():
        parts = response.streaming_content
        first = await anext(parts)
        made_before_first_was_sent = len(rows_made)
        return first, made_before_first_was_sent, [part async for part in parts]

    first, made_before_first_was_sent, rest = async_to_sync(read)()
    assert made_before_first_was_sent < 2000
    lines = (first + b"".join(rest)).decode("utf-8").removeprefix("\ufeff").splitlines()
    assert lines[0] == "title"
    assert lines[1:] == [f"Prosjekt {number}" for number in range(2000)]
