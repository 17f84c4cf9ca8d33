"""Every absolute address the site writes (e-mails, feeds, ``List-Unsubscribe``) comes from here.

The site's public address is the ``SITE_URL`` setting (``hub/settings/base.py``): scheme, host and
port, no path. A path becomes ``SITE_URL`` + path; a Wagtail page becomes ``SITE_URL`` + its path
within its site when it is on the default site (whatever host and port that ``Site`` row says:
Wagtail's initial migration leaves ``localhost:80``), and its own site's root URL when it is on
another site with a host name of its own. Request-built addresses (``request.build_absolute_uri``)
agree with these when the request came in on ``SITE_URL``, which is what production's
``ALLOWED_HOSTS`` check (``production.py``) and the test of every link make sure of.

It lives in ``accounts``, the lowest app, so that every app (allauth's e-mails included) can use it.
"""

from urllib.parse import urlsplit

from django.conf import settings

ABSOLUTE_PREFIXES = ("http://", "https://", "mailto:")


def site_url() -> str:
    """The site's public address, without a trailing slash (``http://127.0.0.1:8000`` under ``make run``)."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` on the site's public address; an address that is absolute already is kept as it is."""
    if path.startswith(ABSOLUTE_PREFIXES):
        return path
    return site_url() + "/" + path.lstrip("/")


def absolute_url_rebase(url: str) -> str:
    """An address on this site built from a request (allauth's links), moved onto ``SITE_URL``.

    Only for addresses the site built itself: the scheme and host are replaced, whatever they were.
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.fragment:
        path += "#" + parts.fragment
    return absolute_url(path)


def page_link(page) -> str:
    """Where a Wagtail page is, for storing or joining with ``absolute_url``: its path when it is on
    the default site (served at ``SITE_URL``), its full address when it is on a site of its own;
    empty when it is not routable. Costs no query while there is one site."""
    from wagtail.models import Site

    parts = page.get_url_parts()
    if parts is None:
        return ""
    site_id, root_url, page_path = parts
    root_paths = Site.get_site_root_paths()
    if len(root_paths) > 1 and site_id is not None:
        default_id = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
        if site_id != default_id:
            return root_url.rstrip("/") + page_path
    return page_path


def page_absolute_url(page) -> str:
    """A Wagtail page's full address (see ``page_link``); the site's home if the page is not routable."""
    return absolute_url(page_link(page) or "/")
