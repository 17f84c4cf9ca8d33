"""Who may do what with projects: the one place these rules live.

Views, templates, the Wagtail admin and services all ask these predicates. A project's hub is the
hub above its page; coordinators of one hub never reach another hub's projects.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from accounts.request_memo import remembered
from cms.models import HubPage
from cms.permissions import is_hub_coordinator
from partners.models import PartnerMember, PartnershipStatus
from projects.models import ProjectPage

AnyUser = AbstractBaseUser | AnonymousUser | None


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _is_public(page: ProjectPage) -> bool:
    """Live and not behind a Wagtail view restriction (password, login or group)."""
    return page.live and not page.get_view_restrictions().exists()


def _partner_ids(page: ProjectPage) -> set[int]:
    """The lead and participating partners, as the page in hand says (a draft's values come from its revision)."""
    ids = {partner.pk for partner in page.partners.all()}
    if page.lead_partner_id:
        ids.add(page.lead_partner_id)
    return ids


def is_project_partner_member(user: AnyUser, page: ProjectPage) -> bool:
    """``user`` acts for the project's lead partner or one of its participating partners."""
    if not _active(user):
        return False
    partner_ids = _partner_ids(page)
    if not partner_ids:
        return False
    memberships = PartnerMember.objects.filter(user=user).values_list("partner_id", flat=True)
    mine = remembered(user, "projects:partners", lambda: set(memberships))
    return not mine.isdisjoint(partner_ids)


def is_proposer(user: AnyUser, page: ProjectPage) -> bool:
    return _active(user) and page.proposed_by_id is not None and page.proposed_by_id == user.pk


def can_manage_project(user: AnyUser, page: ProjectPage) -> bool:
    """Review, approve, publish and edit in the admin: the coordinators of the project's own hub only."""
    hub = page.get_hub()
    return hub is not None and is_hub_coordinator(user, hub)


def can_view_project(user: AnyUser, page: ProjectPage) -> bool:
    """Live, public projects are for everyone; a draft or a proposal in review only for the people
    who made it, the partners in it and the hub's coordinators."""
    if _is_public(page):
        return True
    return is_proposer(user, page) or is_project_partner_member(user, page) or can_manage_project(user, page)


def can_propose_project(user: AnyUser, hub: HubPage) -> bool:
    """Members of a partner that is approved in ``hub`` propose projects there."""
    return (
        _active(user)
        and PartnerMember.objects.filter(
            user=user, partner__partnerships__hub=hub, partner__partnerships__status=PartnershipStatus.APPROVED
        ).exists()
    )


def can_edit_proposal(user: AnyUser, page: ProjectPage) -> bool:
    """The proposer edits from the public site until the project is published (while it waits for
    review or after changes were requested); coordinators always may."""
    if can_manage_project(user, page):
        return True
    return is_proposer(user, page) and not page.live


def can_post_progress_update(user: AnyUser, page: ProjectPage) -> bool:
    """The project's partners report on it, once it is published."""
    return page.live and is_project_partner_member(user, page)
