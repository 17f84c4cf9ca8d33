"""A hub's ideas on the public site, as hub routes (``cms.hub_routes``, registered in ``wagtail_hooks``):

- ``<hub>/ideas/``: the list, most supported or newest first, filtered by status and goal (GET form);
- ``<hub>/ideas/new/``: post an idea;
- ``<hub>/ideas/<id>/``: the idea, its support, the coordinators' answer and its discussion;
- ``<hub>/ideas/<id>/support/``, ``edit/``, ``answer/``, ``hide/``, ``project/``: the POST actions.

Everything works without JavaScript: plain forms with CSRF tokens, a redirect after each POST.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms import dependency
from cms.forms import add_service_errors
from cms.rate_limits import rate_limit_hit, rate_limited_message, with_retry_after
from cms.selectors import page_breadcrumbs
from ideas import permissions, selectors, services
from ideas.forms import IdeaAnswerForm, IdeaEditForm, IdeaForm, IdeaHideForm, IdeaProjectForm
from ideas.models import IdeaStatus
from partners.models import Partner, PartnershipStatus

PAGE_SIZE = 20


def _base_context(request, hub) -> dict:
    return {
        "hub": hub,
        "breadcrumbs": [*page_breadcrumbs(hub, Site.find_for_request(request)), hub],
        "ideas_url": f"{hub.get_url(request)}ideas/",
    }


def idea_list(request, hub):
    sort = request.GET.get("sort", "supported")
    sort = sort if sort in selectors.SORTS else "supported"
    status = request.GET.get("status", "")
    status = status if status in IdeaStatus.values else ""
    goals = selectors.goals_in_use(hub)
    goal = next((one for one in goals if str(one.number) == request.GET.get("goal", "")), None)
    ideas = selectors.hub_ideas(hub, sort=sort, status=status, goal=goal)
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    supported = selectors.supported_ids(request.user, [idea.pk for idea in page])
    query = {"sort": sort, "status": status, "goal": goal.number if goal else ""}
    context = _base_context(request, hub)
    context.update(
        {
            "page": page,
            "ideas": list(page),
            "supported": supported,
            "goals": goals,
            "goal": goal,
            "status": status,
            "sort": sort,
            "statuses": IdeaStatus.choices,
            "query": "&".join(f"{key}={value}" for key, value in query.items() if value),
            "can_post": permissions.can_post_idea(request.user, hub),
        }
    )
    return render(request, "ideas/idea_list.html", context)


def idea_new(request, hub):
    context = _base_context(request, hub)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_post_idea(request.user, hub):
        context["refused"] = True
        return render(request, "ideas/idea_form.html", context, status=403 if request.method == "POST" else 200)
    form = IdeaForm(request.POST or None, request.FILES or None)
    wait = None
    if request.method == "POST" and form.is_valid():
        wait = rate_limit_hit(request, "idea-post")
        if wait:
            form.add_error(None, rate_limited_message(wait))
        else:
            try:
                idea = services.idea_create(
                    actor=request.user,
                    hub=hub,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    goals=form.cleaned_data["goals"],
                    picture=form.cleaned_data["picture"],
                    picture_description=form.cleaned_data["picture_description"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your idea is posted."))
                return redirect(idea.get_url(request))
    context.update({"form": form, "current_title": _("Post an idea")})
    return with_retry_after(render(request, "ideas/idea_form.html", context), wait)


def _idea_or_404(request, hub, idea_id):
    idea = selectors.hub_idea(hub, idea_id)
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404(_("No such idea in this hub."))
    idea.hub = hub
    return idea


def _partners_for(user, hub):
    if not user.is_authenticated:
        return Partner.objects.none()
    return (
        Partner.objects.filter(
            members__user=user, partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED
        )
        .distinct()
        .order_by("name")
    )


def idea_detail(request, hub, idea_id, *, answer_form=None, hide_form=None, project_form=None, status=200):
    idea = _idea_or_404(request, hub, idea_id)
    user = request.user
    can_answer = permissions.can_answer_idea(user, idea)
    can_project = permissions.can_turn_into_project(user, idea)
    goals = list(idea.goals.all())
    if idea.author_id:
        dependency.uses(dependency.person(idea.author_id))  # "Posted by ..."
    context = _base_context(request, hub)
    context.update(
        {
            "idea": idea,
            "goals": goals,
            "idea_url": idea.get_url(request),
            "supports": bool(selectors.supported_ids(user, [idea.pk])),
            "can_support": permissions.can_support_idea(user, idea),
            "can_edit": permissions.can_edit_idea(user, idea),
            "can_answer": can_answer,
            "can_hide": permissions.can_hide_idea(user, idea),
            "can_project": can_project,
            "is_author": permissions.is_author(user, idea),
            "answer_form": answer_form
            or (IdeaAnswerForm(initial={"status": idea.status, "answer": idea.answer}) if can_answer else None),
            "hide_form": hide_form or (IdeaHideForm() if can_answer else None),
            "project_form": project_form
            or (
                IdeaProjectForm(
                    partners=_partners_for(user, hub), initial={"primary_goal": goals[0] if goals else None}
                )
                if can_project
                else None
            ),
        }
    )
    return render(request, "ideas/idea_detail.html", context, status=status)


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def idea_support(request, hub, idea_id):
    if refused := _post_only(request):
        return refused
    idea = _idea_or_404(request, hub, idea_id)
    if not request.user.is_authenticated:
        return redirect_to_login(idea.get_url(request))
    if wait := rate_limit_hit(request, "idea-support"):
        messages.error(request, rate_limited_message(wait))
        return with_retry_after(redirect(idea.get_url(request)), wait)
    try:
        if request.POST.get("action") == "withdraw":
            services.idea_support_withdraw(actor=request.user, idea=idea)
            messages.success(request, _("You no longer support this idea."))
        else:
            services.idea_support(actor=request.user, idea=idea)
            messages.success(request, _("You support this idea."))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(f"{idea.get_url(request)}#support")


def idea_edit(request, hub, idea_id):
    idea = _idea_or_404(request, hub, idea_id)
    if not permissions.can_edit_idea(request.user, idea):
        raise PermissionDenied
    initial = {"title": idea.title, "text": idea.text, "goals": list(idea.goals.all())}
    form = IdeaEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(
                actor=request.user,
                idea=idea,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                goals=form.cleaned_data["goals"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your idea is changed."))
            return redirect(idea.get_url(request))
    context = _base_context(request, hub)
    context.update({"form": form, "idea": idea, "current_title": _("Change your idea")})
    return render(request, "ideas/idea_form.html", context)


def idea_answer(request, hub, idea_id):
    if refused := _post_only(request):
        return refused
    idea = _idea_or_404(request, hub, idea_id)
    if not permissions.can_answer_idea(request.user, idea):
        raise PermissionDenied
    form = IdeaAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.idea_answer(
                actor=request.user, idea=idea, status=form.cleaned_data["status"], answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is published."))
            return redirect(f"{idea.get_url(request)}#answer")
    return idea_detail(request, hub, idea_id, answer_form=form, status=400)


def idea_hide(request, hub, idea_id):
    if refused := _post_only(request):
        return refused
    idea = _idea_or_404(request, hub, idea_id)
    if not permissions.can_hide_idea(request.user, idea):
        raise PermissionDenied
    if request.POST.get("action") == "show":
        services.idea_unhide(actor=request.user, idea=idea)
        messages.success(request, _("The idea is shown again."))
        return redirect(idea.get_url(request))
    form = IdeaHideForm(request.POST)
    if form.is_valid():
        services.idea_hide(actor=request.user, idea=idea, reason=form.cleaned_data["reason"])
        messages.success(request, _("The idea is hidden."))
        return redirect(idea.get_url(request))
    return idea_detail(request, hub, idea_id, hide_form=form, status=400)


def idea_project(request, hub, idea_id):
    if refused := _post_only(request):
        return refused
    idea = _idea_or_404(request, hub, idea_id)
    if not permissions.can_turn_into_project(request.user, idea):
        raise PermissionDenied
    form = IdeaProjectForm(request.POST, partners=_partners_for(request.user, hub))
    if form.is_valid():
        try:
            services.idea_to_project(
                actor=request.user,
                idea=idea,
                lead_partner=form.cleaned_data["lead_partner"],
                primary_goal=form.cleaned_data["primary_goal"],
                idea_url=request.build_absolute_uri(idea.get_url(request)),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project proposal is made and waits for review."))
            return redirect(idea.get_url(request))
    return idea_detail(request, hub, idea_id, project_form=form, status=400)
