"""A hub's challenges on the public site, as hub routes (``cms.hub_routes``, registered in
``wagtail_hooks``): ``<hub>/challenges/`` and ``<hub>/challenges/<slug>/`` with the market dialogue,
the confidential submissions, the evaluation and the award below it.

Every view asks ``challenges.permissions``; a confidential object the person may not see is a 404,
so its existence is not given away either. Forms post with CSRF tokens and are rate limited.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Site

from challenges import dialogue_selectors, permissions, selectors, services
from challenges.forms import (
    AnswerForm,
    AwardForm,
    CriteriaForm,
    DeclarationForm,
    EvaluatorForm,
    PhaseForm,
    QuestionForm,
    ScoreForm,
    SubmissionForm,
)
from challenges.models import PHASE_ORDER, Declaration, Phase, Publication, Question, Score, Submission
from cms.markdown import markdown_html
from cms.rate_limits import rate_limit_hit, rate_limited_message
from cms.selectors import page_breadcrumbs
from partners.models import Partner


def _challenge(request, hub, slug):
    challenge = selectors.challenge_for_slug(hub, slug)
    if challenge is None or not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    return challenge


def _context(request, hub, challenge=None, **extra) -> dict:
    context = {"hub": hub, "breadcrumbs": [*page_breadcrumbs(hub, Site.find_for_request(request)), hub]}
    context["challenges_url"] = f"{hub.url}challenges/"
    if challenge is not None:
        context["challenge"] = challenge
    context.update(extra)
    return context


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _rate_limited(request, form) -> bool:
    wait = rate_limit_hit(request, "challenge-write")
    if wait:
        form.add_error(None, rate_limited_message(wait))
        return True
    return False


def challenge_list(request, hub):
    challenges = list(selectors.published_challenges(hub))
    context = _context(
        request,
        hub,
        challenges=challenges,
        drafts=list(selectors.drafts_for(request.user, hub)),
        can_create=permissions.can_create_challenge(request.user, hub),
    )
    return render(request, "challenges/challenge_list.html", context)


def _timeline(challenge) -> list[dict]:
    dates = {d.phase: d.starts_on for d in challenge.phase_dates.all()}
    current = challenge.phase_index()
    return [
        {"value": value, "label": label, "date": dates.get(value), "done": n < current, "current": n == current}
        for n, (value, label) in enumerate(Phase.choices)
    ]


def _outcomes(project):
    if project is None or not project.live:
        return []
    from projects.models import Outcome

    outcomes = list(Outcome.objects.filter(project=project).prefetch_related("measurements"))
    for outcome in outcomes:
        measured = sorted(outcome.measurements.all(), key=lambda m: (m.measured_on, m.pk))
        outcome.latest = measured[-1] if measured else None
    return outcomes


def challenge_detail(request, hub, slug, *, question_form=None, status=200):
    challenge = _challenge(request, hub, slug)
    user = request.user
    own = selectors.own_submission(user, challenge)
    context = _context(
        request,
        hub,
        challenge,
        need_html=markdown_html(challenge.need),
        why_html=markdown_html(challenge.why),
        timeline=_timeline(challenge),
        requirements=list(challenge.requirements.all()),
        indicators=list(challenge.indicators.all()),
        document_links=list(challenge.document_links.select_related("document")),
        questions=list(selectors.visible_questions(user, challenge)),
        can_ask=permissions.can_ask_question(user, challenge),
        can_answer=permissions.can_answer_question(user, challenge),
        question_form=question_form or QuestionForm(),
        following=user.is_authenticated and challenge.follows.filter(user=user).exists(),
        can_follow=permissions.can_follow_challenge(user, challenge),
        can_submit=permissions.can_submit(user, challenge),
        own_submission=own,
        can_list=permissions.can_list_submissions(user, challenge),
        submission_count=challenge.submissions.count() if permissions.can_count_submissions(user, challenge) else None,
        can_manage=permissions.is_coordinator(user, challenge),
        can_edit=permissions.can_edit_challenge(user, challenge),
        source_idea=challenge.source_idea if challenge.source_idea_id and not challenge.source_idea.is_hidden else None,
        award=challenge.awarded_submission if permissions.can_see_award(user, challenge) else None,
        outcomes=_outcomes(challenge.project),
        dialogue=dialogue_selectors.challenge_dialogue(user, challenge),
    )
    return render(request, "challenges/challenge_detail.html", context, status=status)


@require_POST
def challenge_follow(request, hub, slug):
    challenge = _challenge(request, hub, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(challenge.url)
    if request.POST.get("follow") == "0":
        services.challenge_unfollow(actor=request.user, challenge=challenge)
        messages.success(request, _("You no longer follow this challenge."))
    else:
        try:
            services.challenge_follow(actor=request.user, challenge=challenge)
        except PermissionDenied as error:
            raise Http404 from error
        messages.success(request, _("You follow this challenge: you will be told when it moves on."))
    return HttpResponseRedirect(challenge.url)


@require_POST
def question_ask(request, hub, slug):
    challenge = _challenge(request, hub, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(challenge.url)
    form = QuestionForm(request.POST)
    if form.is_valid() and not _rate_limited(request, form):
        try:
            services.question_ask(
                actor=request.user,
                challenge=challenge,
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
                organisation_number=form.cleaned_data["organisation_number"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Your question has been sent. It will be published with its answer, for everyone at once.")
            )
            return HttpResponseRedirect(f"{challenge.url}#questions")
    return challenge_detail(request, hub, slug, question_form=form, status=400)


def question_answer(request, hub, slug, question_id):
    challenge = _challenge(request, hub, slug)
    if not permissions.can_answer_question(request.user, challenge):
        raise Http404
    question = Question.objects.filter(challenge=challenge, pk=question_id).select_related("asker").first()
    if question is None:
        raise Http404
    form = AnswerForm(request.POST or None, initial={"answer": question.answer, "anonymise": question.anonymous})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_publish(
                actor=request.user,
                question=question,
                answer=form.cleaned_data["answer"],
                anonymise=form.cleaned_data["anonymise"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The answer has been published and the followers told."))
            return HttpResponseRedirect(f"{challenge.url}#questions")
    return render(
        request,
        "challenges/question_answer.html",
        _context(request, hub, challenge, question=question, form=form),
        status=400 if form.errors else 200,
    )


def _submission_partners(user, hub):
    return Partner.objects.filter(members__user=user).exclude(organisation_number="").order_by("name").distinct()


def submission_form(request, hub, slug):
    challenge = _challenge(request, hub, slug)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    own = selectors.own_submission(user, challenge)
    if not permissions.can_submit(user, challenge):
        reason = (
            _("The deadline for solutions has passed: nothing can be submitted or changed now.")
            if challenge.deadline_passed
            else _(
                "Solutions can be submitted while the competition is open, by people with a verified e-mail address."
            )
        )
        return render(
            request,
            "challenges/submission_closed.html",
            _context(request, hub, challenge, reason=reason, own_submission=own),
            status=403,
        )
    requirements = list(challenge.requirements.all())
    initial = {}
    if own is not None:
        answers = {a.requirement_id: a.text for a in own.answers.all()}
        initial = {
            "partner": own.partner_id,
            "organisation_number": own.organisation_number,
            "organisation_name": own.organisation_name,
            "description": own.description,
            "maturity": own.maturity,
            "price_indication": own.price_indication,
            **{f"requirement_{pk}": text for pk, text in answers.items()},
        }
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        requirements=requirements,
        partners=_submission_partners(user, hub),
    )
    if request.method == "POST" and form.is_valid() and not _rate_limited(request, form):
        data = form.cleaned_data
        try:
            submission = services.submission_save(
                actor=user,
                challenge=challenge,
                partner=data.get("partner"),
                organisation_number=data.get("organisation_number", ""),
                organisation_name=data.get("organisation_name", ""),
                description=data["description"],
                maturity=data["maturity"],
                price_indication=data["price_indication"],
                answers=form.answers(),
                attachments=data.get("attachments") or [],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Your solution has been saved. Only your organisation and the evaluators see it.")
            )
            return HttpResponseRedirect(f"{challenge.url}submissions/{submission.pk}/")
    return render(
        request,
        "challenges/submission_form.html",
        _context(request, hub, challenge, form=form, own_submission=own),
        status=400 if form.errors else 200,
    )


def _submission(request, challenge, submission_id) -> Submission:
    submission = (
        Submission.objects.filter(challenge=challenge, pk=submission_id)
        .select_related("challenge__hub", "partner")
        .first()
    )
    if submission is None or not permissions.can_view_submission(request.user, submission):
        raise Http404
    submission.challenge = challenge
    return submission


def submission_list(request, hub, slug):
    """The evaluators' list with the ranking and, for the deciding coordinator, the award form; a
    coordinator who does not evaluate sees only how many there are."""
    challenge = _challenge(request, hub, slug)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_count_submissions(user, challenge):
        raise Http404
    can_list = permissions.can_list_submissions(user, challenge)
    ranking = selectors.submission_totals(challenge) if can_list else []
    award_form = None
    if permissions.can_decide_award(user, challenge) and challenge.awarded_submission_id is None:
        award_form = AwardForm(request.POST or None, submissions=challenge.submissions.all())
        if request.method == "POST" and award_form.is_valid():
            try:
                services.award_decide(
                    actor=user,
                    challenge=challenge,
                    submission=award_form.cleaned_data["submission"],
                    reasons=award_form.cleaned_data["reasons"],
                    summary=award_form.cleaned_data["summary"],
                )
            except (PermissionDenied, ValidationError) as error:
                _apply_errors(award_form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
            else:
                messages.success(request, _("The award has been published and the other submitters told."))
                return HttpResponseRedirect(challenge.url)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "challenges/submission_list.html",
        _context(
            request,
            hub,
            challenge,
            can_list=can_list,
            count=challenge.submissions.count(),
            ranking=ranking,
            criteria=list(challenge.criteria.all()),
            award_form=award_form,
            decision_log=list(challenge.decision_log.select_related("actor")) if can_list else [],
        ),
        status=400 if award_form is not None and award_form.errors else 200,
    )


def submission_detail(request, hub, slug, submission_id):
    challenge = _challenge(request, hub, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    submission = _submission(request, challenge, submission_id)
    user = request.user
    is_evaluator = permissions.is_evaluator(user, challenge)
    declaration = Declaration.objects.filter(submission=submission, evaluator=user).first() if is_evaluator else None
    criteria = list(challenge.criteria.all())
    declaration_form = score_form = None
    if is_evaluator and declaration is None and permissions.can_declare(user, submission):
        declaration_form = DeclarationForm(request.POST if request.POST.get("action") == "declare" else None)
    if permissions.can_score(user, submission):
        existing = {s.criterion_id: s for s in Score.objects.filter(submission=submission, evaluator=user)}
        initial = {}
        for criterion_id, score in existing.items():
            initial[f"score_{criterion_id}"] = score.value
            initial[f"why_{criterion_id}"] = score.justification
        score_form = ScoreForm(
            request.POST if request.POST.get("action") == "score" else None, initial=initial, criteria=criteria
        )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "declare" and declaration_form is not None and declaration_form.is_valid():
            try:
                services.declaration_make(
                    actor=user,
                    submission=submission,
                    conflict=declaration_form.cleaned_data["conflict"],
                    note=declaration_form.cleaned_data["note"],
                )
            except (PermissionDenied, ValidationError) as error:
                declaration_form.add_error(None, str(error))
            else:
                messages.success(request, _("Your declaration has been recorded."))
                if declaration_form.cleaned_data["conflict"]:
                    # Excluded from this solution: back to the list, its contents are no longer theirs to see.
                    return HttpResponseRedirect(f"{challenge.url}submissions/")
                return HttpResponseRedirect(request.path)
        elif action == "score" and score_form is not None and score_form.is_valid():
            try:
                for criterion in criteria:
                    services.score_set(
                        actor=user,
                        submission=submission,
                        criterion=criterion,
                        value=score_form.cleaned_data[f"score_{criterion.pk}"],
                        justification=score_form.cleaned_data[f"why_{criterion.pk}"],
                    )
            except (PermissionDenied, ValidationError) as error:
                score_form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Your scores have been saved."))
                return HttpResponseRedirect(request.path)
        elif action not in ("declare", "score") or (declaration_form is None and score_form is None):
            raise PermissionDenied
    return render(
        request,
        "challenges/submission_detail.html",
        _context(
            request,
            hub,
            challenge,
            submission=submission,
            answers=list(submission.answers.select_related("requirement")),
            attachments=list(submission.attachments.all()),
            is_evaluator=is_evaluator,
            declaration=declaration,
            declaration_form=declaration_form,
            score_form=score_form,
            can_edit=permissions.can_edit_submission(user, submission),
        ),
        status=400 if request.method == "POST" else 200,
    )


def attachment_download(request, hub, slug, submission_id, attachment_id):
    challenge = _challenge(request, hub, slug)
    submission = _submission(request, challenge, submission_id)
    attachment = submission.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["Cache-Control"] = "private, no-store"
    return response


def challenge_manage(request, hub, slug):
    """The coordinators' page: publish, move the phase on, assign evaluators."""
    challenge = _challenge(request, hub, slug)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.is_coordinator(user, challenge):
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    phase_form = PhaseForm(request.POST if action == "phase" else None, initial={"phase": challenge.phase})
    evaluator_form = EvaluatorForm(request.POST if action == "evaluator" else None)
    current = "\n".join(f"{c.name}: {c.weight}" for c in challenge.criteria.all())
    criteria_form = CriteriaForm(request.POST if action == "criteria" else None, initial={"criteria": current})
    try:
        if action == "publish":
            services.challenge_publish(actor=user, challenge=challenge)
            messages.success(request, _("The challenge is published."))
            return HttpResponseRedirect(challenge.url)
        if action == "phase" and phase_form.is_valid():
            services.challenge_phase_set(actor=user, challenge=challenge, phase=phase_form.cleaned_data["phase"])
            messages.success(request, _("The phase has been changed and the followers told."))
            return HttpResponseRedirect(challenge.url)
        if action == "evaluator" and evaluator_form.is_valid():
            person = get_user_model().objects.filter(email__iexact=evaluator_form.cleaned_data["email"]).first()
            if person is None:
                evaluator_form.add_error("email", _("Nobody has an account with this e-mail address."))
            else:
                services.evaluator_assign(actor=user, challenge=challenge, user=person)
                messages.success(request, _("The evaluator has been assigned."))
                return HttpResponseRedirect(request.path)
        if action == "criteria" and criteria_form.is_valid():
            services.criteria_set(actor=user, challenge=challenge, criteria=criteria_form.cleaned_data["criteria"])
            messages.success(request, _("The criteria have been saved."))
            return HttpResponseRedirect(request.path)
    except ValidationError as error:
        forms_by_action = {"phase": phase_form, "evaluator": evaluator_form, "criteria": criteria_form}
        _apply_errors(forms_by_action.get(action, phase_form), error)
    return render(
        request,
        "challenges/challenge_manage.html",
        _context(
            request,
            hub,
            challenge,
            phase_form=phase_form,
            evaluator_form=evaluator_form,
            criteria_form=criteria_form,
            criteria_locked=challenge.deadline_passed,
            evaluators=list(challenge.evaluators.select_related("user")),
            is_draft=challenge.publication != Publication.PUBLISHED,
            phases=PHASE_ORDER,
        ),
        status=400 if action else 200,
    )
