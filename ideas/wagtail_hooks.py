"""Ideas' public pages below each hub (``cms.hub_routes``) and their threads (``discussions.owners``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.hub_routes import HubSection
from discussions.owners import ThreadOwner
from ideas import permissions, views


@hooks.register("register_hub_routes")
def idea_routes():
    return [
        path("ideas/", views.idea_list, name="idea_list"),
        path("ideas/new/", views.idea_new, name="idea_new"),
        path("ideas/<int:idea_id>/", views.idea_detail, name="idea_detail"),
        path("ideas/<int:idea_id>/support/", views.idea_support, name="idea_support"),
        path("ideas/<int:idea_id>/edit/", views.idea_edit, name="idea_edit"),
        path("ideas/<int:idea_id>/answer/", views.idea_answer, name="idea_answer"),
        path("ideas/<int:idea_id>/hide/", views.idea_hide, name="idea_hide"),
        path("ideas/<int:idea_id>/project/", views.idea_project, name="idea_project"),
    ]


def _idea_page_url(idea, request=None):
    if request is not None:
        return idea.get_url(request)
    from accounts.urls_absolute import page_link

    base = page_link(idea.hub)
    return f"{base}ideas/{idea.pk}/" if base else None


@hooks.register("register_thread_owner")
def idea_thread_owner():
    return ThreadOwner(
        related_name="idea",
        page_url=_idea_page_url,
        audience_page=lambda idea: idea.hub,
        can_view=permissions.can_view_idea,
    )


@hooks.register("register_hub_section")
def ideas_hub_section():
    return HubSection(_("Ideas"), "ideas/", order=10)
