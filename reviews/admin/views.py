"""The "Local review" page of the admin and the review draft itself, as a printable page and a PDF.

The draft is rendered in the language asked for (``translation.override``), whatever the admin's
own language, from ``reviews.selectors.review_draft``.
"""

from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.admin.access import forbidden
from cms.models import HubPage
from cms.slugs import slugify_no
from reviews.admin.forms import ReviewForm, ReviewPeriodForm
from reviews.permissions import can_generate_review, can_use_reviews
from reviews.selectors import review_draft

FORM_URL_NAME = "reviews_admin_form"
HTML_URL_NAME = "reviews_admin_html"
PDF_URL_NAME = "reviews_admin_pdf"
QUERY_KEYS = ("from", "to", "lang")


class ReviewFormView(WagtailAdminTemplateMixin, TemplateView):
    """Choose hub, period and language; then the links to the draft as a page and as a PDF."""

    template_name = "reviews/admin/form.html"
    page_title = gettext_lazy("Local review")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_reviews(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = "hub" in self.request.GET
        form = ReviewForm(self.request.GET if bound else None, user=self.request.user)
        links = None
        if bound and form.is_valid():
            hub = form.cleaned_data["hub"]
            query = urlencode(
                {"from": form.cleaned_data["start"], "to": form.cleaned_data["end"], "lang": form.cleaned_data["lang"]}
            )
            links = {
                "hub": hub,
                "html": f"{reverse(HTML_URL_NAME, args=[hub.pk])}?{query}",
                "pdf": f"{reverse(PDF_URL_NAME, args=[hub.pk])}?{query}",
            }
        context.update(form=form, links=links)
        return context


def _draft(request, hub_id: int):
    """(hub, form) for a draft request, or the response refusing it."""
    hub = get_object_or_404(HubPage, pk=hub_id)
    if not can_generate_review(request.user, hub):
        return None, forbidden(request)
    form = ReviewPeriodForm(request.GET)
    if not form.is_valid():
        messages = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return None, HttpResponseBadRequest(messages, content_type="text/plain; charset=utf-8")
    return (hub, form), None


def _render(request, hub: HubPage, form: ReviewPeriodForm, *, for_pdf: bool) -> str:
    language = form.cleaned_data["lang"]
    context = {
        "language": language,
        "for_pdf": for_pdf,
        "pdf_url": f"{reverse(PDF_URL_NAME, args=[hub.pk])}?{urlencode({key: request.GET[key] for key in QUERY_KEYS})}",
    }
    with translation.override(language):
        context["review"] = review_draft(hub, form.period, today=timezone.localdate())
        return render_to_string("reviews/review.html", context)


def review_html_view(request, hub_id: int):
    """The draft as a printable page (the print stylesheet lays it out on A4)."""
    draft, refusal = _draft(request, hub_id)
    if refusal:
        return refusal
    hub, form = draft
    response = HttpResponse(_render(request, hub, form, for_pdf=False))
    response["Cache-Control"] = "private, no-store"
    return response


def review_pdf_view(request, hub_id: int):
    """The draft as a PDF, from the same HTML."""
    draft, refusal = _draft(request, hub_id)
    if refusal:
        return refusal
    hub, form = draft
    period = form.period
    try:
        # WeasyPrint loads Pango when imported: only a PDF needs it, so a server without it still runs.
        from reviews.pdf import render_pdf
    except OSError:
        message = gettext(
            "This server cannot make PDFs: the system libraries WeasyPrint needs (Pango) are missing. "
            "Open the printable page and print it to PDF from the browser."
        )
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_pdf(_render(request, hub, form, for_pdf=True)), content_type="application/pdf")
    filename = f"vlr-{slugify_no(hub.title) or hub.pk}-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
