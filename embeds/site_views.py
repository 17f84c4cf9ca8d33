"""``/sitemap.xml`` and ``/robots.txt``.

The sitemap is rendered once per content version (``cms.versioned_cache``: never stale, publishing
or restricting a page changes the version) and site; both may be kept by browsers and proxies for
an hour.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Site

from accounts.urls_absolute import absolute_url
from cms.versioned_cache import versioned
from embeds.sitemaps import PublicSitemap

MAX_AGE = 3600

# Paths for people, not search engines: logins, personal pages, forms, embeds (framed elsewhere).
DISALLOWED = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/partners/mine/",
    "/partners/invitations/",
    "/notifications/",
    "/threads/",
    "/comments/",
    "/i18n/",
    "/embed/",
    "/projects/*/updates/",
)


@require_safe
def sitemap(request):
    site = Site.find_for_request(request)
    page_number = request.GET.get("p", "1")

    def render() -> tuple[int, bytes]:
        response = wagtail_sitemap(request, sitemaps={"pages": PublicSitemap})
        response.render()
        return response.status_code, response.content

    status, content = versioned(f"sitemap:{site.pk if site else 0}:{page_number}", render)
    response = HttpResponse(content, status=status, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /", ""]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
