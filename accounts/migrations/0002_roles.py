"""Create Dugnad's three roles as groups with their permissions.

- Site administrators run the installation: they reach the Wagtail admin, may add, edit, publish,
  lock and delete every page (page permissions on the root page), manage every image, document
  and collection, sites, redirects and workflows, and manage users and groups. They are not
  superusers, so what they may do is visible and can be narrowed.
- Hub coordinators reach the Wagtail admin and may upload and choose images and documents in the
  root collection. What they may do with pages comes from their own hub's group (created with
  the hub), never from this one, so a coordinator acts only within their own hub.
- Registered users hold no permissions; the group marks everyone who signed up (the sign-up
  adapter adds them) so that later rules can be granted to all of them at once.

Permissions are normally created by post_migrate, after every migration has run, so on a fresh
database they do not exist yet here; ``create_permissions`` makes them first for every app that
the migration state knows, which is why this migration depends on the apps it grants from.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SITE_ADMINISTRATORS = "Site administrators"
HUB_COORDINATORS = "Hub coordinators"
REGISTERED_USERS = "Registered users"

PAGE_PERMISSIONS = ["add_page", "change_page", "bulk_delete_page", "lock_page", "publish_page", "unlock_page"]

ADMINISTRATOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailcore", "add_collection"),
    ("wagtailcore", "change_collection"),
    ("wagtailcore", "delete_collection"),
]

ADMINISTRATOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "delete_user"),
    ("accounts", "view_user"),
    ("auth", "add_group"),
    ("auth", "change_group"),
    ("auth", "delete_group"),
    ("auth", "view_group"),
    ("wagtailcore", "add_site"),
    ("wagtailcore", "change_site"),
    ("wagtailcore", "delete_site"),
    ("wagtailcore", "add_workflow"),
    ("wagtailcore", "change_workflow"),
    ("wagtailcore", "delete_workflow"),
    ("wagtailcore", "add_task"),
    ("wagtailcore", "change_task"),
    ("wagtailcore", "delete_task"),
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
]

COORDINATOR_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin")]

COORDINATOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def create_roles(apps, schema_editor):
    from django.apps import apps as global_apps

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def permission(app_label, codename):
        # A missing permission is a programming error; fail the migration rather than grant less.
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    administrators, _ = Group.objects.get_or_create(name=SITE_ADMINISTRATORS)
    coordinators, _ = Group.objects.get_or_create(name=HUB_COORDINATORS)
    Group.objects.get_or_create(name=REGISTERED_USERS)

    administrators.permissions.add(*(permission(*key) for key in ADMINISTRATOR_MODEL_PERMISSIONS))
    coordinators.permissions.add(*(permission(*key) for key in COORDINATOR_MODEL_PERMISSIONS))

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=administrators, page=root_page, permission=permission("wagtailcore", codename)
            )

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for group, keys in [
            (administrators, ADMINISTRATOR_COLLECTION_PERMISSIONS),
            (coordinators, COORDINATOR_COLLECTION_PERMISSIONS),
        ]:
            for key in keys:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(*key)
                )


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    # Deleting the groups cascades to their page and collection permissions.
    Group.objects.filter(name__in=[SITE_ADMINISTRATORS, HUB_COORDINATORS, REGISTERED_USERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
