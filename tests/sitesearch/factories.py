"""A small world for search tests: two hubs with projects, partners, pages, news and a forum, each
kind holding the word "bærekraftig" (or its forms) in something public and something private."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from partners.models import PartnerKind, PartnershipStatus
from projects.models import ProjectStatus
from tests.cms.factories import news_index_create, news_page_create, standard_page_create
from tests.discussions.factories import comment_create, forum_create, topic_create
from tests.partners.factories import hub_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create


@dataclass
class SearchWorld:
    hub: object
    other_hub: object
    project: object  # public, in hub, goal 7, active, "Bærekraftig energi" in the title
    other_project: object  # public, in other_hub, goal 11, completed, the word only in its summary
    draft_project: object
    restricted_page: object
    page: object
    news: object
    partner: object  # approved in hub, NGO
    pending_partner: object
    suspended_partner: object
    topic: object
    comment: object
    hidden_comment: object
    deleted_comment: object
    private_topic: object  # in other_hub's forum, which has a password


def search_world_create() -> SearchWorld:
    hub = hub_create(title="Ålesund")
    other_hub = hub_create(title="Molde", home=hub.get_parent().specific)
    index = project_index_create(hub)
    other_index = project_index_create(other_hub)
    project = project_create(
        index,
        title="Bærekraftig energi i Ålesund",
        summary="Solceller på skoletak.",
        primary_goal=goal(7),
        status=ProjectStatus.ACTIVE,
    )
    other_project = project_create(
        other_index,
        title="Grønn mobilitet",
        summary="Et bærekraftig reisemønster for Molde, med sykkel og buss.",
        primary_goal=goal(11),
        status=ProjectStatus.COMPLETED,
    )
    draft_project = project_create(index, title="Hemmelig bærekraftig utkast", live=False)
    restricted_page = standard_page_create(
        parent=hub, title="Intern bærekraftsplan", intro=RichText("<p>Bærekraftige interne ting.</p>")
    )
    PageViewRestriction.objects.create(page=restricted_page, restriction_type=PageViewRestriction.LOGIN)
    page = standard_page_create(
        parent=hub, title="Om senteret", intro=RichText("<p>Vi jobber for ei berekraftig framtid.</p>")
    )
    news = news_page_create(index=news_index_create(hub=hub), date=date(2026, 5, 1), title="Bærekraftdagen 2026")
    partner_index_create(hub)
    partner_index_create(other_hub)
    partner = partner_create(
        name="Grønne Hender", kind=PartnerKind.NGO, description="<p>Bærekraftig hagebruk for alle.</p>"
    )
    partnership_create(partner=partner, hub=hub)
    pending_partner = partner_create(name="Ventende bærekraft AS", description="<p>Bærekraftig søknad.</p>")
    partnership_create(partner=pending_partner, hub=hub, status=PartnershipStatus.APPLIED)
    suspended_partner = partner_create(name="Suspendert bærekraft AS")
    partnership_create(partner=suspended_partner, hub=hub, status=PartnershipStatus.SUSPENDED)
    forum_create(hub)
    topic = topic_create(hub, title="Bærekraftig mat i kantina")
    comment = comment_create(topic, body="Jeg foreslår mer bærekraftig fisk.")
    hidden_comment = comment_create(topic, body="Skjult bærekraftig kommentar.", hidden_at=timezone.now())
    deleted_comment = comment_create(topic, body="Slettet bærekraftig kommentar.", deleted_at=timezone.now())
    private_forum = forum_create(other_hub)
    PageViewRestriction.objects.create(page=private_forum, restriction_type=PageViewRestriction.PASSWORD, password="x")
    private_topic = topic_create(other_hub, title="Lukket bærekraftig tema")
    comment_create(private_topic, body="Lukket bærekraftig kommentar.")
    return SearchWorld(
        hub=hub,
        other_hub=other_hub,
        project=project,
        other_project=other_project,
        draft_project=draft_project,
        restricted_page=restricted_page,
        page=page,
        news=news,
        partner=partner,
        pending_partner=pending_partner,
        suspended_partner=suspended_partner,
        topic=topic,
        comment=comment,
        hidden_comment=hidden_comment,
        deleted_comment=deleted_comment,
        private_topic=private_topic,
    )
