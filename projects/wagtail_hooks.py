"""Projects in the Wagtail admin: the "Projects overdue" report and its dashboard panel.

Editing projects needs nothing here: a ``ProjectPage`` lives under its hub, and the hub's
coordinators group holds the page permissions on that subtree only (``cms.services``), so the
coordinators of one hub cannot edit another hub's projects (tested in
``tests/projects/test_admin_permissions.py``).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from projects.admin import views as admin_views


@hooks.register("register_admin_urls")
def register_projects_admin_urls():
    return [
        path("projects/overdue/", admin_views.ProjectsOverdueView.as_view(), name=admin_views.REPORT_URL_NAME),
    ]


class ProjectsOverdueMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_use_projects_report(request.user)


@hooks.register("register_reports_menu_item")
def register_projects_overdue_menu_item():
    return ProjectsOverdueMenuItem(
        _("Projects overdue"),
        reverse(admin_views.REPORT_URL_NAME),
        name="projects-overdue",
        icon_name="warning",
        order=50,
    )


@hooks.register("construct_homepage_panels")
def add_projects_overdue_panel(request, panels):
    if admin_views.can_use_projects_report(request.user):
        panels.append(admin_views.ProjectsOverduePanel(request))
