"""The SQL queries of a page's second request (the first makes image renditions and fills caches)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def warmed_queries(client, url) -> tuple[int, str]:
    """(queries, html) of ``url`` asked a second time; the page must answer 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()
