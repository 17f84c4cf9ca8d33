"""Which dependency keys (``cms.dependency``) writes to organisations and partnerships replace."""

from cms import dependency
from cms.content_dependencies import goal_keys
from partners.models import (
    Partner,
    PartnerInvitation,
    PartnerMember,
    PartnerOldSlug,
    Partnership,
    PartnershipEvent,
    PartnerTerms,
    TaggedPartner,
)


def partner_keys(partner_id: int) -> set[str]:
    """An organisation's page, the directories and goal pages that list it, and the pages of the
    projects it leads or takes part in (found through their relations' names: projects is above)."""
    hub_ids = Partnership.objects.filter(partner_id=partner_id).values_list("hub_id", flat=True)
    goal_ids = Partner.goals.through.objects.filter(partner_id=partner_id).values_list("goal_id", flat=True)
    led = Partner.objects.filter(pk=partner_id, led_projects__isnull=False).values_list("led_projects", flat=True)
    part = Partner.objects.filter(pk=partner_id, projects__isnull=False).values_list("projects", flat=True)
    pages = {dependency.page(pk) for pk in [*led, *part]}
    return {dependency.partner(partner_id), *(dependency.hub(h) for h in hub_ids), *goal_keys(goal_ids), *pages}


def _partnership(partnership) -> set[str]:
    # Approving or ending one changes the hub's directory, lists and counters, and the front page's.
    return {dependency.partner(partnership.partner_id), dependency.hub(partnership.hub_id), dependency.HOME}


dependency.register(
    Partner, lambda partner: partner_keys(partner.pk), referenced=lambda partner: {dependency.partner(partner.pk)}
)
dependency.register(TaggedPartner, lambda tagged: partner_keys(tagged.content_object_id))
dependency.register(PartnerOldSlug, lambda old: {dependency.partner(old.partner_id)})
dependency.register(Partnership, _partnership)
dependency.register(PartnerTerms, lambda terms: {dependency.hub(terms.hub_id)})
# Members, invitations and the partnership log are shown only to the organisation and coordinators.
dependency.never_public(PartnerMember, PartnerInvitation, PartnershipEvent)
