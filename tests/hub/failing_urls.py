"""The site's URLs plus views that fail as a request does when the database goes away mid-request."""

from django.db import OperationalError
from django.urls import path

from hub.urls import handler500
from hub.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def database_gone(request):
    # What psycopg says, through Django's wrapper, when PostgreSQL is shut down under a connection.
    raise OperationalError("terminating connection due to administrator command")


def database_gone_while_rendering(request):
    try:
        database_gone(request)
    except OperationalError as error:
        raise RuntimeError("rendering the page failed") from error


def bug(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("failing/database/", database_gone),
    path("failing/rendering/", database_gone_while_rendering),
    path("failing/bug/", bug),
    path("api/v1/failing/database/", database_gone),
    *site_urlpatterns,
]
