"""``/sitemap.xml``: the site's live, public pages (Wagtail's sitemap), on ``SITE_URL``.

Wagtail's ``Sitemap`` lists live pages without a view restriction on them or above them
(``.public()``) and asks each page for its addresses (``get_sitemap_urls``: the partner directory
adds its partners' pages, which are routes). Here, in addition, pages below an unpublished page
are left out (``cms.restrictions.page_audience`` treats them as unpublished), and every address
is moved onto ``SITE_URL`` (``accounts.urls_absolute``) instead of the ``Site`` row's host name.
"""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from accounts.urls_absolute import page_absolute_url


class PublicSitemap(Sitemap):
    def items(self):
        pages = super().items()
        for path in Page.objects.filter(live=False, numchild__gt=0, depth__gt=1).values_list("path", flat=True):
            pages = pages.exclude(path__startswith=path)
        return pages

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        for item in self.paginator.page(page).object_list:
            served_at = item.get_full_url(self.request) or ""
            canonical = page_absolute_url(item)
            for url_info in item.get_sitemap_urls(self.request):
                location = url_info["location"]
                if served_at and location.startswith(served_at):
                    url_info = {**url_info, "location": canonical + location[len(served_at) :]}
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
