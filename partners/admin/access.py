"""Who sees what of the partners registry in the Wagtail admin.

Coordinators are not given Django model permissions on partners: what they may see follows from
the hubs they coordinate, so these Wagtail permission policies derive it from there (using the
predicates in ``partners.permissions`` and ``cms.permissions``, and the hubs from
``cms.admin.access``). Site administrators see all.
Registered in ``partners.wagtail_hooks`` before any viewset asks for a policy.
"""

from wagtail.permission_policies import BasePermissionPolicy

from cms.admin.access import coordinated_hubs, users_who_coordinate
from cms.permissions import is_site_administrator
from partners.models import Partner, Partnership, PartnerTerms
from partners.permissions import can_decide_partnership, can_manage_hub_partners

VIEW = "view"


def can_use_partners_admin(user) -> bool:
    """The partners section of the admin is for site administrators and coordinators of some hub.

    Remembered on the user object (one per request), because listings ask once per row.
    """
    cached = getattr(user, "_can_use_partners_admin", None)
    if cached is None:
        cached = is_site_administrator(user) or coordinated_hubs(user).exists()
        if user is not None:
            user._can_use_partners_admin = cached
    return cached


class _CoordinatorPolicy(BasePermissionPolicy):
    """Shared shape: ``allowed`` says which actions a user may take on the model at all."""

    def allowed(self, user, action: str) -> bool:
        raise NotImplementedError

    def user_has_permission(self, user, action):
        return self.allowed(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.allowed(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = users_who_coordinate()
        return users if any(action == VIEW for action in actions) else users.none()


class PartnershipPermissionPolicy(_CoordinatorPolicy):
    """Coordinators see their hubs' partnerships; decisions go through ``services.partnership_decide``,
    so nobody gets the generic add/change/delete."""

    def allowed(self, user, action):
        return action == VIEW and can_use_partners_admin(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == VIEW and can_decide_partnership(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if VIEW not in actions:
            return Partnership.objects.none()
        if is_site_administrator(user):
            return Partnership.objects.all()
        return Partnership.objects.filter(hub__in=coordinated_hubs(user))


class PartnerPermissionPolicy(_CoordinatorPolicy):
    """Site administrators edit any partner; coordinators read the partners that are in their hubs.

    Nobody adds partners here: organisations register themselves on the site or come in by CSV
    import, both of which go through the partners' own rules.
    """

    def allowed(self, user, action):
        if action in {"change", "delete"}:
            return is_site_administrator(user)
        return action == VIEW and can_use_partners_admin(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in {"change", "delete"}:
            return is_site_administrator(user)
        visible = self.instances_user_has_any_permission_for(user, [VIEW])
        return action == VIEW and visible.filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if is_site_administrator(user):
            return Partner.objects.all()
        if VIEW not in actions:
            return Partner.objects.none()
        in_their_hubs = Partnership.objects.filter(hub__in=coordinated_hubs(user)).values("partner")
        return Partner.objects.filter(pk__in=in_their_hubs)


class PartnerTermsPermissionPolicy(_CoordinatorPolicy):
    """Coordinators publish new versions of their own hubs' terms; a published version never changes
    (partnerships point at the version they accepted)."""

    def allowed(self, user, action):
        return action in {"add", VIEW} and can_use_partners_admin(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in {"add", VIEW} and can_manage_hub_partners(user, instance.hub)

    def instances_user_has_any_permission_for(self, user, actions):
        if not ({"add", VIEW} & set(actions)):
            return PartnerTerms.objects.none()
        return PartnerTerms.objects.filter(hub__in=coordinated_hubs(user))


partnership_permission_policy = PartnershipPermissionPolicy(Partnership)
partner_permission_policy = PartnerPermissionPolicy(Partner)
partner_terms_permission_policy = PartnerTermsPermissionPolicy(PartnerTerms)
