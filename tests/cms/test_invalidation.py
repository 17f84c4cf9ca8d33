"""Invalidation by dependency (cms.dependency), through the real anonymous page cache: a write makes
stale exactly the cached pages that show it, and leaves another hub's pages and unrelated thread
pages cached. Every model of a content app is classified: shown on public pages (with the keys its
writes replace) or never public."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.conf import settings

from cms import dependency
from discussions.models import CommentReport, ModerationAction, ModerationActionKind, ReportReason, Thread
from hub.page_cache import CACHE_HEADER
from partners.models import PartnershipEvent, PartnershipStatus
from projects.models import ProgressUpdate
from tests.cms.factories import news_index_create, news_page_create
from tests.discussions.factories import comment_create, commenter_create, forum_create, topic_create
from tests.events.factories import event_create
from tests.partners.factories import hub_create, partner_index_create
from tests.projects.factories import approved_partner_create, goal, outcome_create, project_create, project_index_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.DUGNAD_PAGE_CACHE = True


@dataclass
class Country:
    """Two hubs. Ålesund: projects "Grønn havn" (goal 13, partner Fjordkraft) and "Sykkelby" (goal 5),
    a forum with Kari's topic (Kari comments on it) and Ola's topic, a partner directory. Molde: a
    project (goal 13) and a forum topic."""

    urls: dict
    objects: dict


@pytest.fixture
def country():
    alesund = hub_create(title="Ålesund")
    molde = hub_create(title="Molde", home=alesund.get_parent().specific)
    index, other_index = project_index_create(alesund), project_index_create(molde)
    directory = partner_index_create(alesund)
    fjordkraft = approved_partner_create(alesund, name="Fjordkraft AS")
    harbour = project_create(index, title="Grønn havn", primary_goal=goal(13), partners=[fjordkraft])
    bikes = project_create(index, title="Sykkelby", primary_goal=goal(5))
    molde_project = project_create(other_index, title="Moldeprosjekt", primary_goal=goal(13))
    forum, other_forum = forum_create(alesund), forum_create(molde)
    kari, ola = commenter_create(display_name="Kari Nordmann"), commenter_create(display_name="Ola Vik")
    karis_topic = topic_create(alesund, title="Bysykler", author=kari)
    olas_topic = topic_create(alesund, title="Parker", author=ola)
    molde_topic = topic_create(molde, title="Ferjer", author=ola)
    comment = comment_create(karis_topic, author=kari, body="Fleire bysyklar!")
    urls = {
        "home": alesund.get_parent().url,
        "hub": alesund.url,
        "projects": index.url,
        "harbour": harbour.url,
        "bikes": bikes.url,
        "forum": forum.url,
        "karis topic": f"{forum.url}{karis_topic.pk}/",
        "olas topic": f"{forum.url}{olas_topic.pk}/",
        "fjordkraft": f"{directory.url}{fjordkraft.slug}/",
        "goal 13": "/goals/13/",
        "goal 5": "/goals/5/",
        "molde": molde.url,
        "molde projects": other_index.url,
        "molde project": molde_project.url,
        "molde topic": f"{other_forum.url}{molde_topic.pk}/",
    }
    objects = {
        "alesund": alesund,
        "harbour": harbour,
        "molde project": molde_project,
        "fjordkraft": fjordkraft,
        "kari": kari,
        "comment": comment,
        "karis topic": karis_topic,
    }
    return Country(urls=urls, objects=objects)


def _stale(client, urls: dict) -> set[str]:
    """The names of the pages that are not served from the cache (and are cached again by asking)."""
    stale = set()
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name} ({url}) answered {response.status_code}"
        assert CACHE_HEADER in response, f"{name} ({url}) is never cached"
        if response[CACHE_HEADER] == "miss":
            stale.add(name)
    return stale


def _warm(client, urls: dict) -> None:
    _stale(client, urls)
    assert _stale(client, urls) == set(), "every page is served from the cache once warm"


def _check(client, urls, *, stale: set[str], fresh: set[str]) -> None:
    found = _stale(client, urls)
    assert stale <= found, f"still served from the cache: {stale - found}"
    assert not (fresh & found), f"made stale for nothing: {fresh & found}"


MOLDE = {"molde", "molde projects", "molde project", "molde topic"}


def test_writes_make_stale_what_shows_them_and_nothing_in_another_hub_or_thread(client, country):
    urls, objects = country.urls, country.objects
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    _warm(client, urls)

    # A comment: its thread's page and the forum's list, not the other topics or projects.
    comment_create(objects["karis topic"], author=commenter_create(), body="Einig.")
    _check(
        client,
        urls,
        stale={"karis topic", "forum"},
        fresh={"olas topic", "harbour", "bikes", "home", "goal 13", "goal 5"} | MOLDE,
    )

    # A comment on a project: the project's page, not the other project, the topics or Molde.
    comment_create(Thread.objects.get(project=objects["harbour"]), body="Flott prosjekt.")
    _check(client, urls, stale={"harbour"}, fresh={"bikes", "karis topic", "olas topic", "goal 5"} | MOLDE)

    # A project edit: its page, its hub's lists, its goal's page, its partner's page, the front page.
    harbour = objects["harbour"]
    harbour.title = "Grønn havn og hamn"
    harbour.save_revision().publish()
    _check(
        client,
        urls,
        stale={"harbour", "hub", "projects", "goal 13", "fjordkraft", "home"},
        fresh={"goal 5"} | MOLDE,
    )

    # A project in the other hub: its hub and goal, nothing of Ålesund's.
    molde_project = objects["molde project"]
    molde_project.title = "Nytt namn i Molde"
    molde_project.save_revision().publish()
    _check(
        client,
        urls,
        stale={"molde project", "molde", "molde projects", "goal 13"},
        fresh={"hub", "projects", "harbour", "bikes", "forum", "karis topic", "olas topic", "fjordkraft", "goal 5"},
    )

    # An organisation renamed: its page, the directory's hub, the projects it takes part in.
    fjordkraft = objects["fjordkraft"]
    fjordkraft.name = "Fjordkraft Nord AS"
    fjordkraft.save()
    _check(client, urls, stale={"fjordkraft", "harbour", "hub"}, fresh={"goal 5"} | MOLDE)

    # A person renamed: the pages that show their name, and no others.
    kari = objects["kari"]
    kari.display_name = "Kari Nordmann Vik"
    kari.save(update_fields=["display_name"])
    pages = _stale(client, urls)
    assert {"karis topic", "forum"} <= pages
    assert not pages & ({"olas topic", "harbour", "bikes", "home", "goal 13", "goal 5"} | MOLDE)
    assert "Kari Nordmann Vik" in client.get(urls["karis topic"]).content.decode()

    # A login touches no page.
    kari.save(update_fields=["last_login"])
    assert _stale(client, urls) == set()


def test_news_events_progress_and_outcomes_make_stale_their_hubs_pages_and_not_the_other_hubs(client, country):
    urls, objects = country.urls, country.objects
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    alesund, harbour = objects["alesund"], objects["harbour"]
    news = news_index_create(hub=alesund)
    _warm(client, urls)

    # A news item, new and then edited: its hub's page and the front page, which lists every hub's
    # latest news.
    item = news_page_create(index=news, date="2026-11-30", title="Ny havneplan")
    _check(client, urls, stale={"hub", "home"}, fresh={"goal 13", "goal 5"} | MOLDE)
    item.title = "Ny havneplan vedtatt"
    item.save_revision().publish()
    _check(client, urls, stale={"hub", "home"}, fresh={"goal 13", "goal 5"} | MOLDE)
    assert "Ny havneplan vedtatt" in client.get(urls["home"]).content.decode()

    # An event: its hub's page (the next events), not the other hub or the goals.
    event_create(alesund, title="Havnedugnad")
    _check(client, urls, stale={"hub"}, fresh={"goal 5"} | MOLDE)

    # A progress update and an outcome: the project's page and its hub's list (reporting freshness).
    ProgressUpdate.objects.create(
        project=harbour, partner=objects["fjordkraft"], reported_on=date(2026, 11, 30), text="Kaia er ferdig."
    )
    _check(client, urls, stale={"harbour", "projects"}, fresh={"goal 5"} | MOLDE)
    outcome_create(harbour, title="Landstrøm")
    _check(client, urls, stale={"harbour"}, fresh={"goal 5"} | MOLDE)


def test_writes_that_no_public_page_shows_make_nothing_stale(client, country):
    urls, objects = country.urls, country.objects
    _warm(client, urls)
    comment, alesund = objects["comment"], objects["alesund"]
    reporter = commenter_create()

    CommentReport.objects.create(comment=comment, reporter=reporter, reason=ReportReason.SPAM)
    ModerationAction.objects.create(hub=alesund, actor=reporter, kind=ModerationActionKind.HIDE, comment=comment)
    partnership = objects["fjordkraft"].partnerships.get()
    PartnershipEvent.objects.create(
        partnership=partnership, from_status=PartnershipStatus.APPLIED, to_status=PartnershipStatus.APPROVED
    )

    assert _stale(client, urls) == set()


def test_every_model_of_a_content_app_is_classified():
    unknown = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in dependency.CONTENT_APPS and dependency.classification(model) == "unknown"
    ]
    assert unknown == [], "say in the app's content_dependencies.py what writes to these replace"


def test_a_model_nobody_classified_replaces_everything(monkeypatch):
    from events.models import Event

    monkeypatch.delitem(dependency._resolvers, Event)

    assert dependency.classification(Event) == "unknown"
    assert dependency.dependencies_of(Event(hub_id=1)) == {dependency.EVERYTHING}
    assert dependency.dependencies_of(CommentReport()) == set()
