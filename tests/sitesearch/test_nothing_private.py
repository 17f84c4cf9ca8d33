"""Nothing that is not public ever appears in search results, in the list or in the facet counts,
and what stops being public drops out at once (visibility is decided when searching, not indexing)."""

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from partners.models import PartnershipStatus
from sitesearch.selectors import KIND_COMMENT, KIND_PAGE, KIND_PARTNER, KIND_PROJECT, KIND_TOPIC, site_search
from tests.sitesearch.factories import search_world_create

pytestmark = pytest.mark.django_db


def _found(query="bærekraftig", **filters):
    result = site_search(query, filters=filters)
    total = sum(option.count for option in result.facets["type"])
    assert total == result.paginator.count  # the facet counts hold exactly what the list holds
    return {(hit.kind, hit.pk) for hit in result.paginator.object_list}


def test_drafts_restricted_pages_hidden_comments_and_pending_partners_are_never_found():
    world = search_world_create()
    found = _found()
    never = {
        (KIND_PROJECT, world.draft_project.pk),
        (KIND_PAGE, world.restricted_page.pk),
        (KIND_PARTNER, world.pending_partner.pk),
        (KIND_PARTNER, world.suspended_partner.pk),
        (KIND_COMMENT, world.hidden_comment.pk),
        (KIND_COMMENT, world.deleted_comment.pk),
        (KIND_TOPIC, world.private_topic.pk),
    }
    assert found & never == set()
    assert not any(kind == KIND_COMMENT and pk != world.comment.pk for kind, pk in found)
    # Their own words find nothing either, with any facet.
    for word in ("hemmelig", "intern", "ventende", "suspendert", "skjult", "slettet", "lukket"):
        assert _found(word) == set(), word
        assert _found(word, hub=str(world.hub.pk)) == set(), word


def test_what_stops_being_public_drops_out_at_once():
    world = search_world_create()
    assert {
        (KIND_PROJECT, world.project.pk),
        (KIND_PARTNER, world.partner.pk),
        (KIND_COMMENT, world.comment.pk),
        (KIND_TOPIC, world.topic.pk),
    } <= _found()

    world.comment.hidden_at = timezone.now()
    world.comment.save()
    world.partner.partnerships.update(status=PartnershipStatus.SUSPENDED)
    world.project.unpublish()
    forum = world.topic.hub.get_children().get(slug="forum")
    PageViewRestriction.objects.create(page=forum, restriction_type=PageViewRestriction.LOGIN)

    found = _found()
    assert (KIND_COMMENT, world.comment.pk) not in found
    assert (KIND_PARTNER, world.partner.pk) not in found
    assert (KIND_PROJECT, world.project.pk) not in found
    assert (KIND_TOPIC, world.topic.pk) not in found
    assert found == {(KIND_PROJECT, world.other_project.pk)}


def test_pages_below_an_unpublished_or_restricted_hub_are_never_found():
    world = search_world_create()
    PageViewRestriction.objects.create(
        page=world.other_hub, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert (KIND_PROJECT, world.other_project.pk) not in _found()
    world.hub.unpublish()
    assert _found() == set()


def test_comments_in_a_public_projects_thread_are_found_and_in_a_drafts_are_not():
    from discussions.models import Thread
    from tests.discussions.factories import comment_create

    world = search_world_create()
    public_thread = Thread.objects.get(project=world.project)  # made when the project was published
    draft_thread = Thread.objects.get_or_create(hub=world.hub, project=world.draft_project, title="Utkast")[0]
    public_comment = comment_create(public_thread, body="Flott solcelleprosjekt.")
    draft_comment = comment_create(draft_thread, body="Hemmelig solcelleprosjekt.")
    found = _found("solcelleprosjekt")
    assert (KIND_COMMENT, public_comment.pk) in found
    assert (KIND_COMMENT, draft_comment.pk) not in found
