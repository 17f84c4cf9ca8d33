"""Moderation of discussions in the Wagtail admin: the "Discussions" menu, the queue, the dashboard panel.

The permission policies are registered first, before any viewset asks Wagtail for one (Wagtail
would otherwise create its default model-permission policy and refuse ours). The hook that gives
each new hub its forum is in ``discussions.hub_hooks``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from discussions.admin.access import (
    can_use_discussions_admin,
    moderation_action_permission_policy,
    suspension_permission_policy,
    thread_permission_policy,
)
from discussions.models import CommentingSuspension, ModerationAction, Thread

register_permission_policy(Thread, thread_permission_policy)
register_permission_policy(CommentingSuspension, suspension_permission_policy)
register_permission_policy(ModerationAction, moderation_action_permission_policy)

from discussions.admin import views as admin_views  # noqa: E402 (after the policies, as the viewsets need them)
from discussions.admin import viewsets  # noqa: E402


@hooks.register("register_admin_viewset")
def register_discussions_viewsets():
    return viewsets.DiscussionsViewSetGroup()


@hooks.register("register_admin_urls")
def register_discussions_admin_urls():
    return [
        path("discussions/", admin_views.ModerationQueueView.as_view(), name=admin_views.QUEUE_URL_NAME),
    ]


class ModerationQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_discussions_admin(request.user)


@hooks.register("register_discussions_admin_menu_item")
def register_moderation_queue_menu_item():
    return ModerationQueueMenuItem(
        _("Moderation queue"),
        reverse(admin_views.QUEUE_URL_NAME),
        name="discussions-queue",
        icon_name="warning",
        order=0,
    )


@hooks.register("construct_homepage_panels")
def add_moderation_queue_panel(request, panels):
    if can_use_discussions_admin(request.user):
        panels.append(admin_views.ModerationQueuePanel(request))
