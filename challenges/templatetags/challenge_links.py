"""Challenges for pages of lower apps: an idea's page shows the challenge made from it, and offers
its coordinators to make one.

ideas never imports challenges: its template loads this tag, so the dependency points down.

    {% load challenge_links %}{% idea_challenge idea %}
"""

from django import template

from challenges import permissions
from challenges.forms import IdeaChallengeForm
from challenges.models import Challenge

register = template.Library()


@register.inclusion_tag("challenges/includes/idea_challenge.html", takes_context=True)
def idea_challenge(context, idea):
    """The challenge made from ``idea`` (a link once published, or for those who may open the draft),
    else, for the hub's coordinators, the form that makes one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    challenge = Challenge.objects.filter(source_idea=idea).select_related("hub").first()
    if challenge is not None:
        return {"challenge": challenge, "can_open": permissions.can_view_challenge(user, challenge)}
    if not permissions.can_turn_idea_into_challenge(user, idea):
        return {}
    return {"request": request, "idea": idea, "hub": idea.hub, "form": IdeaChallengeForm()}
