"""Who may do what in the market dialogue, as a matrix of roles × actions, through the predicates and
the pages: who booked a one-to-one meeting is seen by the challenge's coordinators and evaluators and
the booking organisation only; everyone else sees how many slots are free and taken."""

import pytest

from challenges import permissions as p
from challenges.models import Phase, SlotSeries
from tests.challenges.dialogue_factories import book_a, book_b, meetings_over, series_create
from tests.challenges.factories import scene_create

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "citizen",
    "supplier_a",
    "a_colleague",
    "supplier_b",
    "evaluator",
    "coordinator",
    "other_coordinator",
    "staff",
)


@pytest.fixture
def world(settings):
    settings.DUGNAD_PAGE_CACHE = False
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene)
    a = book_a(scene, series)
    b = book_b(scene, series)
    users = {
        "anonymous": None,
        "citizen": scene.citizen,
        "supplier_a": scene.a_member,
        "a_colleague": scene.a_colleague,
        "supplier_b": scene.b_member,
        "evaluator": scene.evaluator,
        "coordinator": scene.coordinator,
        "other_coordinator": scene.other_coordinator,
        "staff": scene.staff,
    }
    return scene, users, series, a, b


def _expect(allowed: set[str]) -> dict[str, bool]:
    return {role: role in allowed for role in ROLES}


def _fresh(series) -> SlotSeries:
    return SlotSeries.objects.select_related("challenge__hub").get(pk=series.pk)


def test_the_dialogue_matrix_while_booking_is_open(world):
    scene, users, series, a, b = world
    challenge = scene.challenge
    verified = set(ROLES) - {"anonymous"}
    checks = {
        "create meeting or series": (lambda u: p.can_manage_dialogue(u, challenge), {"coordinator"}),
        "book": (lambda u: p.can_book_slot(u, series), verified - {"coordinator", "evaluator"}),
        "cancel A's booking": (lambda u: p.can_cancel_booking(u, a), {"supplier_a", "a_colleague"}),
        "cancel B's booking": (lambda u: p.can_cancel_booking(u, b), {"supplier_b"}),
        "see who booked every slot": (lambda u: p.can_see_bookings(u, challenge), {"coordinator", "evaluator"}),
        "see A's booking": (
            lambda u: p.can_see_booking(u, a),
            {"supplier_a", "a_colleague", "coordinator", "evaluator"},
        ),
        "see B's booking": (lambda u: p.can_see_booking(u, b), {"supplier_b", "coordinator", "evaluator"}),
        "publish summary (before the meetings)": (lambda u: p.can_publish_dialogue_summary(u, series), set()),
    }
    for action, (predicate, allowed) in checks.items():
        got = {role: predicate(users[role]) for role in ROLES}
        assert got == _expect(allowed), action


def test_the_dialogue_matrix_after_the_meetings(world):
    scene, users, series, a, b = world
    series = _fresh(meetings_over(series))
    a.refresh_from_db()
    a.series = series
    checks = {
        "book (closed)": (lambda u: p.can_book_slot(u, series), set()),
        "cancel A's booking (closed)": (lambda u: p.can_cancel_booking(u, a), set()),
        "see A's booking": (
            lambda u: p.can_see_booking(u, a),
            {"supplier_a", "a_colleague", "coordinator", "evaluator"},
        ),
        "publish summary": (lambda u: p.can_publish_dialogue_summary(u, series), {"coordinator"}),
    }
    for action, (predicate, allowed) in checks.items():
        got = {role: predicate(users[role]) for role in ROLES}
        assert got == _expect(allowed), action


def _login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def test_who_booked_is_confidential_on_every_page(client, world):
    scene, users, series, a, b = world
    challenge = scene.challenge
    sees = {
        "Leverandør A AS": {"supplier_a", "a_colleague", "coordinator", "evaluator"},
        "Leverandør B AS": {"supplier_b", "coordinator", "evaluator"},
    }
    for role in ROLES:
        _login(client, users[role])
        page = client.get(challenge.url).content.decode()
        assert 'data-free="2" data-taken="2"' in page, role
        series_page = client.get(f"{challenge.url}dialogue/slots/{series.pk}/")
        assert series_page.status_code == 200, role
        html = series_page.content.decode()
        assert 'data-free="2" data-taken="2"' in html, role
        for name, allowed in sees.items():
            assert (name in html) == (role in allowed), (role, name)
            assert name not in page, (role, name)  # the challenge page shows counts and one's own time only


def test_only_coordinators_reach_the_coordinators_pages(client, world):
    scene, users, series, a, b = world
    urls = [
        f"{scene.challenge.url}dialogue/meetings/new/",
        f"{scene.challenge.url}dialogue/slots/new/",
        f"{scene.challenge.url}dialogue/slots/{series.pk}/summary/",
    ]
    for role in ROLES:
        _login(client, users[role])
        for url in urls:
            status = client.get(url).status_code
            if role == "anonymous":
                assert status == 302, (role, url)
            elif role == "coordinator":
                assert status == (403 if url.endswith("summary/") else 200), (role, url)  # summary: after the meetings
            else:
                assert status == 404, (role, url, status)
            if role not in ("anonymous", "coordinator"):
                assert client.post(url, {"title": "x", "summary": "x"}).status_code == 404, (role, url)


def test_nobody_cancels_another_organisations_booking(client, world):
    scene, users, series, a, b = world
    url = f"{scene.challenge.url}dialogue/slots/{series.pk}/cancel/"
    for role in ("citizen", "evaluator", "coordinator", "other_coordinator", "staff"):
        _login(client, users[role])
        assert client.post(url).status_code == 404, role
    assert series.bookings.count() == 2
    _login(client, users["a_colleague"])
    assert client.post(url).status_code == 302
    assert list(series.bookings.values_list("organisation_name", flat=True)) == ["Leverandør B AS"]
