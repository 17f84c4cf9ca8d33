"""Every write to projects goes through here: permission, validation, one transaction, a log line.

A proposal is a draft ``ProjectPage`` submitted to its hub's Wagtail moderation workflow; the
e-mails that tell the proposer what happens to it are sent by ``projects.receivers`` (they follow
Wagtail's workflow signals, which also fire when coordinators act in the admin).
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState
from wagtail.rich_text import RichText

from accounts.models import User
from cms.markdown import markdown_html
from cms.sanitise import active_content, sanitise_html
from cms.slugs import slugify_no
from goals.models import Goal, Target
from indicators.models import Indicator
from partners.models import Partner, PartnershipStatus
from partners.permissions import is_partner_member
from projects import events
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProgressUpdateImage,
    ProjectIndexPage,
    ProjectPage,
)
from projects.permissions import can_edit_proposal, can_post_progress_update, can_propose_project

logger = logging.getLogger(__name__)

BODY_TEXT_MAX_LENGTH = 20_000
UPDATE_TEXT_MAX_LENGTH = 10_000
# Plain-text fields of a proposal, checked for scripts before anything is written.
PLAIN_TEXT_FIELDS = ("title", "summary", "location", "contact_name", "funding_notes", "body_text")
# The proposal's fields that are set on the page as they are.
PAGE_FIELDS = (
    "title",
    "summary",
    "primary_goal",
    "status",
    "start_date",
    "end_date",
    "location",
    "contact_name",
    "contact_email",
    "funding_notes",
)


@dataclass(frozen=True)
class ProposalFields:
    """What a proposer says about a project, for ``project_propose`` and ``project_proposal_update``.

    ``primary_goal`` and ``lead_partner`` may be None only for the service to refuse them with a
    message at their field. ``body_text`` is written in the Markdown subset (``cms.markdown``).
    """

    title: str
    summary: str
    primary_goal: Goal | None
    status: str
    lead_partner: Partner | None
    goals: Sequence[Goal] = ()
    targets: Sequence[Target] = ()
    partners: Sequence[Partner] = ()
    start_date: date | None = None
    end_date: date | None = None
    location: str = ""
    contact_name: str = ""
    contact_email: str = ""
    funding_notes: str = ""
    body_text: str = ""
    indicators: Sequence[Indicator] = ()


def _require_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to do this."))


def _refuse_active_content(field: str, text: str) -> None:
    """Refuse scripts and event handlers with a clear message rather than silently storing something else."""
    found = active_content(text)
    if found:
        message = _(
            "This text contains %(found)s. Scripts and event handlers are not allowed, "
            "because they could run in the browsers of the people reading it. Remove them and try again."
        ) % {"found": ", ".join(found)}
        raise ValidationError({field: ValidationError(message, code="active_content")})


def _body_from_text(text: str) -> list:
    """A proposal's description is written in the site's Markdown subset (``cms.markdown``)."""
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > BODY_TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "body_text": _("Keep the description under %(max)s characters.") % {"max": BODY_TEXT_MAX_LENGTH},
            }
        )
    return [("text", RichText(sanitise_html(markdown_html(text))))]


def _approved_in_hub(partners: Iterable[Partner], hub) -> set[int]:
    ids = [partner.pk for partner in partners]
    return set(
        Partner.objects.filter(
            pk__in=ids, partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED
        ).values_list("pk", flat=True)
    )


def _check_proposal(
    *, actor, hub, fields: dict, goals: list, targets: list, lead_partner, partners: list, indicators: list = ()
) -> None:
    """Everything that needs more than the model's own ``clean``: collected, so a form shows all at once."""
    errors: dict[str, list] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    for field in PLAIN_TEXT_FIELDS:
        try:
            _refuse_active_content(field, fields.get(field) or "")
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.error_dict[field])

    allowed_goal_ids = {goal.pk for goal in goals}
    if fields["primary_goal"] is not None:
        allowed_goal_ids.add(fields["primary_goal"].pk)
    stray = [target.code for target in targets if target.goal_id not in allowed_goal_ids]
    if stray:
        add(
            "targets",
            _("These targets do not belong to the chosen goals: %(targets)s. Choose their goals too, or remove them.")
            % {"targets": ", ".join(stray)},
            "target_goal",
        )

    foreign = [indicator.name for indicator in indicators if hub is None or indicator.hub_id != hub.pk]
    if foreign:
        add(
            "indicators",
            _("These indicators are not this hub's: %(indicators)s.") % {"indicators": ", ".join(foreign)},
            "indicator_hub",
        )

    approved = _approved_in_hub([lead_partner, *partners] if lead_partner else partners, hub)
    if lead_partner is None:
        add("lead_partner", _("Choose the partner that leads the project."), "required")
    elif lead_partner.pk not in approved:
        add(
            "lead_partner",
            _("%(partner)s is not an approved partner in this hub.") % {"partner": lead_partner},
            "not_approved",
        )
    elif not is_partner_member(actor, lead_partner):
        add("lead_partner", _("You can only propose projects led by a partner you act for."), "not_member")
    not_approved = [str(partner) for partner in partners if partner.pk not in approved]
    if not_approved:
        add(
            "partners",
            _("Not approved partners in this hub: %(partners)s.") % {"partners": ", ".join(not_approved)},
            "not_approved",
        )
    if errors:
        raise ValidationError(errors)


def _apply(page: ProjectPage, *, actor: User, hub, proposal: ProposalFields) -> None:
    """Check and set the proposal's fields on ``page``; raises ValidationError before anything is written."""
    lead_partner = proposal.lead_partner
    goals, targets = list(proposal.goals), list(proposal.targets)
    partners = [partner for partner in proposal.partners if lead_partner is None or partner.pk != lead_partner.pk]
    fields = {name: getattr(proposal, name) for name in PAGE_FIELDS}
    _check_proposal(
        actor=actor,
        hub=hub,
        fields={**fields, "body_text": proposal.body_text},
        goals=goals,
        targets=targets,
        lead_partner=lead_partner,
        partners=partners,
        indicators=list(proposal.indicators),
    )
    for name, value in fields.items():
        setattr(page, name, value.strip() if isinstance(value, str) else value)
    page.lead_partner = lead_partner
    page.body = _body_from_text(proposal.body_text)
    primary = proposal.primary_goal
    page.goals.set([goal for goal in goals if primary is None or goal.pk != primary.pk])
    page.targets.set(targets)
    page.partners.set(partners)
    page.indicators.set(list(proposal.indicators))


def _unique_slug(index: ProjectIndexPage, title: str) -> str:
    base = slugify_no(title, max_length=200) or "project"
    siblings = set(index.get_children().values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in siblings:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _full_clean(page: ProjectPage) -> None:
    # ``path``/``depth`` are set by the tree, and the slug is unique by construction.
    page.full_clean(exclude=["path", "depth", "url_path", "slug"])


def project_propose(*, actor: User, index: ProjectIndexPage, fields: ProposalFields) -> ProjectPage:
    """Save a proposed project as a draft under ``index`` and submit it to the hub's moderation workflow.

    The proposer must act for ``lead_partner``, and every partner named must be approved in the
    hub. Nothing is written unless everything is valid. ``body_text`` is plain text (blank lines
    separate paragraphs). The page stays a draft until a coordinator approves it.
    """
    _require_user(actor)
    hub = index.get_hub()
    if hub is None or not can_propose_project(actor, hub):
        raise PermissionDenied(_("Only members of an approved partner in this hub can propose projects."))
    page = ProjectPage(live=False, proposed_by=actor, owner=actor)
    _apply(page, actor=actor, hub=hub, proposal=fields)
    page.slug = _unique_slug(index, page.title)
    _full_clean(page)
    with transaction.atomic():
        index.add_child(instance=page)
        revision = page.save_revision(user=actor, log_action=True)
        workflow = page.get_workflow()
        if workflow is None:
            raise ValidationError(_("This hub has no review workflow yet. Ask the site administrators."))
        workflow.start(page, actor)
    logger.info("Project %s proposed by %s (revision %s)", page.pk, actor.pk, revision.pk)
    return page


def project_proposal_update(*, actor: User, page: ProjectPage, fields: ProposalFields) -> ProjectPage:
    """The proposer's edit of a proposal that waits for review or had changes requested.

    Saves a new revision (and, the page not being live, its row, so the draft's partners decide
    who sees it). A proposal whose changes were requested goes back to the coordinators
    (``WorkflowState.resume``); one whose review was cancelled is submitted afresh. The body is
    replaced by ``body_text``.
    """
    _require_user(actor)
    page = ProjectPage.objects.get(pk=page.pk)  # the current row, not what a caller holds
    if page.live or not can_edit_proposal(actor, page):
        raise PermissionDenied(_("You cannot change this proposal."))
    hub = page.get_hub()
    _apply(page, actor=actor, hub=hub, proposal=fields)
    page.draft_title = page.title
    _full_clean(page)
    with transaction.atomic():
        page.save(clean=False)
        page.save_revision(user=actor, log_action=True)
        _back_to_review(page, actor)
    logger.info("Project proposal %s changed by %s", page.pk, actor.pk)
    return page


def _back_to_review(page: ProjectPage, actor) -> None:
    """After an edit, the coordinators must see the proposal again, on its newest revision."""
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=actor)
    elif state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        # Still waiting: point the open review step at the new revision, as Wagtail's edit view does.
        task_state = state.current_task_state
        if task_state is not None:
            task_state.revision = page.get_latest_revision()
            task_state.save(update_fields=["revision"])
    else:
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, actor)


def _outcome_values(page: ProjectPage, outcome_values: Mapping) -> dict[Outcome, Decimal]:
    """Values as Decimals for outcomes of this project; keyed errors for the form fields ``outcome_<id>``."""
    outcomes = {outcome.pk: outcome for outcome in Outcome.objects.filter(project=page)}
    values, errors = {}, {}
    for key, raw in (outcome_values or {}).items():
        try:
            outcome = outcomes[int(key)]
        except (KeyError, TypeError, ValueError):
            errors["outcome_values"] = _("One of the values is for an outcome of another project.")
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            value = Decimal(str(raw).strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[f"outcome_{outcome.pk}"] = _("Enter a number for “%(outcome)s”, for example 12.5.") % {
                "outcome": outcome.title
            }
            continue
        if abs(value) >= Decimal("1e12"):
            errors[f"outcome_{outcome.pk}"] = _("“%(outcome)s”: the number is too large.") % {"outcome": outcome.title}
            continue
        values[outcome] = value.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    return values


def progress_update_create(
    *,
    actor: User,
    page: ProjectPage,
    partner: Partner,
    reported_on: date,
    text: str,
    outcome_values: Mapping[int, object] | None = None,
    images: Iterable = (),
) -> ProgressUpdate:
    """A project partner reports progress, with new values for the project's outcomes.

    ``outcome_values`` maps outcome ids of this project to numbers (Decimal, int or a string such
    as "12,5"); empty values are skipped. ``images`` are already stored Wagtail images as
    ``(image, alt_text)`` pairs. ``text`` is HTML from the public form: scripts are refused,
    the rest cleaned. The project's ``last_reported_at`` moves forward without a page revision.
    """
    _require_user(actor)
    if not can_post_progress_update(actor, page):
        raise PermissionDenied(_("Only the project's partners can post progress updates."))
    if partner.pk != page.lead_partner_id and not page.partners.filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("Choose one of the project's partners.")})
    if not is_partner_member(actor, partner):
        raise ValidationError({"partner": _("You can only report for a partner you act for.")})
    _refuse_active_content("text", text)
    clean_text = sanitise_html(text)
    if not clean_text:
        raise ValidationError({"text": _("Tell what happened.")})
    if len(clean_text) > UPDATE_TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("Keep the text under %(max)s characters.") % {"max": UPDATE_TEXT_MAX_LENGTH}})
    values = _outcome_values(page, outcome_values)
    images = list(images)
    for _image, alt_text in images:
        if not (alt_text or "").strip():
            raise ValidationError({"images": _("Describe every image for people who cannot see it.")})

    update = ProgressUpdate(project=page, partner=partner, author=actor, reported_on=reported_on, text=clean_text)
    update.full_clean()
    with transaction.atomic():
        update.save()
        OutcomeMeasurement.objects.bulk_create(
            OutcomeMeasurement(outcome=outcome, update=update, value=value, measured_on=reported_on)
            for outcome, value in values.items()
        )
        ProgressUpdateImage.objects.bulk_create(
            ProgressUpdateImage(update=update, image=image, alt_text=alt_text.strip()[:250])
            for image, alt_text in images
        )
        _last_reported_move(page, reported_on)
        transaction.on_commit(lambda: events.progress_update_posted.send(sender=ProgressUpdate, update=update))
    logger.info("Progress update %s on project %s by %s", update.pk, page.pk, actor.pk)
    return update


def _last_reported_move(page: ProjectPage, reported_on: date) -> None:
    """A queryset update: saving the page would make a revision and could publish a pending draft."""
    ProjectPage.objects.filter(
        Q(last_reported_at__isnull=True) | Q(last_reported_at__lt=reported_on), pk=page.pk
    ).update(last_reported_at=reported_on)
    if page.last_reported_at is None or page.last_reported_at < reported_on:
        page.last_reported_at = reported_on
