"""Local reviews in the Wagtail admin: the "Local review" menu item, its form and the draft's addresses."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reviews.admin import views as admin_views
from reviews.permissions import can_use_reviews


@hooks.register("register_admin_urls")
def register_reviews_admin_urls():
    return [
        path("reviews/", admin_views.ReviewFormView.as_view(), name=admin_views.FORM_URL_NAME),
        path("reviews/<int:hub_id>/", admin_views.review_html_view, name=admin_views.HTML_URL_NAME),
        path("reviews/<int:hub_id>/review.pdf", admin_views.review_pdf_view, name=admin_views.PDF_URL_NAME),
    ]


class LocalReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_reviews(request.user)


@hooks.register("register_admin_menu_item")
def register_local_review_menu_item():
    return LocalReviewMenuItem(
        _("Local review"), reverse(admin_views.FORM_URL_NAME), name="local-review", icon_name="doc-full", order=260
    )
