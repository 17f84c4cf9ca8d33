"""Who may do what with challenges: the one place these rules live.

Confidentiality of submissions (the procurement rules): a submission's contents are for its own
organisation (the submitter, and the people of the partner it was sent for or of a partner with
the same organisation number) and the challenge's evaluators. A coordinator of the hub who is not an
evaluator sees that submissions exist and how many, never their contents or scores; site
administrators and staff are no exception. The award is decided by a coordinator of the hub who is
also one of the challenge's evaluators.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from challenges.models import (
    Challenge,
    Declaration,
    Evaluator,
    Phase,
    Publication,
    Question,
    SlotBooking,
    SlotSeries,
    Submission,
)
from cms.permissions import is_hub_coordinator
from discussions.permissions import has_verified_email
from ideas.models import Idea
from partners.models import PartnerMember, Partnership, PartnershipStatus

AnyUser = AbstractBaseUser | AnonymousUser | None

OPEN_FOR_QUESTIONS = (Phase.NEED, Phase.DIALOGUE, Phase.COMPETITION)


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_coordinator(user: AnyUser, challenge: Challenge) -> bool:
    return is_hub_coordinator(user, challenge.hub)


def is_owner_member(user: AnyUser, challenge: Challenge) -> bool:
    """Acts for the municipal partner that owns the challenge."""
    return (
        _active(user)
        and challenge.owner_partner_id is not None
        and PartnerMember.objects.filter(user=user, partner_id=challenge.owner_partner_id).exists()
    )


def can_view_challenge(user: AnyUser, challenge: Challenge) -> bool:
    if challenge.is_published:
        return True
    return (
        is_coordinator(user, challenge)
        or is_owner_member(user, challenge)
        or (_active(user) and challenge.created_by_id == user.pk)
    )


def can_edit_challenge(user: AnyUser, challenge: Challenge) -> bool:
    """Coordinators always; the owning partner's people while it is not yet published."""
    return is_coordinator(user, challenge) or (not challenge.is_published and is_owner_member(user, challenge))


def _approved_here(partner_id, hub) -> bool:
    return Partnership.objects.filter(partner_id=partner_id, hub=hub, status=PartnershipStatus.APPROVED).exists()


def can_create_challenge(user: AnyUser, hub) -> bool:
    """Coordinators, and the people of any partner approved in the hub (they draft; coordinators publish)."""
    if is_hub_coordinator(user, hub):
        return True
    return (
        _active(user)
        and PartnerMember.objects.filter(
            user=user, partner__partnerships__hub=hub, partner__partnerships__status=PartnershipStatus.APPROVED
        ).exists()
    )


def can_own_challenge(user: AnyUser, hub, partner) -> bool:
    """Whether ``user`` may name ``partner`` (or None) as the challenge's owner: coordinators any
    partner approved in the hub, or none; a partner's people only their own approved partner."""
    if partner is None:
        return is_hub_coordinator(user, hub)
    if not _approved_here(partner.pk, hub):
        return False
    return is_hub_coordinator(user, hub) or (
        _active(user) and PartnerMember.objects.filter(user=user, partner=partner).exists()
    )


def can_submit_for_approval(user: AnyUser, challenge: Challenge) -> bool:
    """A draft goes to the coordinators from whoever may edit it."""
    return challenge.publication == Publication.DRAFT and can_edit_challenge(user, challenge)


def can_manage_documents(user: AnyUser, challenge: Challenge) -> bool:
    return can_edit_challenge(user, challenge)


def may_set_criteria(user: AnyUser, challenge: Challenge) -> bool:
    """Who writes the criteria (the deadline aside): coordinators, and the owner's people in a draft."""
    return is_coordinator(user, challenge) or (not challenge.is_published and is_owner_member(user, challenge))


def can_set_criteria(user: AnyUser, challenge: Challenge) -> bool:
    """Criteria are locked once the deadline has passed, for everyone."""
    return may_set_criteria(user, challenge) and not challenge.deadline_passed


def can_assign_evaluators(user: AnyUser, challenge: Challenge) -> bool:
    """Evaluators read business secrets: only the hub's coordinators choose them."""
    return is_coordinator(user, challenge)


def can_turn_idea_into_challenge(user: AnyUser, idea: Idea) -> bool:
    """A coordinator of the idea's hub, for a visible idea that has no challenge yet."""
    return (
        is_hub_coordinator(user, idea.hub)
        and not idea.is_hidden
        and not Challenge.objects.filter(source_idea=idea).exists()
    )


def can_publish_challenge(user: AnyUser, challenge: Challenge) -> bool:
    return is_coordinator(user, challenge)


def can_follow_challenge(user: AnyUser, challenge: Challenge) -> bool:
    return _active(user) and challenge.is_published


def can_ask_question(user: AnyUser, challenge: Challenge) -> bool:
    """Any logged-in account with a verified e-mail, while the challenge is open for dialogue."""
    return challenge.is_published and challenge.phase in OPEN_FOR_QUESTIONS and has_verified_email(user)


def can_view_question(user: AnyUser, question: Question) -> bool:
    if question.is_published:
        return can_view_challenge(user, question.challenge)
    return (_active(user) and question.asker_id == user.pk) or is_coordinator(user, question.challenge)


def can_answer_question(user: AnyUser, challenge: Challenge) -> bool:
    return is_coordinator(user, challenge)


def is_evaluator(user: AnyUser, challenge: Challenge) -> bool:
    return _active(user) and Evaluator.objects.filter(challenge=challenge, user=user).exists()


def user_organisation_numbers(user: AnyUser) -> set[str]:
    if not _active(user):
        return set()
    return set(
        PartnerMember.objects.filter(user=user)
        .exclude(partner__organisation_number="")
        .values_list("partner__organisation_number", flat=True)
    )


def has_conflict(user: AnyUser, submission: Submission) -> bool:
    return _active(user) and Declaration.objects.filter(submission=submission, evaluator=user, conflict=True).exists()


def is_submission_owner(user: AnyUser, submission: Submission) -> bool:
    """The submitter or a colleague: a person of the submission's partner or of one with its number."""
    if not _active(user):
        return False
    if submission.submitter_id == user.pk:
        return True
    if submission.partner_id and PartnerMember.objects.filter(user=user, partner_id=submission.partner_id).exists():
        return True
    return submission.organisation_number in user_organisation_numbers(user)


def can_submit(user: AnyUser, challenge: Challenge) -> bool:
    """Verified accounts (a partner's people, or suppliers giving an organisation number) during the
    competition, until the deadline."""
    return (
        challenge.is_published
        and challenge.phase == Phase.COMPETITION
        and not challenge.deadline_passed
        and has_verified_email(user)
    )


def can_edit_submission(user: AnyUser, submission: Submission) -> bool:
    return is_submission_owner(user, submission) and can_submit(user, submission.challenge)


def can_view_submission(user: AnyUser, submission: Submission) -> bool:
    """Its organisation, and the evaluators, except one who declared a conflict of interest for it."""
    if is_submission_owner(user, submission):
        return True
    return is_evaluator(user, submission.challenge) and not has_conflict(user, submission)


def can_list_submissions(user: AnyUser, challenge: Challenge) -> bool:
    """The full list (organisations and contents): evaluators only."""
    return is_evaluator(user, challenge)


def can_count_submissions(user: AnyUser, challenge: Challenge) -> bool:
    """That submissions exist, and how many: also the hub's coordinators."""
    return is_evaluator(user, challenge) or is_coordinator(user, challenge)


def can_declare(user: AnyUser, submission: Submission) -> bool:
    return is_evaluator(user, submission.challenge) and submission.challenge.deadline_passed


def can_score(user: AnyUser, submission: Submission) -> bool:
    """An evaluator who has declared no conflict for this submission, after the deadline, before the award."""
    challenge = submission.challenge
    return (
        is_evaluator(user, challenge)
        and challenge.deadline_passed
        and challenge.awarded_submission_id is None
        and Declaration.objects.filter(submission=submission, evaluator=user, conflict=False).exists()
    )


def can_see_scores(user: AnyUser, challenge: Challenge) -> bool:
    return is_evaluator(user, challenge)


def can_manage_evaluation(user: AnyUser, challenge: Challenge) -> bool:
    """Criteria and evaluators: the hub's coordinators."""
    return is_coordinator(user, challenge)


def can_decide_award(user: AnyUser, challenge: Challenge) -> bool:
    return is_coordinator(user, challenge) and is_evaluator(user, challenge) and challenge.deadline_passed


def can_see_award(user: AnyUser, challenge: Challenge) -> bool:
    return can_view_challenge(user, challenge) and challenge.awarded_submission_id is not None


# --- Market dialogue: meetings and one-to-one slots ----------------------------------------------
#
# Who booked a slot is business-confidential (like a submission, a booking tells competitors who is
# interested): seen by the challenge's coordinators and evaluators and the booking organisation's
# people. Everyone else sees only how many slots are free and taken.


def can_manage_dialogue(user: AnyUser, challenge: Challenge) -> bool:
    """Attach dialogue meetings and create series of one-to-one slots: the hub's coordinators."""
    return is_coordinator(user, challenge)


def can_book_slot(user: AnyUser, series: SlotSeries) -> bool:
    """A supplier with a verified account (for an organisation with a number), while booking is open.
    The buyer's side (the hub's coordinators, the challenge's evaluators) does not book."""
    challenge = series.challenge
    return (
        challenge.is_published
        and series.booking_open
        and has_verified_email(user)
        and not is_coordinator(user, challenge)
        and not is_evaluator(user, challenge)
    )


def is_booking_owner(user: AnyUser, booking: SlotBooking) -> bool:
    """The booker or a colleague: a person of the booking's partner or of one with its number."""
    if not _active(user):
        return False
    if booking.booker_id == user.pk:
        return True
    if booking.partner_id and PartnerMember.objects.filter(user=user, partner_id=booking.partner_id).exists():
        return True
    return booking.organisation_number in user_organisation_numbers(user)


def can_cancel_booking(user: AnyUser, booking: SlotBooking) -> bool:
    """The booking organisation, until booking closes (the same cut-off for everyone)."""
    return is_booking_owner(user, booking) and booking.series.booking_open


def can_see_bookings(user: AnyUser, challenge: Challenge) -> bool:
    """Who booked every slot: the hub's coordinators and the challenge's evaluators."""
    return is_coordinator(user, challenge) or is_evaluator(user, challenge)


def can_see_booking(user: AnyUser, booking: SlotBooking) -> bool:
    return can_see_bookings(user, booking.series.challenge) or is_booking_owner(user, booking)


def can_publish_dialogue_summary(user: AnyUser, series: SlotSeries) -> bool:
    """The hub's coordinators, once the last meeting of the series has ended."""
    return is_coordinator(user, series.challenge) and series.meetings_over
