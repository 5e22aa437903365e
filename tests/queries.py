"""Counting what a page costs the database, as for every page after a user's first (that one
also reads their session and user into the shared cache)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """The queries of a second GET of ``url``, which must answer 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)
