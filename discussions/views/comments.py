"""Posting a comment, and changing, deleting or reporting one's own or someone else's.

A comment is an ordinary form POST that works without JavaScript (a 303 to the comment on its page,
or the form again with the text kept and the error beside it); ``static/js/discussion.js`` posts the
same form with ``Accept: application/json`` and gets JSON with the same status codes (201, 400, 403,
429 with ``Retry-After``). Without JavaScript a form with errors comes back with 200, as every form
of the site does; refusals are 403, rate limits 429.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.forms import add_service_errors
from discussions import live, selectors, services
from discussions.forms import CommentEditForm, CommentForm, CommentReportForm
from discussions.models import Comment, Thread
from discussions.permissions import (
    can_delete_comment,
    can_edit_comment,
    can_report_comment,
    current_suspension,
    why_not_comment,
)
from discussions.views.common import (
    comment_back_url,
    comment_or_404,
    json_error,
    not_allowed,
    see_other,
    thread_back_url,
    thread_or_404,
)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _json_forbidden(user, thread: Thread, message: str) -> JsonResponse:
    """403 with the message; a suspended person's browser also gets the suspension's end and reason."""
    suspension = current_suspension(user, thread.hub_id)
    extra = {"suspension": selectors.suspension_json(suspension)} if suspension is not None else {}
    return json_error(403, message, **extra)


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in ValidationError(errors).messages]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


def _reply_target(thread: Thread, reply_to_id: int | None) -> Comment | None:
    if not reply_to_id:
        return None
    return Comment.objects.select_related("author", "reply_to").filter(pk=reply_to_id, thread=thread).first()


def _comment_form_page(request, thread: Thread, form: CommentForm, *, reply_to: Comment | None, status: int = 200):
    """The comment form on a page of its own: replying without JavaScript, or the text back with its error."""
    response = render(
        request,
        "discussions/comment_form_page.html",
        {
            "thread": thread,
            "form": form,
            "reply_to": reply_to,
            "back_url": thread_back_url(thread, request),
            "action": request.path,
        },
        status=status,
    )
    patch_vary_headers(response, ("Cookie",))
    return response


@require_http_methods(["GET", "POST"])
def comment_create(request, thread_id: int):
    """Post a comment (``body``, optional ``reply_to``); GET shows the form alone (to reply without JavaScript)."""
    thread = thread_or_404(request, thread_id)
    as_json = _wants_json(request)
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        reply_to = _reply_target(thread, _int_or_none(request.GET.get("reply_to")))
        form = CommentForm(initial={"reply_to": reply_to.pk if reply_to else None})
        if not selectors.viewer_for(request.user, thread, request.session).can_comment:
            return not_allowed(
                request,
                title=_("Write a comment"),
                message=why_not_comment(request.user, thread),
                back_url=thread_back_url(thread, request),
            )
        return _comment_form_page(request, thread, form, reply_to=reply_to)

    form = CommentForm(request.POST)
    typed = request.POST.get("body", "")
    reply_to = None
    if not request.user.is_authenticated:
        message = why_not_comment(request.user, thread)
        if as_json:
            return json_error(403, message)
        return not_allowed(
            request,
            title=_("Write a comment"),
            message=message,
            back_url=thread_back_url(thread, request),
            kept_text=typed,
        )
    if form.is_valid():
        reply_to = _reply_target(thread, form.cleaned_data.get("reply_to"))
        if form.cleaned_data.get("reply_to") and reply_to is None:
            form.add_error("reply_to", _("The comment you answered is not in this discussion any more."))
    if not form.is_valid():
        if as_json:
            return JsonResponse({"errors": _form_errors(form)}, status=400)
        return _comment_form_page(request, thread, form, reply_to=reply_to)
    try:
        comment = services.comment_post(
            actor=request.user,
            thread=thread,
            body=form.cleaned_data["body"],
            reply_to=reply_to,
            session=request.session,
        )
    except PermissionDenied as error:
        message = str(error) or why_not_comment(request.user, thread)
        if as_json:
            return _json_forbidden(request.user, thread, message)
        return not_allowed(
            request,
            title=_("Write a comment"),
            message=message,
            back_url=thread_back_url(thread, request),
            kept_text=typed,
        )
    except services.CommentRateLimited as limited:
        if as_json:
            response = json_error(429, limited.message, retry_after=limited.retry_after)
        else:
            form.add_error("body", limited.message)
            response = _comment_form_page(request, thread, form, reply_to=reply_to, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    except ValidationError as error:
        if as_json:
            return JsonResponse({"errors": _error_dict(error)}, status=400)
        add_service_errors(form, error)
        return _comment_form_page(request, thread, form, reply_to=reply_to)
    if as_json:
        comment.thread = thread
        return JsonResponse(
            {"id": comment.pk, "seq": comment.seq, "parent": comment.reply_to_id, "html": live.published_html(comment)},
            status=201,
        )
    messages.success(request, _("Your comment has been posted."))
    return see_other(comment_back_url(comment, request))


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(message) for message in errors] for field, errors in form.errors.items()}


# --- Changing one's own comment, reporting ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def comment_edit(request, comment_id: int):
    """The author changes the text of their comment; the earlier wording is kept for moderators."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = comment_or_404(request, comment_id)
    back_url = comment_back_url(comment, request)
    if not can_edit_comment(request.user, comment, request.session):
        return not_allowed(
            request,
            title=_("Edit your comment"),
            message=_("You can only edit your own comments, while you may comment in the thread."),
            back_url=back_url,
            kept_text=request.POST.get("body", "") if request.method == "POST" else "",
        )
    form = CommentEditForm(request.POST if request.method == "POST" else None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=request.user, comment=comment, body=form.cleaned_data["body"], session=request.session
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return not_allowed(
                request,
                title=_("Edit your comment"),
                message=str(error),
                back_url=back_url,
                kept_text=form.cleaned_data["body"],
            )
        else:
            messages.success(request, _("Your comment has been changed."))
            return see_other(back_url)
    return render(
        request,
        "discussions/comment_edit.html",
        {"comment": comment, "thread": comment.thread, "form": form, "back_url": back_url},
    )


@require_http_methods(["GET", "POST"])
def comment_delete(request, comment_id: int):
    """The author deletes their comment (after confirming); it shows as "comment deleted"."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = comment_or_404(request, comment_id)
    back_url = comment_back_url(comment, request)
    if not can_delete_comment(request.user, comment):
        return not_allowed(
            request,
            title=_("Delete your comment"),
            message=_("You can only delete your own comments."),
            back_url=back_url,
        )
    if request.method == "POST":
        try:
            services.comment_delete(actor=request.user, comment=comment)
        except PermissionDenied as error:
            return not_allowed(request, title=_("Delete your comment"), message=str(error), back_url=back_url)
        messages.success(request, _("Your comment has been deleted."))
        return see_other(back_url)
    return render(
        request,
        "discussions/comment_delete.html",
        {"comment": comment, "thread": comment.thread, "back_url": back_url},
    )


@require_http_methods(["GET", "POST"])
def comment_report(request, comment_id: int):
    """Anyone logged in reports someone else's comment to the hub's coordinators, with a reason."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = comment_or_404(request, comment_id)
    back_url = comment_back_url(comment, request)
    if not can_report_comment(request.user, comment, request.session):
        return not_allowed(
            request,
            title=_("Report a comment"),
            message=_("You cannot report this comment: it is your own, or it is no longer shown."),
            back_url=back_url,
        )
    form = CommentReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(
                actor=request.user,
                comment=comment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                session=request.session,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return not_allowed(request, title=_("Report a comment"), message=str(error), back_url=back_url)
        else:
            messages.success(request, _("Thank you. The hub's coordinators will look at the comment."))
            return see_other(back_url)
    return render(
        request,
        "discussions/comment_report.html",
        {"comment": comment, "thread": comment.thread, "form": form, "back_url": back_url},
    )
