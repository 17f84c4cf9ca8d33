"""Wagtail's users app, configured to use Dugnad's user viewset.

Wagtail 6.1+ replaced the ``WAGTAIL_USER_EDIT_FORM`` settings with this: list
``accounts.wagtail_config.WagtailUsersConfig`` in ``INSTALLED_APPS`` instead of ``wagtail.users``.
It lives in its own module because Django picks an app's default config from ``apps.py``.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class WagtailUsersConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.admin.viewsets.UserViewSet"
