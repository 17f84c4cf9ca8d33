"""Atom feeds of live projects: one per hub (``<hub>/projects/feed/``) and one per goal across hubs.

Feed readers and other sites follow what the hubs' partners do without scraping the pages. Items
are the newest projects first (by first publication); the author is the lead partner.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from accounts.urls_absolute import absolute_url, page_absolute_url
from goals.models import GOAL_NUMBERS, Goal
from projects import selectors

FEED_LENGTH = 30


class _ProjectsFeed(Feed):
    """Every address in a feed is on ``SITE_URL`` (``accounts.urls_absolute``), whichever host the
    request came in on, like the e-mails' links."""

    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django puts the feed's own address on the request's host.
        feed.feed["feed_url"] = absolute_url(request.path)
        return feed

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return page_absolute_url(item)

    def item_guid(self, item):
        return page_absolute_url(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        return item.lead_partner.name if item.lead_partner_id else None

    def item_categories(self, item):
        return [str(item.primary_goal)] if item.primary_goal_id else []


class HubProjectsFeed(_ProjectsFeed):
    """A hub's live projects, newest first; served by ``ProjectIndexPage``'s ``feed/`` route."""

    def get_object(self, request, index):
        self.request = request
        return index

    def title(self, index):
        return _("Projects of %(hub)s") % {"hub": index.get_hub().title}

    def link(self, index):
        return page_absolute_url(index)

    def subtitle(self, index):
        return _("New projects of the partners of %(hub)s.") % {"hub": index.get_hub().title}

    def items(self, index):
        return selectors.project_list(index, sort=selectors.SORT_NEWEST).select_related("lead_partner", "primary_goal")[
            :FEED_LENGTH
        ]


class GoalProjectsFeed(_ProjectsFeed):
    """Live projects of every hub that serve one goal (``/projects/goals/<n>/feed/``)."""

    def get_object(self, request, number):
        if number not in GOAL_NUMBERS:
            raise Http404(_("There is no such goal."))
        try:
            return Goal.objects.get(number=number)
        except Goal.DoesNotExist as error:
            raise Http404(_("There is no such goal.")) from error

    def title(self, goal):
        return _("Projects for goal %(number)s: %(name)s") % {"number": goal.number, "name": goal.short_name}

    def link(self, goal):
        return absolute_url(goal.get_absolute_url())

    def subtitle(self, goal):
        return goal.title

    def items(self, goal):
        return (
            selectors.projects_for_goal(goal)
            .select_related("lead_partner", "primary_goal")
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )
