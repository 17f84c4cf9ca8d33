"""ASCII slugs for pages whose slug holds letters such as æ, ø and å (``/nordby-b%C3%A6rekraftslab/``).

The slug is transliterated (``cms.slugs.slugify_no``: æ → ae, ø → o, å → a), kept unique among
its siblings, and the page's and its descendants' addresses follow. Every old address gets a
permanent redirect (Wagtail's redirects app) on each site that shows the page, and the page's
latest and live revisions get the new slug, so the next edit in the admin keeps it.
"""

from django.db import migrations
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect as CurrentRedirect

from cms.slugs import slugify_no, unique_slug


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    Site = apps.get_model("wagtailcore", "Site")
    Redirect = apps.get_model("wagtailredirects", "Redirect")

    sites = [(site, site.root_page.url_path) for site in Site.objects.select_related("root_page")]
    for page in Page.objects.filter(depth__gt=1).order_by("path"):
        page.refresh_from_db()  # an ancestor's change may have rewritten its url_path
        if page.slug.isascii():
            continue
        siblings = Page.objects.filter(path__startswith=page.path[: -Page.steplen], depth=page.depth).exclude(
            pk=page.pk
        )
        new_slug = unique_slug(slugify_no(page.slug, max_length=255) or "page", set(siblings.values_list("slug", flat=True)))
        old_url_path = page.url_path
        new_url_path = f"{old_url_path[: -len(page.slug) - 1]}{new_slug}/"
        subtree = list(Page.objects.filter(path__startswith=page.path).values_list("pk", "url_path"))
        for pk, url_path in subtree:
            moved_url_path = new_url_path + url_path[len(old_url_path) :]
            Page.objects.filter(pk=pk).update(url_path=moved_url_path)
            for site, root_url_path in sites:
                if not url_path.startswith(root_url_path):
                    continue
                old_path = CurrentRedirect.normalise_path(url_path[len(root_url_path) - 1 :])
                if len(old_path) <= 255:
                    Redirect.objects.update_or_create(
                        old_path=old_path,
                        site=site,
                        defaults={"redirect_page_id": pk, "is_permanent": True, "automatically_created": True},
                    )
        Page.objects.filter(pk=page.pk).update(slug=new_slug)
        for revision in Revision.objects.filter(Q(pk=page.latest_revision_id) | Q(pk=page.live_revision_id)):
            content = dict(revision.content)
            content.update({"slug": new_slug, "url_path": new_url_path})
            Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_hub_menus_from_site_settings"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
