"""Hub coordinators upload and edit pictures and documents only in their own hub's collection.

The roles migration gave the "Hub coordinators" group add permissions on the root collection, and
Wagtail's collection permissions apply to every collection below the one they are granted on, so
any coordinator could upload into another hub's collection. Each hub's own group already holds
add/change/choose on that hub's collection (``cms.services.hub_coordinators_ensure``); the shared
group keeps only *choose* on the root, so coordinators may still pick any public picture.
"""

from django.db import migrations

HUB_COORDINATORS = "Hub coordinators"
UPLOAD_PERMISSIONS = [("wagtailimages", "add_image"), ("wagtaildocs", "add_document")]


def remove_root_upload(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    for app_label, codename in UPLOAD_PERMISSIONS:
        GroupCollectionPermission.objects.filter(
            group__in=Group.objects.filter(name=HUB_COORDINATORS),
            collection__depth=1,
            permission__content_type__app_label=app_label,
            permission__codename=codename,
        ).delete()


def restore_root_upload(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group = Group.objects.filter(name=HUB_COORDINATORS).first()
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if group is None or root is None:
        return
    for app_label, codename in UPLOAD_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(remove_root_upload, restore_root_upload)]
