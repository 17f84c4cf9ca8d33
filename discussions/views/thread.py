"""The links to a thread and a comment (``/threads/<id>/``, ``/comments/<id>/``), and the participants
the @mention autocomplete suggests."""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from discussions import selectors
from discussions.permissions import why_not_comment
from discussions.views.common import comment_or_404, json_error, thread_or_404


@require_http_methods(["GET"])
def thread_participants(request, thread_id: int):
    """``?q=Ka``: display names of the thread's participants for the @mention autocomplete (JSON).

    Only for someone logged in who may comment in the thread; names only, never e-mail addresses.
    """
    if not request.user.is_authenticated:
        return json_error(403, _("Log in to comment."))
    thread = thread_or_404(request, thread_id)
    if not selectors.viewer_for(request.user, thread).can_comment:
        return json_error(403, why_not_comment(request.user, thread))
    query = request.GET.get("q", "")[:100]
    names = selectors.mention_suggestions(thread, query, exclude_user_id=request.user.pk)
    response = JsonResponse({"participants": [{"name": name} for name in names]})
    response["Cache-Control"] = "private, no-store"
    return response


def thread_redirect(request, thread_id: int):
    """``/threads/<id>/``: the thread's own page (its project's ``#discussion``, or the forum topic)."""
    thread = thread_or_404(request, thread_id)
    url = selectors.thread_url(thread, request)
    if url is None:
        raise Http404(_("There is no discussion here with that number."))
    return redirect(url)


def comment_redirect(request, comment_id: int):
    """``/comments/<id>/``: the comment in its thread (links in notifications and the admin)."""
    comment = comment_or_404(request, comment_id)
    url = selectors.comment_url(comment, request)
    if url is None:
        raise Http404(_("There is no comment here with that number."))
    return redirect(url)
