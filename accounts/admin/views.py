"""The admin side of own data: a site administrator closes someone's account on request."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.admin.forms import AccountCloseOnRequestForm
from accounts.models import User
from accounts.permissions import can_close_account
from accounts.services import account_close


class AccountCloseOnRequestView(WagtailAdminTemplateMixin, FormView):
    """Close an account for its owner (who asked by e-mail or in person); erased after the grace period."""

    template_name = "accounts/admin/close_account.html"
    form_class = AccountCloseOnRequestForm
    header_icon = "user"
    page_title = gettext_lazy("Close account")

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(User, pk=kwargs["user_id"], closed_at__isnull=True)
        if self.person.pk == request.user.pk or not can_close_account(request.user, self.person):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailusers_users:index"), "label": _("Users")},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.person)},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def form_valid(self, form):
        try:
            account_close(
                actor=self.request.user,
                user=self.person,
                remove_comment_text=form.cleaned_data["remove_comment_text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The account of %(name)s is closed.") % {"name": self.person})
        return redirect("wagtailusers_users:index")
