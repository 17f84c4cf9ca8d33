"""Follow buttons on project, thread, partner, goal and hub pages (plain forms, no JavaScript needed),
and "What I follow"."""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from discussions import services as discussions
from notifications import services
from notifications.models import Follow, FollowTarget
from tests.notifications.factories import citizen_create, follow_create
from tests.partners.factories import partner_index_create
from tests.projects.factories import goal, project_create

pytestmark = pytest.mark.django_db


@dataclass
class Place:
    kind: str
    target: object
    url: str


def _places(scene) -> dict[str, Place]:
    """The page of each kind of target in the scene."""
    directory = partner_index_create(scene.hub)
    thirteen = goal(13)
    return {
        "project": Place(FollowTarget.PROJECT, scene.project, scene.project.url),
        "forum topic": Place(FollowTarget.THREAD, scene.topic, f"{scene.forum.url}{scene.topic.pk}/"),
        "partner": Place(FollowTarget.PARTNER, scene.lead, f"{directory.url}{scene.lead.slug}/"),
        "goal": Place(FollowTarget.GOAL, thirteen, thirteen.get_absolute_url()),
        "hub": Place(FollowTarget.HUB, scene.hub, scene.hub.url),
    }


PLACES = ["project", "forum topic", "partner", "goal", "hub"]


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _logged_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return _english(client)


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _follow_url(place: Place, action: str = "follow") -> str:
    return reverse(f"notifications:{action}", args=[place.kind, place.target.pk])


def _following(user, target) -> bool:
    field = {"project": "project", "thread": "thread", "partner": "partner", "goal": "goal", "hub": "hub"}
    kind = services.target_kind(target)
    return Follow.objects.filter(user=user, active=True, **{field[kind]: target}).exists()


@pytest.mark.parametrize("where", PLACES)
def test_anonymous_visitors_get_a_login_link_and_no_csrf_token(scene, where):
    place = _places(scene)[where]
    response = _english(Client()).get(place.url)
    html = response.content.decode()

    assert response.status_code == 200
    login = f"{reverse('account_login')}?next={place.url.replace('/', '%2F')}"
    assert f'href="{login}"' in html
    assert "Log in to follow" in html
    # The page is the same for every anonymous visitor and may be cached: no token, no cookie.
    assert "csrfmiddlewaretoken" not in html
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert _follow_url(place) not in html


@pytest.mark.parametrize("where", PLACES)
def test_following_with_a_plain_form_post_and_stopping_again(scene, where):
    place = _places(scene)[where]
    carol = citizen_create()
    client = _logged_in(carol)

    page = client.get(place.url).content.decode()
    assert f'action="{_follow_url(place)}"' in page
    assert "Log in to follow" not in page

    response = client.post(_follow_url(place), {"next": place.url})
    assert (response.status_code, response["Location"]) == (303, place.url)
    assert _following(carol, place.target)

    page = client.get(place.url).content.decode()
    assert f'action="{_follow_url(place, "unfollow")}"' in page
    assert f'action="{_follow_url(place)}"' not in page
    assert re.search(r"You follow this (project|discussion|partner|goal|hub)", page)
    assert "You now follow" in page  # the message after the redirect

    response = client.post(_follow_url(place, "unfollow"), {"next": place.url})
    assert (response.status_code, response["Location"]) == (303, place.url)
    assert not _following(carol, place.target)
    assert f'action="{_follow_url(place)}"' in client.get(place.url).content.decode()


def test_the_form_needs_its_csrf_token(scene):
    place = _places(scene)["project"]
    carol = citizen_create()
    client = _logged_in(carol, enforce_csrf_checks=True)

    assert client.post(_follow_url(place), {"next": place.url}).status_code == 403
    assert not _following(carol, place.target)

    token = _csrf_token(client.get(place.url).content.decode())
    response = client.post(_follow_url(place), {"next": place.url, "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert _following(carol, place.target)


def test_anonymous_posts_and_gets_change_nothing(scene):
    place = _places(scene)["project"]
    response = Client().post(_follow_url(place), {"next": place.url})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Follow.objects.exists()

    carol = citizen_create()
    assert _logged_in(carol).get(_follow_url(place)).status_code == 405
    assert not Follow.objects.exists()


def test_nobody_follows_what_they_cannot_see_and_unknown_targets_are_not_found(scene):
    draft = project_create(scene.index, title="Hemmelig", live=False, lead_partner=scene.lead)
    carol = citizen_create()
    client = _logged_in(carol)

    assert client.post(reverse("notifications:follow", args=["project", draft.pk])).status_code == 404
    assert client.post(reverse("notifications:follow", args=["project", 10**9])).status_code == 404
    assert client.post(reverse("notifications:follow", args=["planet", scene.project.pk])).status_code == 404
    assert not Follow.objects.filter(user=carol).exists()

    # The draft's own people may follow it.
    lead_client = _logged_in(scene.lead_member)
    assert lead_client.post(reverse("notifications:follow", args=["project", draft.pk])).status_code == 303
    assert _following(scene.lead_member, draft)


def test_next_must_stay_on_the_site(scene):
    place = _places(scene)["goal"]
    client = _logged_in(citizen_create())
    response = client.post(_follow_url(place), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:following")


def test_an_automatic_follow_undone_on_the_page_stays_undone(scene, django_capture_on_commit_callbacks, settings):
    settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS = 0
    carol = citizen_create()
    with django_capture_on_commit_callbacks(execute=True):
        discussions.comment_post(actor=carol, thread=scene.topic, body="Første gang her.")
    assert Follow.objects.get(user=carol, thread=scene.topic).automatic

    place = _places(scene)["forum topic"]
    client = _logged_in(carol)
    assert f'action="{_follow_url(place, "unfollow")}"' in client.get(place.url).content.decode()
    client.post(_follow_url(place, "unfollow"), {"next": place.url})

    with django_capture_on_commit_callbacks(execute=True):
        discussions.comment_post(actor=carol, thread=scene.topic, body="Og igjen.")
    assert not _following(carol, scene.topic)
    assert f'action="{_follow_url(place)}"' in client.get(place.url).content.decode()


def test_a_projects_discussion_is_followed_with_it_and_can_be_stopped_alone(scene):
    carol = citizen_create()
    client = _logged_in(carol)
    project_follow = reverse("notifications:follow", args=["project", scene.project.pk])
    thread_follow = reverse("notifications:follow", args=["thread", scene.thread.pk])
    thread_unfollow = reverse("notifications:unfollow", args=["thread", scene.thread.pk])

    page = client.get(scene.project.url).content.decode()
    assert f'action="{project_follow}"' in page
    assert f'action="{thread_follow}"' in page

    client.post(project_follow)
    page = client.get(scene.project.url).content.decode()
    assert "You follow this project" in page
    assert "You follow this discussion" in page  # through the project
    assert f'action="{thread_unfollow}"' in page

    client.post(thread_unfollow)
    page = client.get(scene.project.url).content.decode()
    assert "You follow this project" in page
    assert "You follow this discussion" not in page
    assert f'action="{thread_follow}"' in page


# --- What I follow -------------------------------------------------------------------------------


def _section(html: str, heading: str) -> str:
    """The part of the page from the heading ``heading`` to the next section."""
    start = html.index(f">{heading}</h2>")
    end = html.find("</section>", start)
    return html[start:end]


def test_what_i_follow_lists_each_kind_under_its_heading_with_a_stop_button(scene):
    carol = citizen_create()
    places = _places(scene)
    for where in PLACES:
        follow_create(carol, places[where].target)
    follow_create(carol, scene.thread, automatic=True)
    follow_create(carol, goal(7), active=False)  # stopped: not listed
    follow_create(citizen_create(), goal(5))  # someone else's

    client = _logged_in(carol)
    html = client.get(reverse("notifications:following")).content.decode()

    assert re.findall(r'<h2 [^>]*id="following-(\w+)"', html) == ["project", "thread", "partner", "goal", "hub"]
    projects = _section(html, "Projects")
    assert f'href="{scene.project.url}"' in projects and "Grønn havn" in projects
    discussions_ = _section(html, "Discussions")
    assert "Sykkelveier" in discussions_
    assert reverse("discussions:thread", args=[scene.topic.pk]) in discussions_
    assert "(followed automatically)" in discussions_
    assert f'href="{places["partner"].url}"' in _section(html, "Partners")
    goals = _section(html, "Goals")
    assert 'href="/goals/13/"' in goals
    assert "/goals/7/" not in goals and "/goals/5/" not in goals
    assert f'href="{scene.hub.url}"' in _section(html, "Hubs")
    assert html.count("Stop following") == 6

    # Stopping from the list comes back to the list, without the item.
    response = client.post(
        reverse("notifications:unfollow", args=["goal", goal(13).pk]), {"next": reverse("notifications:following")}
    )
    assert response["Location"] == reverse("notifications:following")
    html = client.get(reverse("notifications:following")).content.decode()
    assert "Goals" not in re.findall(r"<h2 [^>]*>([^<]+)</h2>", html)
    assert html.count("Stop following") == 5


def test_what_i_follow_is_for_logged_in_people_and_says_when_there_is_nothing(scene):
    response = Client().get(reverse("notifications:following"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))

    html = _logged_in(citizen_create()).get(reverse("notifications:following")).content.decode()
    assert "You do not follow anything yet." in html


def test_what_i_follow_costs_the_same_queries_for_few_and_many_follows(scene, django_assert_max_num_queries):
    directory = partner_index_create(scene.hub)
    assert directory.live
    carol = citizen_create()
    client = _logged_in(carol)
    url = reverse("notifications:following")

    def count() -> int:
        client.get(url)  # warm the per-version caches
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    follow_create(carol, scene.project)
    follow_create(carol, scene.lead)
    follow_create(carol, goal(1))
    few = count()
    for number in range(2, 18):
        follow_create(carol, goal(number))
    for index in range(8):
        follow_create(carol, project_create(scene.index, title=f"Prosjekt {index}"))
    follow_create(carol, scene.participant)
    follow_create(carol, scene.topic)
    follow_create(carol, scene.hub)
    assert count() == few
