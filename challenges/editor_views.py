"""Describing a need: the editor of a challenge for the hub's coordinators and the owning partner's
people, as hub routes (registered before ``<slug>/`` in ``wagtail_hooks``):

- ``<hub>/challenges/new/`` and ``<hub>/challenges/<slug>/edit/``: the challenge's fields, its
  functional requirements, phase dates, criteria (until the deadline) and evaluators (coordinators);
- ``<slug>/documents/``: public documents (Wagtail documents in the hub's collection), in order;
- ``<slug>/approval/``: a draft goes to the coordinators, who approve and publish it;
- ``<hub>/challenges/from-idea/<id>/``: a coordinator makes a draft challenge from an idea.

Who may do what is asked of ``challenges.permissions``; the services decide again. Every form
posts with a CSRF token, counts against the ``challenge-write`` rate limit and keeps what was
typed when something is wrong.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from challenges import permissions, services
from challenges.forms import ChallengeForm, DocumentForm, IdeaChallengeForm
from challenges.models import ChallengeDocument
from challenges.views import _challenge, _context
from cms.forms import add_service_errors
from cms.permissions import is_hub_coordinator
from cms.rate_limits import rate_limit_hit, rate_limited_message, with_retry_after
from goals.models import Target
from goals.selectors import goals_in_order
from ideas.models import Idea
from partners.models import Partner, PartnershipStatus
from projects.selectors import hub_indicator_choices


def _owner_partners(user, hub):
    """Approved partners of the hub the person may name as owner (``permissions.can_own_challenge``)."""
    partners = Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED).order_by(
        "name"
    )
    if not is_hub_coordinator(user, hub):
        partners = partners.filter(members__user=user)
    return partners.distinct()


def _form(request, hub, *, challenge=None, data=None, initial=None) -> ChallengeForm:
    user = request.user
    if challenge is None:
        with_criteria, with_evaluators = True, is_hub_coordinator(user, hub)
    else:
        with_criteria = permissions.can_set_criteria(user, challenge)
        with_evaluators = permissions.can_assign_evaluators(user, challenge)
    return ChallengeForm(
        data,
        initial=initial,
        partners=_owner_partners(user, hub),
        goals=goals_in_order(),
        targets=Target.objects.select_related("goal").order_by("sort_key"),
        indicators=hub_indicator_choices(hub),
        with_criteria=with_criteria,
        with_evaluators=with_evaluators,
    )


def _rate_limited(request, form):
    wait = rate_limit_hit(request, "challenge-write")
    if wait:
        form.add_error(None, rate_limited_message(wait))
    return wait


def _render_form(request, hub, form, *, challenge=None, wait=None):
    title = _("Change the challenge") if challenge is not None else _("Describe a need")
    context = _context(
        request,
        hub,
        challenge,
        form=form,
        current_title=title,
        criteria_locked=challenge is not None and "criteria" not in form.fields,
        criteria=list(challenge.criteria.all()) if challenge is not None else [],
    )
    status = 400 if form.errors else 200
    return with_retry_after(render(request, "challenges/challenge_form.html", context, status=status), wait)


def _save(request, hub, form, *, challenge=None):
    """The POST of the new and edit pages: a redirect when saved, else the form again."""
    wait = None
    if form.wants_preview:
        form.show_preview()
    elif form.is_valid() and not (wait := _rate_limited(request, form)):
        try:
            if challenge is None:
                challenge = services.challenge_create(actor=request.user, hub=hub, **form.service_fields())
                messages.success(request, _("The draft is saved. Add documents, or send it for approval."))
            else:
                challenge = services.challenge_update(actor=request.user, challenge=challenge, **form.service_fields())
                messages.success(request, _("The challenge is saved."))
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            challenge.hub = hub
            return HttpResponseRedirect(challenge.url)
    return _render_form(request, hub, form, challenge=challenge, wait=wait)


def challenge_new(request, hub):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_create_challenge(request.user, hub):
        raise PermissionDenied
    if request.method == "POST":
        return _save(request, hub, _form(request, hub, data=request.POST))
    return _render_form(request, hub, _form(request, hub))


def _editable(request, hub, slug):
    challenge = _challenge(request, hub, slug)
    if not permissions.can_edit_challenge(request.user, challenge):
        raise Http404
    challenge.hub = hub
    return challenge


def challenge_edit(request, hub, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    challenge = _editable(request, hub, slug)
    if request.method == "POST":
        return _save(request, hub, _form(request, hub, challenge=challenge, data=request.POST), challenge=challenge)
    form = _form(request, hub, challenge=challenge, initial=ChallengeForm.initial_for(challenge))
    return _render_form(request, hub, form, challenge=challenge)


def challenge_documents(request, hub, slug):
    """The challenge's documents in order: upload, move up or down, remove."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    challenge = _challenge(request, hub, slug)
    if not permissions.can_manage_documents(request.user, challenge):
        raise Http404
    challenge.hub = hub
    action = request.POST.get("action") if request.method == "POST" else None
    form = DocumentForm(request.POST if action == "upload" else None, request.FILES if action == "upload" else None)
    wait = None
    if action is not None and not (wait := _rate_limited(request, form)):
        try:
            if action == "upload":
                if form.is_valid():
                    services.challenge_document_add(
                        actor=request.user,
                        challenge=challenge,
                        title=form.cleaned_data["title"],
                        upload=form.cleaned_data["file"],
                    )
                    messages.success(request, _("The document is added."))
                    return HttpResponseRedirect(request.path)
            else:
                link_id = request.POST.get("link", "")
                links = ChallengeDocument.objects.filter(challenge=challenge)
                link = links.filter(pk=int(link_id)).first() if link_id.isdigit() else None
                if link is None or action not in ("up", "down", "remove"):
                    raise Http404
                if action == "remove":
                    services.challenge_document_remove(actor=request.user, challenge=challenge, link=link)
                    messages.success(request, _("The document is removed."))
                else:
                    services.challenge_document_move(
                        actor=request.user, challenge=challenge, link=link, up=action == "up"
                    )
                return HttpResponseRedirect(request.path)
        except ValidationError as error:
            add_service_errors(form, error)
    links = list(challenge.document_links.select_related("document"))
    context = _context(request, hub, challenge, form=form, links=links, current_title=_("Documents"))
    status = 400 if form.errors else 200
    return with_retry_after(render(request, "challenges/challenge_documents.html", context, status=status), wait)


def challenge_approval(request, hub, slug):
    """Where a draft stands: sent for approval by whoever edits it, approved and published by a coordinator."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    challenge = _editable(request, hub, slug)
    user = request.user
    errors = []
    wait = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "submit" and permissions.can_submit_for_approval(user, challenge):
            service, done = services.challenge_submit_for_approval, _("The challenge is sent to the coordinators.")
        elif action == "publish" and permissions.can_publish_challenge(user, challenge) and not challenge.is_published:
            service, done = services.challenge_publish, _("The challenge is published.")
        else:
            raise PermissionDenied
        wait = rate_limit_hit(request, "challenge-write")
        if wait:
            errors.append(rate_limited_message(wait))
        else:
            service(actor=user, challenge=challenge)
            messages.success(request, done)
            return HttpResponseRedirect(challenge.url if action == "publish" else request.path)
    context = _context(
        request,
        hub,
        challenge,
        current_title=_("Approval"),
        errors=errors,
        can_submit=permissions.can_submit_for_approval(user, challenge),
        can_publish=permissions.can_publish_challenge(user, challenge) and not challenge.is_published,
        missing=_missing_for_publication(challenge),
    )
    return with_retry_after(
        render(request, "challenges/challenge_approval.html", context, status=429 if wait else 200), wait
    )


def _missing_for_publication(challenge) -> list[str]:
    """What a coordinator may want before publishing (advice, not a rule)."""
    missing = []
    if not challenge.requirements.exists():
        missing.append(_("No functional requirements yet."))
    if challenge.submission_deadline is None:
        missing.append(_("No deadline for solutions yet."))
    if challenge.primary_goal_id is None:
        missing.append(_("No primary goal: the award cannot become a project without one."))
    return missing


def challenge_from_idea(request, hub, idea_id):
    """A coordinator turns an idea into a draft challenge (POST from the idea page)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(f"{hub.url}ideas/{idea_id}/")
    idea = Idea.objects.filter(hub=hub, pk=idea_id).select_related("author").first()
    if idea is None:
        raise Http404
    idea.hub = hub
    if not permissions.can_turn_idea_into_challenge(request.user, idea):
        raise PermissionDenied
    form = IdeaChallengeForm(request.POST)
    wait = None
    if form.is_valid() and not (wait := _rate_limited(request, form)):
        try:
            challenge = services.challenge_from_idea(
                actor=request.user, idea=idea, owner_unit=form.cleaned_data["owner_unit"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            challenge.hub = hub
            messages.success(request, _("A draft challenge is made from the idea. Describe the need further."))
            return HttpResponseRedirect(f"{challenge.url}edit/")
    context = _context(request, hub, None, form=form, idea=idea, idea_url=f"{hub.url}ideas/{idea.pk}/")
    return with_retry_after(render(request, "challenges/challenge_from_idea.html", context, status=400), wait)
