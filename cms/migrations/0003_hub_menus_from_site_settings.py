"""Give every existing hub its own menu, and move what the site settings said about a hub onto it.

Before, one site-wide menu and footer served every page, so a second hub showed the first hub's
links. Now a link in the site's menu or footer that points *inside* a hub (below the hub page)
moves into that hub's menu; links to a hub's front page and elsewhere stay site-wide. Each hub's
menu starts with its front page, then the moved links, then its own pages shown in menus (projects,
partners, forum, news), with their labels in Nynorsk and English. A hub without contact details
takes the footer's if it is the only hub on that site (the footer spoke for it). The hubs' latest
and live revisions get the same menu and contact, so the next edit in the admin keeps them.
"""

import json
import uuid

from django.db import migrations

# Labels of the index pages the apps add to every hub, as their ``menu_label`` gives them.
INDEX_LABELS = {
    "projectindexpage": {"nn": "Prosjekt", "en": "Projects"},
    "partnerindexpage": {"nn": "Partnarar", "en": "Partners"},
    "forumindexpage": {"nn": "Forum", "en": "Forum"},
    "newsindexpage": {"nn": "Nyhende", "en": "News"},
}
CONTACT_FIELDS = ("contact_email", "contact_phone", "contact_address")


def _link(page_id, label, label_nn="", label_en=""):
    value = {"label": label, "label_nn": label_nn, "label_en": label_en, "page": page_id, "url": ""}
    return {"type": "link", "value": value, "id": str(uuid.uuid4())}


def _raw(stream) -> list[dict]:
    return [dict(item) for item in stream.raw_data] if stream else []


def _patch_revisions(Revision, hub, changes: dict) -> None:
    for revision_id in {hub.latest_revision_id, hub.live_revision_id} - {None}:
        revision = Revision.objects.filter(pk=revision_id).first()
        if revision is None:
            continue
        content = dict(revision.content)
        content.update(changes)
        Revision.objects.filter(pk=revision.pk).update(content=content)


def forwards(apps, schema_editor):
    HubPage = apps.get_model("cms", "HubPage")
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    NavigationSettings = apps.get_model("cms", "NavigationSettings")
    FooterSettings = apps.get_model("cms", "FooterSettings")

    hubs = list(HubPage.objects.order_by("path"))
    if not hubs:
        return
    paths = dict(Page.objects.values_list("pk", "path"))
    moved: dict[int, list[dict]] = {hub.pk: [] for hub in hubs}

    def hub_inside(page_id):
        path = paths.get(page_id)
        inside = [hub for hub in hubs if path and path.startswith(hub.path) and path != hub.path]
        return max(inside, key=lambda hub: hub.depth) if inside else None

    for model in (NavigationSettings, FooterSettings):
        for setting in model.objects.all():
            keep = []
            for item in _raw(setting.links):
                hub = hub_inside((item.get("value") or {}).get("page"))
                (moved[hub.pk] if hub else keep).append(item)
            if len(keep) != len(_raw(setting.links)):
                model.objects.filter(pk=setting.pk).update(links=keep)

    for footer in FooterSettings.objects.select_related("site__root_page"):
        root = footer.site.root_page
        site_hubs = [hub for hub in hubs if hub.path.startswith(root.path)]
        if len(site_hubs) == 1 and not any(getattr(site_hubs[0], f) for f in CONTACT_FIELDS):
            hub = site_hubs[0]
            for field in CONTACT_FIELDS:
                setattr(hub, field, getattr(footer, field))
            HubPage.objects.filter(pk=hub.pk).update(**{f: getattr(hub, f) for f in CONTACT_FIELDS})
            _patch_revisions(Revision, hub, {f: getattr(hub, f) for f in CONTACT_FIELDS})

    for hub in hubs:
        if _raw(hub.menu_links):
            continue
        links = [_link(hub.pk, hub.title)]
        linked = {hub.pk}
        for item in moved[hub.pk]:
            page_id = item["value"].get("page")
            if page_id not in linked:
                value = {"label_nn": "", "label_en": "", **item["value"]}
                links.append({"type": "link", "value": value, "id": item.get("id") or str(uuid.uuid4())})
                linked.add(page_id)
        children = Page.objects.filter(
            path__startswith=hub.path, depth=hub.depth + 1, show_in_menus=True
        ).select_related("content_type")
        for child in children.order_by("path"):
            if child.pk in linked:
                continue
            labels = INDEX_LABELS.get(child.content_type.model, {})
            links.append(_link(child.pk, child.title, labels.get("nn", ""), labels.get("en", "")))
            linked.add(child.pk)
        HubPage.objects.filter(pk=hub.pk).update(menu_links=links)
        _patch_revisions(Revision, hub, {"menu_links": json.dumps(links)})


class Migration(migrations.Migration):
    dependencies = [("cms", "0002_hub_menu_and_translations"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
