"""What open data may show: public hubs, their public lists, and the rows of the downloads.

Only what anonymous visitors see on the site is open data: live hubs without a view restriction
(nor an unpublished page above them), projects from ``projects.selectors.project_list`` (live,
public) below a live, public project list of such a hub, and partners from
``partners.selectors.directory_partners`` (approved partnerships) of hubs whose partner directory
is live and public. The downloads take the list pages' own filter forms and selectors, so a
download holds what the page shows.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from wagtail.models import Page

from accounts.urls_absolute import page_absolute_url
from cms.models import HubPage
from cms.restrictions import page_audience, public_q
from goals.selectors import goals_in_order
from partners.forms import DirectoryFilterForm
from partners.models import Partner, PartnerIndexPage, Partnership, PartnershipStatus
from partners.selectors import directory_partners
from projects import selectors as project_selectors
from projects.forms import ProjectFilterForm
from projects.models import ProjectIndexPage, ProjectPage


@dataclass(frozen=True)
class PublicHub:
    """A public hub with the addresses its open data needs (absolute, on ``SITE_URL``)."""

    hub: HubPage
    url: str
    projects_index: ProjectIndexPage | None
    projects_url: str
    directory: PartnerIndexPage | None
    directory_url: str

    @property
    def slug(self) -> str:
        return self.hub.slug


def _public_children(model, hubs: list[HubPage]) -> dict[str, Page]:
    """The live, public pages of ``model`` directly below ``hubs``, by their hub's path (the first per hub)."""
    if not hubs:
        return {}
    below = Q(pk__in=[])
    for hub in hubs:
        below |= Q(path__startswith=hub.path, depth=hub.depth + 1)
    children = {}
    for page in model.objects.live().filter(public_q()).filter(below).order_by("path"):
        children.setdefault(page.path[: -Page.steplen], page)
    return children


def public_hubs() -> list[PublicHub]:
    """Every hub anonymous visitors may see, by title, with its public project list and partner directory."""
    hubs = [hub for hub in HubPage.objects.live().filter(public_q()).order_by("title", "pk") if _is_public(hub)]
    indexes = _public_children(ProjectIndexPage, hubs)
    directories = _public_children(PartnerIndexPage, hubs)
    result = []
    for hub in hubs:
        index, directory = indexes.get(hub.path), directories.get(hub.path)
        result.append(
            PublicHub(
                hub=hub,
                url=page_absolute_url(hub),
                projects_index=index,
                projects_url=page_absolute_url(index) if index else "",
                directory=directory,
                directory_url=page_absolute_url(directory) if directory else "",
            )
        )
    return result


def _is_public(hub: HubPage) -> bool:
    # The cached audience also knows about unpublished pages above the hub.
    return page_audience(hub).public


def public_hub(slug: str) -> PublicHub | None:
    """The public hub with this slug (the first by tree path if two sites reuse one), or None."""
    for public in sorted(public_hubs(), key=lambda item: item.hub.path):
        if public.hub.slug == slug:
            return public
    return None


# --- Projects -------------------------------------------------------------------------------------


def project_filter_form(data, hubs: list[PublicHub]) -> ProjectFilterForm:
    """The project list's filter form, offering the partners approved in ``hubs``."""
    partners = Partner.objects.filter(
        partnerships__hub__in=[item.hub for item in hubs], partnerships__status=PartnershipStatus.APPROVED
    ).distinct()
    return ProjectFilterForm(
        data,
        goals=project_selectors.goal_catalogue(),
        targets=project_selectors.target_catalogue(),
        partners=list(partners.order_by("name").values_list("pk", "name")),
    )


def project_rows(hubs: list[PublicHub], form: ProjectFilterForm) -> QuerySet[ProjectPage]:
    """The public projects of ``hubs`` that the project list with ``form``'s filters shows, in its order,
    with what a row needs joined (primary goal, lead partner) or prefetched (goals, targets, partners)."""
    indexes = [item.projects_index for item in hubs if item.projects_index is not None]
    if not indexes:
        return ProjectPage.objects.none()
    root = indexes[0] if len(indexes) == 1 else Page.get_first_root_node()
    below = Q(pk__in=[])
    for index in indexes:
        below |= Q(path__startswith=index.path, depth=index.depth + 1)
    projects = project_selectors.project_list(root, sort=form.sort_order(), **form.filters()).filter(below)
    return (
        projects.select_related(None)
        .prefetch_related(None)
        .select_related("primary_goal", "lead_partner")
        .prefetch_related("goals", "targets", "partners")
    )


# --- Partners -------------------------------------------------------------------------------------


def partner_filter_form(data) -> DirectoryFilterForm:
    """The partner directory's filter form."""
    return DirectoryFilterForm(data, goals=list(goals_in_order()))


def partner_rows(hubs: list[PublicHub], form: DirectoryFilterForm) -> QuerySet[Partner]:
    """The partners approved in ``hubs`` (those with a public directory) that the directory with
    ``form``'s filters shows, by name, with goals, focus themes and their approved partnerships prefetched."""
    with_directory = [item.hub for item in hubs if item.directory is not None]
    if not with_directory:
        return Partner.objects.none()
    filters = form.filters()
    if len(with_directory) == 1:
        partners = directory_partners(with_directory[0], **filters)
    else:
        partners = directory_partners(None, hubs=with_directory, **filters)
    approved = Partnership.objects.filter(hub__in=with_directory, status=PartnershipStatus.APPROVED)
    return partners.prefetch_related(None).prefetch_related(
        "goals", "tagged_items__tag", Prefetch("partnerships", queryset=approved, to_attr="public_partnerships")
    )
