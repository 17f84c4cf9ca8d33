"""Reads about challenges that are more than one line: public lists, the questions a person may see,
the ranking. Callers check permission first (``challenges.permissions``)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from challenges.models import Challenge, Declaration, Publication, Question, Score, Submission
from challenges.permissions import is_coordinator
from cms.permissions import is_hub_coordinator
from partners.models import PartnerMember


def published_challenges(hub):
    return Challenge.objects.filter(hub=hub, publication=Publication.PUBLISHED).select_related("owner_partner")


def drafts_for(user, hub):
    """Unpublished challenges the person may open (``permissions.can_view_challenge``): all of the
    hub's for its coordinators, else those of their partners and their own."""
    if user is None or not user.is_authenticated:
        return Challenge.objects.none()
    drafts = Challenge.objects.filter(hub=hub).exclude(publication=Publication.PUBLISHED)
    if not is_hub_coordinator(user, hub):
        drafts = drafts.filter(
            Q(created_by=user) | Q(owner_partner__in=PartnerMember.objects.filter(user=user).values("partner_id"))
        )
    return drafts.select_related("owner_partner").order_by("-created_at", "-pk")


def challenge_for_slug(hub, slug) -> Challenge | None:
    return (
        Challenge.objects.filter(hub=hub, slug=slug)
        .select_related("hub", "owner_partner", "primary_goal", "awarded_submission", "project", "source_idea")
        .first()
    )


def visible_questions(user, challenge: Challenge):
    """Published questions for everyone; the asker's own and (for coordinators) all unpublished ones too."""
    questions = Question.objects.filter(challenge=challenge).select_related("asker")
    if is_coordinator(user, challenge):
        return questions
    if user is not None and user.is_authenticated:
        return questions.filter(Q(published_at__isnull=False) | Q(asker=user))
    return questions.filter(published_at__isnull=False)


def own_submission(user, challenge: Challenge) -> Submission | None:
    """The submission of ``user``'s organisation (theirs, their partner's or one with their
    partners' organisation number), in one query; the rule is ``permissions.is_submission_owner``."""
    if user is None or not user.is_authenticated:
        return None
    memberships = PartnerMember.objects.filter(user=user)
    return (
        Submission.objects.filter(challenge=challenge)
        .filter(
            Q(submitter=user)
            | Q(partner__in=memberships.values("partner_id"))
            | Q(
                organisation_number__in=memberships.exclude(partner__organisation_number="").values(
                    "partner__organisation_number"
                )
            )
        )
        .select_related("partner")
        .first()
    )


@dataclass
class Ranked:
    submission: Submission
    total: Decimal | None
    evaluators: int
    per_criterion: dict = field(default_factory=dict)


def _round(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def submission_totals(challenge: Challenge) -> list[Ranked]:
    """Each submission's total: per evaluator the weighted average of their scores over the criteria,
    then the mean over the evaluators who scored it, leaving out those who declared a conflict.
    Ordered best first (unscored last)."""
    criteria = {c.pk: c.weight for c in challenge.criteria.all()}
    submissions = list(challenge.submissions.all())
    excluded = set(
        Declaration.objects.filter(submission__challenge=challenge, conflict=True).values_list(
            "submission_id", "evaluator_id"
        )
    )
    by_pair: dict[tuple[int, int], dict[int, int]] = {}
    for score in Score.objects.filter(submission__challenge=challenge):
        if (score.submission_id, score.evaluator_id) in excluded:
            continue
        by_pair.setdefault((score.submission_id, score.evaluator_id), {})[score.criterion_id] = score.value
    ranked = []
    for submission in submissions:
        per_evaluator = []
        per_criterion: dict[int, list[int]] = {}
        for (submission_id, _evaluator_id), scores in by_pair.items():
            if submission_id != submission.pk:
                continue
            weights = sum(criteria.get(c, 0) for c in scores)
            if weights:
                per_evaluator.append(Decimal(sum(criteria.get(c, 0) * v for c, v in scores.items())) / weights)
            for criterion_id, value in scores.items():
                per_criterion.setdefault(criterion_id, []).append(value)
        total = _round(sum(per_evaluator) / len(per_evaluator)) if per_evaluator else None
        averages = {c: _round(Decimal(sum(v)) / len(v)) for c, v in per_criterion.items()}
        ranked.append(Ranked(submission=submission, total=total, evaluators=len(per_evaluator), per_criterion=averages))
    ranked.sort(key=lambda r: (r.total is None, -(r.total or 0), r.submission.pk))
    return ranked


def own_scores(submission: Submission) -> Ranked | None:
    """The ranking row of one submission (for telling its submitter their own scores)."""
    return next((r for r in submission_totals(submission.challenge) if r.submission.pk == submission.pk), None)
