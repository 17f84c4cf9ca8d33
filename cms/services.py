"""Writes for the site pages: creating a hub, its menu, its coordinators group and who is in it."""

import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.models import User
from accounts.roles import HUB_COORDINATORS, SITE_ADMINISTRATORS
from cms.models import HubPage, StatementKind, StatementPage
from cms.permissions import can_manage_hub_coordinators, is_site_administrator

logger = logging.getLogger(__name__)

# What a coordinator may do on their hub's subtree. Without bulk_delete, Wagtail lets them delete
# only leaf pages, so a hub with content cannot be removed by its coordinators (and the
# before_delete_page hook keeps an empty hub's deletion with site administrators too).
COORDINATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Pictures and documents go into the hub's own collection, where coordinators may also pick them.
COORDINATOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
GROUP_NAME_MAX_LENGTH = 150


def _group_name_for(hub: HubPage) -> str:
    name = f"{HUB_COORDINATORS}: {hub.title}"[:GROUP_NAME_MAX_LENGTH]
    clash = Group.objects.filter(name=name).exclude(pk=hub.coordinators_group_id)
    if clash.exists():
        # Two hubs with the same title (or a hand-made group) must not share permissions.
        suffix = f" (#{hub.pk})"
        name = name[: GROUP_NAME_MAX_LENGTH - len(suffix)] + suffix
    return name


def hub_coordinators_group_ensure(*, hub: HubPage) -> Group:
    """Create or bring up to date the hub's own coordinators group and media collection.

    The group is named after the hub and holds the page permissions on the hub's subtree and the
    image/document permissions on the hub's collection. Safe to call any number of times (after
    creating, renaming or copying a hub). ``hub`` must be saved in the page tree.
    """
    with transaction.atomic():
        group = hub.coordinators_group
        name = _group_name_for(hub)
        if group is None:
            group = Group.objects.create(name=name)
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])

        for codename in COORDINATOR_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=hub, permission=permission)

        collection = hub.collection
        if collection is None:
            collection = Collection.get_first_root_node().add_child(name=hub.title)
        elif collection.name != hub.title:
            collection.name = hub.title
            collection.save(update_fields=["name"])
        for app_label, codename in COORDINATOR_COLLECTION_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)

        if hub.coordinators_group_id != group.pk or hub.collection_id != collection.pk:
            # A queryset update, not hub.save(): saving would bypass revisions and could publish
            # whatever is in memory. HubPage.with_content_json keeps these links across revisions.
            HubPage.objects.filter(pk=hub.pk).update(coordinators_group=group, collection=collection)
            hub.coordinators_group, hub.collection = group, collection
            logger.info("Hub %s: coordinators group %s and collection %s ready", hub.pk, group.pk, collection.pk)
        hub_moderation_workflow_ensure(hub=hub)
    return group


WORKFLOW_NAME_MAX_LENGTH = 255


def hub_moderation_workflow_ensure(*, hub: HubPage) -> Workflow:
    """Create or bring up to date the hub's moderation workflow: one approval step by its coordinators.

    Pages submitted for review anywhere under the hub (project proposals from the public site above
    all) then wait for the coordinators of *this* hub, never another's. Site administrators approve
    too, as they count as coordinators of every hub (``cms.permissions.is_hub_coordinator``). Called
    by ``hub_coordinators_group_ensure``, so the hub must already have its coordinators group.

    The names are stored, so they are written in the hub's own language, whoever runs this in
    whichever language (Wagtail shows them as they are in the admin, on the pages and in e-mails).
    """
    with translation.override(hub.default_language or settings.LANGUAGE_CODE):
        name = (_("Review in %(hub)s") % {"hub": hub.title})[:WORKFLOW_NAME_MAX_LENGTH]
        task_name = _("Coordinators of %(hub)s") % {"hub": hub.title}
    with transaction.atomic():
        link = WorkflowPage.objects.filter(page=hub).select_related("workflow").first()
        if link is not None:
            workflow = link.workflow
        else:
            # Deactivating a workflow in the admin removes its page links: take it back rather than add another.
            workflow = Workflow.objects.filter(
                workflow_tasks__task__groupapprovaltask__groups=hub.coordinators_group
            ).first() or Workflow.objects.create(name=name, active=True)
            WorkflowPage.objects.create(page=hub, workflow=workflow)
        if workflow.name != name or not workflow.active:
            workflow.name, workflow.active = name, True
            workflow.save(update_fields=["name", "active"])

        task = (
            GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow)
            .order_by("workflow_tasks__sort_order")
            .first()
        )
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        elif not task.active:
            task.active = True
            task.save(update_fields=["active"])
        reviewers = [hub.coordinators_group]
        reviewers.extend(Group.objects.filter(name=SITE_ADMINISTRATORS))
        task.groups.set(reviewers)
    return workflow


def hub_coordinator_add(*, hub: HubPage, user: AbstractBaseUser, actor: User | None = None) -> None:
    """Make ``user`` a coordinator of ``hub``.

    Puts them in the hub's own group (created if missing) and in the general "Hub coordinators"
    group, which opens the Wagtail admin. ``actor`` is the person doing it, checked with
    ``can_manage_hub_coordinators``; None means the system itself (management commands).
    """
    if actor is not None and not can_manage_hub_coordinators(actor, hub):
        raise PermissionDenied(_("Only site administrators may appoint hub coordinators."))
    with transaction.atomic():
        hub_group = hub_coordinators_group_ensure(hub=hub)
        # The general group normally comes from accounts' data migration; get_or_create means the
        # order in which the two are set up does not matter.
        general_group, _created = Group.objects.get_or_create(name=HUB_COORDINATORS)
        user.groups.add(hub_group, general_group)
    logger.info("User %s added as coordinator of hub %s by %s", user.pk, hub.pk, getattr(actor, "pk", "system"))


def statement_pages_ensure(*, parent: Page) -> list[StatementPage]:
    """Create whichever of the privacy and accessibility statements is missing, published under ``parent``.

    Their default text is honest about what Dugnad does and marks in brackets what the organisation
    running the installation must fill in. Existing statements (wherever they are) are left alone.
    """
    from cms import statement_texts as texts

    defaults = {
        StatementKind.PRIVACY: (texts.PRIVACY_TITLE, texts.PRIVACY_SLUG, texts.PRIVACY_INTRO, texts.PRIVACY_BODY),
        StatementKind.ACCESSIBILITY: (
            texts.ACCESSIBILITY_TITLE,
            texts.ACCESSIBILITY_SLUG,
            texts.ACCESSIBILITY_INTRO,
            texts.ACCESSIBILITY_BODY,
        ),
    }
    created = []
    with transaction.atomic():
        existing = set(StatementPage.objects.values_list("kind", flat=True))
        for kind, (title, slug, intro, body) in defaults.items():
            if kind in existing:
                continue
            page = StatementPage(
                title=title, slug=slug, kind=kind, intro=intro, body=body, last_reviewed=timezone.localdate()
            )
            parent.add_child(instance=page)
            page.save_revision().publish()
            created.append(page)
            logger.info("Created the %s statement at %s", kind, page.url_path)
    return created


def _menu_link(page: Page) -> dict:
    # Index pages name themselves in every language (``menu_label``, e.g. projects' "Projects");
    # other pages are listed under their title, which editors may translate in the admin later.
    label = getattr(page.specific_class, "menu_label", None)
    if label is None:
        return {"label": page.title, "label_nn": "", "label_en": "", "page": page, "url": ""}
    texts = {}
    for language in ("nn", "en"):
        with translation.override(language):
            texts[language] = str(label)
    return {"label": page.title, "label_nn": texts["nn"], "label_en": texts["en"], "page": page, "url": ""}


def hub_menu_seed(*, hub: HubPage, user: AbstractBaseUser | None = None) -> bool:
    """Give a hub whose menu is empty a default one: its front page, then its pages shown in menus.

    The menu is saved as a new revision of the hub, published if the hub was live with nothing
    unpublished (otherwise it waits in the draft with the rest), so that the next edit in the admin
    keeps it. Returns False (and changes nothing) if the hub already has a menu. Called when a hub
    is created, after the apps have added their index pages (projects, partners, forum).
    """
    hub = HubPage.objects.get(pk=hub.pk)
    draft = hub.get_latest_revision_as_object()
    if draft.menu_links:
        return False
    children = hub.get_children().filter(show_in_menus=True).order_by("path")
    links = [{"label": hub.title, "label_nn": "", "label_en": "", "page": hub, "url": ""}]
    links.extend(_menu_link(child) for child in children)
    draft.menu_links = [("link", link) for link in links]
    publish = hub.live and not hub.has_unpublished_changes
    with transaction.atomic():
        revision = draft.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
    logger.info("Hub %s: default menu with %s links", hub.pk, len(links))
    return True


def hub_create(
    *,
    parent: Page,
    title: str,
    municipality: str,
    default_language: str = settings.LANGUAGE_CODE,
    actor: User | None = None,
    **fields,
) -> HubPage:
    """Create and publish a hub below ``parent`` (a home page, or the tree root for a hub with its own site).

    Its slug comes from the title (``cms.slugs.slugify_no``). The hub then gets what a hub made in
    the admin gets: the ``after_create_page`` hooks run (coordinators group and collection here; the
    apps above add their index pages), and last its default menu. ``actor`` must be a site
    administrator; None means the system itself (management commands).
    """
    if actor is not None and not is_site_administrator(actor):
        raise PermissionDenied(_("Only site administrators can create a hub."))
    hub = HubPage(title=title, municipality=municipality, default_language=default_language, **fields)
    with transaction.atomic():
        parent.add_child(instance=hub)
        hub.save_revision(user=actor, log_action=True).publish(user=actor)
        for hook in hooks.get_hooks("after_create_page"):
            # Hooks registered for the admin get no request here; ours read at most request.user.
            hook(None, hub)
    logger.info("Hub %s created below page %s by %s", hub.pk, parent.pk, getattr(actor, "pk", "system"))
    return HubPage.objects.get(pk=hub.pk)
