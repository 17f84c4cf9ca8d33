"""Follow buttons and the header's notification bell.

    {% load notification_tags %}
    {% follow_button page %}       {# a project page, thread, partner, goal or hub page #}
    {% notification_bell as bell %}{# bell.unread, bell.seq: for templates/includes/notification_bell.html #}

Anonymous visitors get a "Log in to follow" link and no form: their pages are cached for everyone
(``hub.page_cache``), so they must hold no CSRF token.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from notifications import centre, following, services
from notifications.models import FollowTarget

register = template.Library()

# (follow, stop following, following now) per kind of target.
LABELS = {
    FollowTarget.PROJECT: (_("Follow the project"), _("Stop following the project"), _("You follow this project")),
    FollowTarget.THREAD: (
        _("Follow the discussion"),
        _("Stop following the discussion"),
        _("You follow this discussion"),
    ),
    FollowTarget.PARTNER: (_("Follow the partner"), _("Stop following the partner"), _("You follow this partner")),
    FollowTarget.GOAL: (_("Follow the goal"), _("Stop following the goal"), _("You follow this goal")),
    FollowTarget.HUB: (_("Follow the hub"), _("Stop following the hub"), _("You follow this hub")),
}

BADGE_MAX = 99


@register.inclusion_tag("notifications/includes/follow_button.html", takes_context=True)
def follow_button(context, target):
    """A form that follows or stops following ``target`` (one query), for a logged-in visitor who
    may see it; a login link for anyone else."""
    if target is None or getattr(target, "pk", None) is None:
        return {"show": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    path = request.get_full_path() if request is not None else "/"
    kind = services.target_kind(target)
    follow_label, stop_label, following_label = LABELS[kind]
    common = {"show": True, "kind": kind, "follow_label": follow_label}
    if user is None or not user.is_authenticated:
        return {**common, "anonymous": True, "login_url": f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': path})}"}
    if not following.can_follow(user, target):
        return {"show": False}
    return {
        **common,
        "anonymous": False,
        "csrf_token": context.get("csrf_token"),
        "following": following.is_following(user, target),
        "stop_label": stop_label,
        "following_label": following_label,
        "follow_url": reverse("notifications:follow", args=[kind, target.pk]),
        "unfollow_url": reverse("notifications:unfollow", args=[kind, target.pk]),
        "next": path,
    }


@register.simple_tag(takes_context=True)
def notification_bell(context):
    """The logged-in visitor's unread count and the inbox number it is as of (``centre.bell``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return centre.bell(user)


@register.filter
def badge_number(count: int) -> str:
    """The badge shows at most "99+"."""
    return f"{BADGE_MAX}+" if count > BADGE_MAX else str(count)
