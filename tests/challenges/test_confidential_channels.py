"""Submissions reach nobody else by any other road: not site search, the API, feeds, open data
pages, the project the award becomes, or other people's notifications; and the notifications that
follow a challenge are the right ones."""

import pytest

from challenges import services
from challenges.models import Phase
from notifications.emails import notification_text
from notifications.models import EventKind, Notification
from tests.challenges.factories import close_deadline, scene_create, submit_a, submit_b

pytestmark = pytest.mark.django_db


def _score_all(scene, a, b):
    for submission in (a, b):
        services.declaration_make(actor=scene.evaluator, submission=submission, conflict=False)
        services.declaration_make(actor=scene.lead_evaluator, submission=submission, conflict=False)
    criteria = list(scene.challenge.criteria.all())
    for evaluator, values in ((scene.evaluator, {a: 9, b: 4}), (scene.lead_evaluator, {a: 8, b: 6})):
        for submission, value in values.items():
            for criterion in criteria:
                services.score_set(
                    actor=evaluator,
                    submission=submission,
                    criterion=criterion,
                    value=value,
                    justification="HEMMELIG-BEGRUNNELSE",
                )


def test_followers_hear_of_answers_and_phases_and_submitters_only_their_own_scores(
    client, settings, django_capture_on_commit_callbacks
):
    settings.DUGNAD_PAGE_CACHE = False
    scene = scene_create(phase=Phase.DIALOGUE)
    services.challenge_follow(actor=scene.citizen, challenge=scene.challenge)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(actor=scene.b_member, challenge=scene.challenge, text="Hvor mange?")
    assert not Notification.objects.filter(recipient=scene.citizen).exists()  # not until it is published
    with django_capture_on_commit_callbacks(execute=True):
        services.question_publish(actor=scene.coordinator, question=question, answer="Tolv.")
    told = set(Notification.objects.filter(kind=EventKind.CHALLENGE).values_list("recipient_id", flat=True))
    assert told == {scene.citizen.pk, scene.b_member.pk}  # the asker follows by asking
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_phase_set(actor=scene.coordinator, challenge=scene.challenge, phase=Phase.COMPETITION)
    assert Notification.objects.filter(recipient=scene.citizen, data__subject="phase").count() == 1
    a, b = submit_a(scene), submit_b(scene)
    close_deadline(scene)
    _score_all(scene, a, b)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.award_decide(
            actor=scene.lead_evaluator,
            challenge=scene.challenge,
            submission=a,
            reasons="Best på kvalitet.",
            summary="Sensorer i kryssene.",
        )
    won = Notification.objects.get(recipient=scene.a_member, data__subject="won")
    result = Notification.objects.get(recipient=scene.b_member, data__subject="result")
    text = notification_text(result)
    assert "5.00" in text and "Best på kvalitet." in text
    assert "8.50" not in text  # the winner's total is not theirs to see
    assert "won" in notification_text(won)
    everything = " ".join(str(n.data) for n in Notification.objects.all())
    assert "HEMMELIG" not in everything
    assert Notification.objects.filter(recipient=scene.citizen, data__subject="phase", data__phase="awarded").exists()

    # Nowhere public: search, API, feeds, the award's project, the open data pages.
    assert challenge.project is not None
    assert "HEMMELIG" not in str(challenge.project.body)
    urls = [
        "/search/?q=HEMMELIG",
        f"/search/?q=HEMMELIG&hub={scene.hub.pk}",
        "/api/v1/hubs",
        "/api/v1/partners",
        "/api/v1/projects",
        "/api/v1/progress-updates",
        "/projects/goals/11/feed/",
        f"{scene.hub.url}projects/feed/",
        f"{scene.hub.url}challenges/",
        challenge.url,
        "/opendata/",
    ]
    for user in (None, scene.citizen, scene.coordinator):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert b"HEMMELIG-" not in body, url  # the search page repeats the query itself
    client.logout()
    page = client.get(challenge.url).content.decode()
    assert "Leverandør A AS" in page and "Sensorer i kryssene." in page  # the award is public
    assert "Leverandør B AS" not in page
