"""Who moderates which discussions in the Wagtail admin: the hubs someone coordinates (every hub for
site administrators), and the Wagtail permission policies that follow from it.

Coordinators are not given Django model permissions on threads, suspensions or the log; the
policies below are registered in ``discussions.wagtail_hooks`` before any viewset asks for one.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy

from accounts.roles import SITE_ADMINISTRATORS
from cms.admin.access import coordinated_hubs
from cms.models import HubPage
from cms.permissions import is_hub_coordinator, is_site_administrator
from discussions.models import Comment, CommentingSuspension, ModerationAction, Thread

VIEW = "view"


def can_use_discussions_admin(user) -> bool:
    """Moderation in the admin is for site administrators and coordinators of some hub.

    Remembered on the user object (one per request): the menu, the panel and each view ask.
    """
    cached = getattr(user, "_can_use_discussions_admin", None)
    if cached is None:
        cached = sees_every_hub(user) or coordinated_hubs(user).exists()
        if user is not None:
            user._can_use_discussions_admin = cached
    return cached


def sees_every_hub(user) -> bool:
    """Site administrators moderate every hub (remembered on the user object for the request)."""
    cached = getattr(user, "_discussions_sees_every_hub", None)
    if cached is None:
        cached = is_site_administrator(user)
        if user is not None:
            user._discussions_sees_every_hub = cached
    return cached


def hub_scope(user) -> Q:
    """A filter on ``hub`` for the hubs ``user`` moderates (every hub for site administrators)."""
    if sees_every_hub(user):
        return Q()
    return Q(hub__in=coordinated_hubs(user))


def comments_in_scope(user) -> QuerySet[Comment]:
    """Every comment in the hubs ``user`` moderates: what the queue may act on."""
    if sees_every_hub(user):
        return Comment.objects.all()
    return Comment.objects.filter(thread__hub__in=coordinated_hubs(user))


class _HubScopedPolicy(BasePermissionPolicy):
    """Coordinators see the rows of their own hubs (site administrators all); ``actions`` are the
    generic actions anyone who uses the discussions admin may take on the model at all."""

    actions = frozenset({VIEW})

    def user_has_permission(self, user, action):
        return action in self.actions and can_use_discussions_admin(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in self.actions and is_hub_coordinator(user, instance.hub)

    def instances_user_has_any_permission_for(self, user, actions):
        if not (self.actions & set(actions)) or not can_use_discussions_admin(user):
            return self.model.objects.none()
        return self.model.objects.filter(hub_scope(user))

    def users_with_any_permission(self, actions):
        coordinator_groups = HubPage.objects.exclude(coordinators_group=None).values("coordinators_group")
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=SITE_ADMINISTRATORS) | Q(groups__in=coordinator_groups))
            .distinct()
        )
        return users if self.actions & set(actions) else users.none()


class ThreadPermissionPolicy(_HubScopedPolicy):
    pass


class CommentingSuspensionPermissionPolicy(_HubScopedPolicy):
    actions = frozenset({VIEW, "add"})


class ModerationActionPermissionPolicy(_HubScopedPolicy):
    pass


thread_permission_policy = ThreadPermissionPolicy(Thread)
suspension_permission_policy = CommentingSuspensionPermissionPolicy(CommentingSuspension)
moderation_action_permission_policy = ModerationActionPermissionPolicy(ModerationAction)
