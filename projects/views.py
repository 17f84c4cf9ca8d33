"""The public project pages: a hub's project list, proposing, a proposal's own page, progress updates.

The list, the proposal form and the proposer's view of a draft are routes of a hub's
``ProjectIndexPage`` (``<hub>/projects/...``: the hub's language and breadcrumbs come with them);
posting a progress update is an ordinary Django view under ``/projects/``. Views only translate
between HTTP and the services: every rule is in ``projects.services`` and ``projects.permissions``.
"""

import logging
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import expand_db_html

from cms import dependency
from cms.charts.lines import dated_line_chart
from cms.forms import add_service_errors
from cms.lazy_context import lazy_values, query_part_name
from cms.markdown import html_to_markdown, markdown_html
from cms.rate_limits import rate_limit_hit, rate_limited_message, with_retry_after
from cms.versioned_cache import versioned
from goals.models import Target
from goals.selectors import goals_in_order
from partners.models import Partner, PartnershipStatus
from projects import selectors, services
from projects.forms import ProgressUpdateForm, ProjectFilterForm, ProjectProposalForm
from projects.models import ProjectIndexPage, ProjectPage, ReportingFreshness
from projects.permissions import (
    can_edit_proposal,
    can_post_progress_update,
    can_propose_project,
    can_view_project,
)

logger = logging.getLogger(__name__)

PROJECT_PAGE_SIZE = 12


def _approved_partners(hub):
    return Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED).order_by(
        "name"
    )


def _today() -> date:
    return timezone.localdate()


def freshness_of(project: ProjectPage, index: ProjectIndexPage, today: date) -> str:
    return project.reporting_freshness(
        today=today, due_months=index.reporting_due_months, overdue_months=index.reporting_overdue_months
    )


def _with_freshness(projects, index: ProjectIndexPage) -> list[ProjectPage]:
    """Give each project the ``freshness`` and ``freshness_label`` its card shows (no queries)."""
    today = _today()
    projects = list(projects)
    for project in projects:
        project.freshness = freshness_of(project, index, today)
        project.freshness_label = ReportingFreshness(project.freshness).label
    return projects


def _filter_choices(hub) -> tuple[list, list, list]:
    """The goals, targets and the hub's approved partners the list's filters offer.

    The same on every visit until content changes, so they come from the versioned cache.
    """
    goals, targets = selectors.goal_catalogue(), selectors.target_catalogue()
    hub_id = hub.pk if hub is not None else None
    # (pk, name) pairs, not model instances: unpickling 3,000 partners cost the list 80 ms a visit.
    partners = versioned(
        f"approved-partner-names:{hub_id}",
        lambda: list(_approved_partners(hub).values_list("pk", "name")),
        depends_on=[dependency.hub(hub_id)] if hub_id is not None else (),
    )
    return goals, targets, partners


# --- Routes of ProjectIndexPage -------------------------------------------------------------------


# What the project list's public part reads (project_index).
LISTING_NAMES = ("filter_form", "is_filtered", "partner_filter", "projects", "page_obj", "paginator", "page_range")


def project_index(request, page: ProjectIndexPage):
    """The hub's live projects with filters, sorting, a result count and pagination.

    The filters and the list are a public part (the same for every visitor with the same query),
    so their context is read only when the part is rendered.
    """
    hub = page.get_hub()

    def listing() -> dict:
        goals, targets, partners = _filter_choices(hub)
        filter_form = ProjectFilterForm(request.GET, goals=goals, targets=targets, partners=partners)
        filters = filter_form.filters()
        paginator = Paginator(selectors.project_list(page, sort=filter_form.sort_order(), **filters), PROJECT_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        return {
            "filter_form": filter_form,
            "is_filtered": any(filters.values()),
            "partner_filter": filters["partner"],
            "projects": _with_freshness(page_obj.object_list, page),
            "page_obj": page_obj,
            "paginator": paginator,
            "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)),
        }

    return page.render(
        request,
        template="projects/project_index_page.html",
        context_overrides={
            "index_url": page.get_url(request),
            "listing_part": query_part_name("project-list", request),
            "card_rendition": selectors.CARD_IMAGE_RENDITION,
            **lazy_values(listing, LISTING_NAMES),
        },
    )


def _proposal_form(request, hub, *, data=None, initial=None):
    user = request.user
    return ProjectProposalForm(
        data,
        initial=initial,
        goals=goals_in_order(),
        targets=Target.objects.select_related("goal").order_by("sort_key"),
        lead_partners=_approved_partners(hub).filter(members__user=user).distinct(),
        partners=_approved_partners(hub),
        indicators=selectors.hub_indicator_choices(hub),
    )


def propose(request, page: ProjectIndexPage):
    """Propose a project: saved as a draft and sent to the hub's coordinators for review.

    Visitors who may not propose (anonymous, or not with an approved partner of the hub) are
    where they would look for it, so they are told how proposals come about and how to become a
    partner (and to log in first): a page, not an error. Only a refused POST is a 403.
    """
    hub = page.get_hub()
    index_url = page.get_url(request)
    context = {"index_url": index_url, "current_title": _("Propose a project")}
    if not can_propose_project(request.user, hub):
        not_allowed = {
            **context,
            "apply_url": selectors.partnership_apply_url(hub, request),
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
        }
        status = 403 if request.method == "POST" else 200
        return _render_status(page, request, "projects/propose_not_allowed.html", not_allowed, status=status)
    form = _proposal_form(request, hub, data=request.POST if request.method == "POST" else None)
    wait = None
    if form.wants_preview:
        form.show_preview()
    # A proposal e-mails the hub's coordinators: a burst is refused, keeping what was typed.
    elif wait := (rate_limit_hit(request, "project-proposal") if request.method == "POST" else None):
        form.add_error(None, rate_limited_message(wait))
    elif request.method == "POST" and form.is_valid():
        try:
            project = services.project_propose(actor=request.user, index=page, fields=form.proposal_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            return _render_status(page, request, "projects/propose_not_allowed.html", context, status=403)
        else:
            messages.success(
                request,
                _("“%(title)s” has been sent for review. The coordinators of %(hub)s will answer you by e-mail.")
                % {"title": project.title, "hub": hub.title},
            )
            return redirect(f"{index_url}proposals/{project.pk}/")
    response = page.render(
        request,
        template="projects/propose.html",
        context_overrides={**context, "form": form, "targets_by_goal": form.targets_by_goal()},
    )
    return with_retry_after(response, wait)


def _render_status(page, request, template: str, context: dict, *, status: int):
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    return response


def _proposal(request, index: ProjectIndexPage, page_id: int) -> tuple[ProjectPage, ProjectPage]:
    """The project below ``index`` and its latest revision, if this person may see it; 404 otherwise."""
    project = ProjectPage.objects.child_of(index).filter(pk=page_id).first()
    if project is None:
        raise Http404(_("There is no proposal here with that number."))
    draft = project.get_latest_revision_as_object()
    # The draft's partners decide, since they are what the proposer will publish; so does the live page's.
    if not (can_view_project(request.user, draft) or can_view_project(request.user, project)):
        raise Http404(_("There is no proposal here with that number."))
    return project, draft


def proposal_detail(request, index: ProjectIndexPage, page_id: int):
    """The proposer's view of a proposal: its latest content and where it stands in review."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    project, draft = _proposal(request, index, page_id)
    index_url = index.get_url(request)
    return index.render(
        request,
        template="projects/proposal_detail.html",
        context_overrides={
            "index_url": index_url,
            "current_title": draft.title,
            "project": draft,
            "live_project": project,
            "status": selectors.proposal_status(project),
            "can_edit": can_edit_proposal(request.user, project),
            "edit_url": f"{index_url}proposals/{project.pk}/edit/",
            "body_paragraphs": body_paragraphs(draft),
            "goals": list(draft.goals.all()),
            "targets": sorted(draft.targets.all(), key=lambda target: target.sort_key),
            "partners": sorted(draft.partners.all(), key=lambda partner: partner.name),
            "links": list(draft.links.all()),
            "indicators": _with_hub(draft.indicators.all(), index.get_hub()),
            "approved_partner_ids": set(_approved_partners(index.get_hub()).values_list("pk", flat=True)),
        },
    )


def proposal_edit(request, index: ProjectIndexPage, page_id: int):
    """The proposer edits a proposal while it waits for review or after changes were requested."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    project, draft = _proposal(request, index, page_id)
    index_url = index.get_url(request)
    context = {"index_url": index_url, "current_title": _("Edit “%(title)s”") % {"title": draft.title}}
    if not can_edit_proposal(request.user, project):
        locked = {**context, "project": draft}
        return _render_status(index, request, "projects/proposal_locked.html", locked, status=403)
    hub = index.get_hub()
    if request.method == "POST":
        form = _proposal_form(request, hub, data=request.POST)
        if form.wants_preview:
            form.show_preview()
        elif form.is_valid():
            try:
                services.project_proposal_update(actor=request.user, page=project, fields=form.proposal_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied:
                return _render_status(
                    index, request, "projects/proposal_locked.html", {**context, "project": draft}, status=403
                )
            else:
                messages.success(request, _("Your changes have been saved and sent for review."))
                return redirect(f"{index_url}proposals/{project.pk}/")
    else:
        form = _proposal_form(request, hub, initial=proposal_initial(draft))
    return index.render(
        request,
        template="projects/propose.html",
        context_overrides={**context, "form": form, "targets_by_goal": form.targets_by_goal(), "editing": project},
    )


def body_paragraphs(project: ProjectPage) -> list[str]:
    """The description's text blocks as plain paragraphs (a proposal's body is plain text)."""
    paragraphs = []
    for block in project.body or ():
        if block.block_type == "text":
            text = strip_tags(block.value.source if hasattr(block.value, "source") else str(block.value)).strip()
        elif block.block_type == "heading":
            text = str(block.value.get("text", "")).strip()
        else:
            continue
        if text:
            paragraphs.append(text)
    return paragraphs


def body_markdown(project: ProjectPage) -> str:
    """The description as Markdown for the proposal form (``cms.markdown``): text blocks converted
    back from their HTML, headings as bold lines."""
    parts = []
    for block in project.body or ():
        if block.block_type == "text":
            html = block.value.source if hasattr(block.value, "source") else str(block.value)
            text = html_to_markdown(expand_db_html(html))
        elif block.block_type == "heading":
            heading = " ".join(str(block.value.get("text", "")).split())
            text = f"**{html_to_markdown(escape(heading))}**" if heading else ""
        else:
            continue
        if text:
            parts.append(text)
    return "\n\n".join(parts)


def _with_hub(indicators, hub) -> list:
    """The hub's indicators among ``indicators``, by name, each given ``hub`` for its address."""
    own = sorted((one for one in indicators if hub is not None and one.hub_id == hub.pk), key=lambda one: one.name)
    for indicator in own:
        indicator.hub = hub
    return own


def proposal_initial(project: ProjectPage) -> dict:
    return {
        "title": project.title,
        "summary": project.summary,
        "primary_goal": project.primary_goal_id,
        "goals": [goal.pk for goal in project.goals.all()],
        "targets": [target.pk for target in project.targets.all()],
        "status": project.status,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "lead_partner": project.lead_partner_id,
        "partners": [partner.pk for partner in project.partners.all()],
        "indicators": [indicator.pk for indicator in project.indicators.all()],
        "location": project.location,
        "contact_name": project.contact_name,
        "contact_email": project.contact_email,
        "funding_notes": project.funding_notes,
        "body_text": body_markdown(project),
    }


# --- The project page ----------------------------------------------------------------------------


def outcome_chart(outcome, measurements, *, page: ProjectPage) -> dict:
    """An outcome's line chart (``cms.charts.lines.dated_line_chart``): the baseline at the project's
    start, every measurement, and the target as a labelled line; the table beside it has the figures.

    The baseline is dated at the project's start date, else its first publication, else the first
    measurement (or today when nothing is measured): the chart needs a day to put it on.
    """
    if measurements:
        latest = measurements[-1]
        summary = _(
            "%(title)s: from %(baseline)s to %(latest)s %(unit)s (latest, %(date)s); "
            "target %(target)s by %(target_date)s."
        ) % {
            "title": outcome.title,
            "baseline": number_format(outcome.baseline),
            "latest": number_format(latest.value),
            "unit": outcome.unit,
            "date": date_format(latest.measured_on, "SHORT_DATE_FORMAT"),
            "target": number_format(outcome.target_value),
            "target_date": date_format(outcome.target_date, "SHORT_DATE_FORMAT"),
        }
    else:
        summary = _("%(title)s: no values measured yet; baseline %(baseline)s, target %(target)s %(unit)s.") % {
            "title": outcome.title,
            "baseline": number_format(outcome.baseline),
            "target": number_format(outcome.target_value),
            "unit": outcome.unit,
        }
    started = page.start_date or (timezone.localdate(page.first_published_at) if page.first_published_at else None)
    first_measured = measurements[0].measured_on if measurements else _today()
    baseline_on = min(started, first_measured) if started else first_measured
    points = [(baseline_on, outcome.baseline), *((m.measured_on, m.value) for m in measurements)]
    chart = dated_line_chart(
        points,
        title=outcome.title,
        description=summary,
        unit=outcome.unit,
        target=(outcome.target_date, outcome.target_value),
    )
    return {"outcome": outcome, "measurements": measurements, "summary": summary, "chart": chart}


# What the project page's public parts read (project_page_extra_context).
PROJECT_PAGE_NAMES = (
    "hero_image",
    "gallery_images",
    "outcomes",
    "outcome_charts",
    "progress_updates",
    "goals",
    "targets",
    "partners",
    "approved_partner_ids",
    "links",
    "indicators",
)


def project_page_extra_context(request, page: ProjectPage) -> dict:
    """What ``ProjectPage.get_context`` adds: the prefetched content, the charts, what the visitor may do."""
    preview = getattr(request, "is_preview", False)

    def content() -> dict:
        shown = selectors.project_page_context(page, page.get_hub(), preview=preview)
        shown["outcome_charts"] = [outcome_chart(outcome, outcome.history, page=page) for outcome in shown["outcomes"]]
        return shown

    # The facts, the content and the updates are public parts (project_page.html): read only to
    # render them, not when they come from the cache. A preview renders them all, at once.
    context = content() if preview else lazy_values(content, PROJECT_PAGE_NAMES)
    index = page.get_parent()  # routing left it cached: no query (the generic page will do)
    thresholds = selectors.reporting_thresholds(index.pk)
    if thresholds is not None:
        due_months, overdue_months = thresholds
        context["freshness"] = page.reporting_freshness(
            today=_today(), due_months=due_months, overdue_months=overdue_months
        )
        context["freshness_label"] = ReportingFreshness(context["freshness"]).label
        context["index_url"] = index.get_url(request)
    context["can_post_update"] = can_post_progress_update(request.user, page)
    context["update_url"] = f"/projects/{page.pk}/updates/new/"
    return context


def _update_image(*, page: ProjectPage, content, alt_text: str, actor):
    """Store an already re-encoded picture of a progress update as a Wagtail image in the hub's collection.

    Called inside the transaction that creates the update; ``_delete_files`` removes the file if it fails.
    """
    hub = page.get_hub()
    collection = getattr(hub, "collection", None) or Collection.get_first_root_node()
    image = get_image_model()(title=alt_text[:255], collection=collection, uploaded_by_user=actor)
    image.description = alt_text
    image.file.save(content.name, content, save=False)
    image._set_image_file_metadata()
    image.save()
    return image


def _delete_files(images) -> None:
    """A rolled-back transaction removes the Image rows but not their files."""
    for image in images:
        image.file.storage.delete(image.file.name)


def progress_update_new(request, page_id: int):
    """A project partner reports progress: text, pictures and new outcome values."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = get_object_or_404(ProjectPage.objects.live(), pk=page_id)
    if not can_view_project(request.user, page):
        raise Http404(_("There is no project here with that number."))
    context = {"page": page, "project": page, "hub": page.get_hub()}
    if not can_post_progress_update(request.user, page):
        return render(request, "projects/update_not_allowed.html", context, status=403)
    partner_ids = {partner.pk for partner in page.partners.all()} | {page.lead_partner_id}
    partners = Partner.objects.filter(pk__in=partner_ids, members__user=request.user).distinct().order_by("name")
    outcomes = list(page.outcomes.all())
    form = ProgressUpdateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        partners=partners,
        outcomes=outcomes,
        initial={"reported_on": _today()},
    )
    if form.wants_preview:
        form.show_preview()
    elif request.method == "POST" and form.is_valid():
        stored = []
        try:
            # One transaction: an update that fails leaves no pictures behind.
            with transaction.atomic():
                images = []
                for content, alt_text in form.images():
                    image = _update_image(page=page, content=content, alt_text=alt_text, actor=request.user)
                    stored.append(image)
                    images.append((image, alt_text))
                services.progress_update_create(
                    actor=request.user,
                    page=page,
                    partner=form.cleaned_data["partner"],
                    reported_on=form.cleaned_data["reported_on"],
                    text=markdown_html(form.cleaned_data["text"]),
                    outcome_values=form.outcome_values(),
                    images=images,
                )
        except ValidationError as error:
            _delete_files(stored)
            add_service_errors(form, error)
        except PermissionDenied:
            _delete_files(stored)
            return render(request, "projects/update_not_allowed.html", context, status=403)
        else:
            messages.success(request, _("Your progress update has been published."))
            return redirect(page.url + "#updates-heading")
    return render(request, "projects/progress_update_form.html", {**context, "form": form})
