"""Admin hooks: every hub gets its coordinators group however it comes into being."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from cms import dependency
from cms.content_dependencies import shown_by_page
from cms.models import HubPage
from cms.permissions import is_site_administrator
from cms.services import hub_coordinators_group_ensure, hub_menu_seed


@hooks.register("after_create_page")
def ensure_coordinators_group_for_new_hub(request, page):
    if isinstance(page.specific, HubPage):
        hub_coordinators_group_ensure(hub=page.specific)


# After the apps' own hooks (order 0) have added the hub's index pages, so the menu lists them.
@hooks.register("after_create_page", order=100)
def seed_menu_for_new_hub(request, page):
    if isinstance(page.specific, HubPage):
        hub_menu_seed(hub=page.specific, user=getattr(request, "user", None))


@hooks.register("after_copy_page")
def ensure_coordinators_group_for_copied_hub(request, page, new_page):
    # The copy leaves out the original's group (exclude_fields_in_copy), so it needs its own.
    if isinstance(new_page.specific, HubPage):
        hub_coordinators_group_ensure(hub=new_page.specific)
        hub_menu_seed(hub=new_page.specific, user=getattr(request, "user", None))


@hooks.register("after_edit_page")
def rename_coordinators_group_with_hub(request, page):
    # The group and collection carry the hub's name; keep them in step when the title changes.
    if isinstance(page.specific, HubPage):
        hub_coordinators_group_ensure(hub=page.specific)


@hooks.register("before_delete_page")
def only_site_administrators_delete_hubs(request, page):
    # Coordinators may delete leaf pages in their hub; the hub itself (its group, its partners)
    # is an installation-level decision.
    if isinstance(page.specific, HubPage) and not is_site_administrator(request.user):
        messages.error(request, _("Only site administrators can delete a hub."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_serve_page")
def declare_page_dependencies(page, request, serve_args, serve_kwargs):
    # What the anonymous page cache keeps this page by (hub.page_cache, cms.dependency).
    dependency.page_depends_on(*shown_by_page(page))
