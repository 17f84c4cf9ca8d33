from django.conf import settings
from django.urls import include, path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import urls as accounts_urls
from embeds.site_views import robots_txt, sitemap
from goals import urls as goals_urls
from hub.metrics import metrics
from hub.views import favicon, healthz
from partners import urls as partners_urls
from projects import urls as projects_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/", include("api.urls")),
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include(accounts_urls)),
    path("goals/", include(goals_urls)),
    path("partners/", include(partners_urls)),
    path("projects/", include(projects_urls)),
    path("search/", include("sitesearch.urls")),
    path("notifications/", include("notifications.urls")),
    path("opendata/", include("opendata.urls")),
    path("embed/", include("embeds.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("discussions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

if settings.DUGNAD_BENCH_VIEWS:
    from hub.bench_views import bare

    urlpatterns += [path("bench/bare/", bare, name="bench_bare")]

urlpatterns += [path("", include(wagtail_urls))]

# A database that does not answer gives 503 with Retry-After, not a 500 (README "When something fails").
handler500 = "hub.views.server_error"
