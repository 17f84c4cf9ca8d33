"""The Wagtail admin's user management, with Dugnad's user forms."""

from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from accounts.admin.forms import UserCreationForm, UserEditForm


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user viewset; only the forms differ (see ``accounts.admin.forms``).

    The templates under ``wagtailusers/users/accounts/user/`` are found through Wagtail's
    ``template_prefix`` lookup and show the display name instead of first and last name.
    """

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
