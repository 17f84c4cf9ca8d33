"""Which dependency keys (``cms.dependency``) writes to challenges replace: the hub's pages (its
lists and the challenge's own pages, routes of the hub), the challenge's goal's page and the page
of the project it became. Submissions, their scores and the evaluators' work are confidential."""

from challenges.models import (
    Attachment,
    Challenge,
    ChallengeDocument,
    ChallengeFollow,
    Criterion,
    DecisionLogEntry,
    Declaration,
    DialogueMeeting,
    Evaluator,
    MeetingSlot,
    PhaseDate,
    Question,
    Requirement,
    RequirementAnswer,
    Score,
    SlotBooking,
    SlotSeries,
    Submission,
)
from cms import dependency
from cms.content_dependencies import goal_keys, hub_item_keys


def challenge_keys(challenge: Challenge) -> set[str]:
    return hub_item_keys(challenge) | goal_keys([challenge.primary_goal_id])


def _by_id(challenge_id) -> set[str]:
    challenge = Challenge.objects.filter(pk=challenge_id).only("pk", "hub_id", "primary_goal_id", "project_id").first()
    return challenge_keys(challenge) if challenge is not None else set()


dependency.register(Challenge, challenge_keys)
for _model in (
    PhaseDate,
    ChallengeDocument,
    Requirement,
    Question,
    Criterion,
    DecisionLogEntry,
    DialogueMeeting,
    SlotSeries,
):
    dependency.register(_model, lambda item: _by_id(item.challenge_id))
# A submission shows in the challenge's counts; its content never.
dependency.register(Submission, lambda submission: _by_id(submission.challenge_id))
dependency.register(
    MeetingSlot,
    lambda slot: _by_id(SlotSeries.objects.filter(pk=slot.series_id).values_list("challenge_id", flat=True).first()),
)
dependency.register(
    SlotBooking,
    lambda booking: _by_id(
        SlotSeries.objects.filter(pk=booking.series_id).values_list("challenge_id", flat=True).first()
    ),
)
dependency.never_public(ChallengeFollow, RequirementAnswer, Attachment, Evaluator, Declaration, Score)
