"""What the public discussion views share: finding the thread or comment (in the hub's language),
where to go back to, the plain refusal page, JSON errors and the 303 after a POST."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from discussions import selectors
from discussions.models import Comment, Thread
from discussions.permissions import can_view_thread


def use_hub_language(request, hub) -> None:
    """Speak the hub's language unless the visitor chose one (as hub pages do: ``HubSectionMixin``)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and translation.check_for_language(chosen):
        return
    if hub is not None and getattr(hub, "default_language", ""):
        translation.activate(hub.default_language)
        request.LANGUAGE_CODE = hub.default_language


def thread_or_404(request, thread_id: int) -> Thread:
    thread = selectors.thread_for_block(thread_id)
    if thread is None or not can_view_thread(request.user, thread, request.session):
        raise Http404(_("There is no discussion here with that number."))
    use_hub_language(request, thread.hub)
    return thread


def comment_or_404(request, comment_id: int) -> Comment:
    comment = selectors.comment_with_thread(comment_id)
    if comment is None or not can_view_thread(request.user, comment.thread, request.session):
        raise Http404(_("There is no comment here with that number."))
    use_hub_language(request, comment.thread.hub)
    return comment


def thread_back_url(thread: Thread, request) -> str:
    return selectors.thread_url(thread, request) or "/"


def comment_back_url(comment: Comment, request) -> str:
    return selectors.comment_url(comment, request) or thread_back_url(comment.thread, request)


def not_allowed(request, *, title: str, message: str, back_url: str, kept_text: str = "", status: int = 403):
    """Say plainly why not, with a way back (and the visitor's text, if they had typed some)."""
    response = render(
        request,
        "discussions/not_allowed.html",
        {
            "title": title,
            "message": message,
            "back_url": back_url,
            "kept_text": kept_text,
            "login_url": None if request.user.is_authenticated else settings.LOGIN_URL,
        },
        status=status,
    )
    patch_vary_headers(response, ("Cookie",))
    return response


def json_error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def see_other(url: str):
    """303: the browser follows with a GET, so a reload does not post again."""
    response = redirect(url)
    response.status_code = 303
    return response
