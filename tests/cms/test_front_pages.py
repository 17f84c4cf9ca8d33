"""The site's front page and a hub's page: the hubs' numbers, the shared cards, the partner logo
frame, and query counts that stay flat as hubs, projects and partners grow."""

import re

import pytest

from cms.models import NewsIndexPage
from partners.models import PartnershipStatus
from projects.models import ProjectIndexPage
from projects.selectors import hub_overviews
from projects.templatetags import project_tags
from tests.cms.factories import hub_page_create, image_create, news_index_create, news_page_create, user_create
from tests.cms.page_queries import warmed_queries
from tests.partners.factories import logo_image_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def _hub_with_content(home, *, projects, partners, news=1, with_logos=True):
    hub = hub_page_create(parent=home)
    index = project_index_create(hub)
    partner_index_create(hub)
    for number in range(projects):
        project_create(index, primary_goal=goal(1 + number % 17), goals=[goal(17)])
    for _ in range(partners):
        partner = partner_create(logo=logo_image_create() if with_logos else None)
        partnership_create(partner=partner, hub=hub)
    news_index = news_index_create(hub=hub)
    for day in range(news):
        news_page_create(index=news_index, date=f"2026-03-{day + 1:02d}")
    return hub


def test_hub_overviews_count_each_hubs_partners_projects_and_goals(home):
    first = _hub_with_content(home, projects=3, partners=2, with_logos=False)
    second = _hub_with_content(home, projects=1, partners=0)
    applied = partner_create()
    partnership_create(partner=applied, hub=second, status=PartnershipStatus.APPLIED)
    draft_index = project_index_create(second, slug="more")
    project_create(draft_index, primary_goal=goal(5), live=False)

    rows = {row.hub.pk: row for row in hub_overviews([first, second])}

    assert (rows[first.pk].partner_count, rows[first.pk].project_count) == (2, 3)
    assert [g.number for g in rows[first.pk].goals] == [1, 2, 3, 17]
    assert rows[first.pk].goal_count == 4
    # An application is not a partnership yet, and a draft is not a project anyone can see.
    assert (rows[second.pk].partner_count, rows[second.pk].project_count) == (0, 1)
    assert [g.number for g in rows[second.pk].goals] == [1, 17]
    assert rows[first.pk].propose_url == f"{first.url}projects/propose/"
    assert rows[first.pk].apply_url == f"{first.url}partners/apply/"


def test_the_front_page_says_what_dugnad_is_and_shows_each_hub_with_its_numbers(client, home):
    hub = _hub_with_content(home, projects=2, partners=1)

    html = client.get(home.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Dugnad is where a municipality" in html
    card = html[html.index('class="ds-card dg-card hub-card"') :].split("</article>", 1)[0]
    assert re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", card) == [("Partners", "1"), ("Projects", "2"), ("Goals", "3")]
    assert f'href="{hub.url}projects/propose/"' in html  # one hub: the next steps go straight to it
    assert html.count('class="ds-card dg-card project-card"') == 2, "the latest projects across hubs"
    assert 'class="ds-card dg-card news-card"' in html


def test_the_front_page_query_count_does_not_grow_with_hubs_projects_and_partners(client, home):
    _hub_with_content(home, projects=1, partners=1)
    small, _ = warmed_queries(client, home.url)
    for _ in range(3):
        _hub_with_content(home, projects=4, partners=3, news=2)

    large, html = warmed_queries(client, home.url)

    assert html.count('class="ds-card dg-card hub-card"') == 4
    assert large <= small, f"{small} queries for one hub, {large} for four"


def test_the_hub_page_query_count_does_not_grow_with_projects_and_partners(client, home):
    hub = _hub_with_content(home, projects=1, partners=1)
    small, _ = warmed_queries(client, hub.url)
    index = hub.get_children().type(project_index_create(hub, slug="second").__class__).first().specific
    for number in range(6):
        project_create(index, primary_goal=goal(2 + number))
    for _ in range(8):
        partnership_create(partner=partner_create(logo=logo_image_create()), hub=hub)

    large, html = warmed_queries(client, hub.url)

    assert html.count('class="logo-frame"') == 9
    assert large <= small, f"{small} queries with one project and partner, {large} with many"


def test_the_hub_page_leads_with_the_hub_and_stays_cacheable(client, home):
    hub = _hub_with_content(home, projects=2, partners=1)
    hub.hero_image = image_create()
    hub.save()

    html = client.get(hub.url).content.decode()

    facts = html[html.index('class="ds-card dg-lead__aside hub-facts"') :].split("</aside>", 1)[0]
    assert re.findall(r'class="goal-icon goal-colour-(\d+)" data-size="sm"', facts) == ["1", "2", "17"]
    assert "csrfmiddlewaretoken" not in html, "a form with a token would keep the page out of the cache"
    for tag in re.findall(r"<img [^>]*>", html):
        assert ' width="' in tag and ' height="' in tag, tag


def test_a_project_card_without_a_picture_shows_its_goal_colour_and_number(client, home):
    hub = _hub_with_content(home, projects=0, partners=0)
    index = hub.get_children().first().specific
    project_create(index, primary_goal=goal(7))

    html = client.get(hub.url).content.decode()

    media = html[html.index('class="dg-card__media"') :].split("</div>", 1)[0]
    assert 'class="dg-card__fallback goal-colour-7" aria-hidden="true"' in media
    assert '<span class="dg-card__fallback-number">7</span>' in media


def test_the_logo_frame_gives_a_partner_without_a_logo_a_letter_tile(client, home):
    hub = _hub_with_content(home, projects=0, partners=0)
    partnership_create(partner=partner_create(name="Åsen idrettslag"), hub=hub)

    html = client.get(hub.url).content.decode()

    assert '<span class="logo-frame logo-frame--letter" aria-hidden="true">Å</span>' in html


def test_hub_overviews_follow_a_new_project_and_partnership(home):
    """The numbers come from the versioned cache: a write in the hub must show at once."""
    hub = _hub_with_content(home, projects=1, partners=1, with_logos=False)
    assert [(row.partner_count, row.project_count) for row in hub_overviews([hub])] == [(1, 1)]

    project_create(ProjectIndexPage.objects.child_of(hub).get(), primary_goal=goal(9))
    partnership_create(partner=partner_create(), hub=hub)

    (row,) = hub_overviews([hub])
    assert (row.partner_count, row.project_count) == (2, 2)
    assert 9 in [g.number for g in row.goals]


def test_with_more_hubs_than_cards_the_front_page_lists_the_rest_by_name(client, home, monkeypatch):
    monkeypatch.setattr(project_tags, "FRONT_PAGE_HUB_CARDS", 2)
    busy = _hub_with_content(home, projects=3, partners=0, news=0)
    quiet = [_hub_with_content(home, projects=count, partners=0, news=0) for count in (2, 0)]

    html = client.get(home.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    cards = re.findall(r'class="ds-card dg-card hub-card">.*?<h3[^>]*><a class="ds-link" href="([^"]+)"', html, re.S)
    assert cards == [busy.url, quiet[0].url], "the two with the most projects, busiest first"
    assert "3 collaboration centres. The most active are shown here" in html
    listed = html[html.index('<ul class="hub-index">') :].split("</ul>", 1)[0]
    assert sorted(re.findall(r'href="([^"]+)"', listed)) == sorted([busy.url, *(hub.url for hub in quiet)])


def test_with_fewer_hubs_than_cards_there_is_no_list_by_name(client, home):
    _hub_with_content(home, projects=1, partners=0, news=0)

    html = client.get(home.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'class="hub-index"' not in html
    assert "The most active are shown here" not in html


def test_a_members_hub_and_front_page_come_from_the_public_parts_and_show_a_new_news_item(client, home):
    """Members get no cached pages; the public parts of these two pages are kept for them, and a
    news item published in the hub renews both (the front page lists every hub's news)."""
    hub = _hub_with_content(home, projects=2, partners=2, news=1)
    client.force_login(user_create())
    first_hub, _ = warmed_queries(client, hub.url)
    first_home, _ = warmed_queries(client, home.url)
    for _ in range(3):
        _hub_with_content(home, projects=2, partners=2, news=0)

    news_page_create(index=NewsIndexPage.objects.child_of(hub).get(), date="2026-11-30", title="Fersk nyhet")

    for url, before in ((hub.url, first_hub), (home.url, first_home)):
        queries, html = warmed_queries(client, url)
        assert "Fersk nyhet" in html, url
        assert queries <= before, f"{url}: {before} queries, then {queries}"
