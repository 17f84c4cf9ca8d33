"""The roles Dugnad knows, as Django groups.

- Site administrators run the installation (every hub, every setting).
- Hub coordinators: every coordinator is in this group, which opens the Wagtail admin; each hub
  also has a group of its own (``HubPage.coordinators_group``) holding the page permissions on
  that hub's subtree, so a coordinator acts only within their own hub.
- Registered users: everyone with an account; joined at sign-up.
"""

SITE_ADMINISTRATORS = "Site administrators"
HUB_COORDINATORS = "Hub coordinators"
REGISTERED_USERS = "Registered users"
