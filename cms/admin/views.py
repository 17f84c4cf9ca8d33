"""The shape every app's own Wagtail admin pages share (events, indicators)."""

from django.urls import reverse
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class AppAdminView(WagtailAdminTemplateMixin):
    """An admin page of an app section: breadcrumbs Home › <section> › <this page>.

    Subclasses set ``index_url_name`` and ``index_label``; the section's index sets ``is_index``.
    """

    index_url_name: str
    index_label: str
    is_index = False

    def get_breadcrumbs_items(self):
        here = {"url": "", "label": self.get_page_title()}
        if self.is_index:
            return [*self.breadcrumbs_items, here]
        return [*self.breadcrumbs_items, {"url": reverse(self.index_url_name), "label": self.index_label}, here]
