"""The public side of discussions: posting and changing comments, moderating from the thread, the forum.

Views only translate between HTTP and ``discussions.services``; who may do what is asked of
``discussions.permissions``. A comment is an ordinary form POST that works without JavaScript (a
303 to the comment on its page, or the form again with the text kept and the error beside it);
``static/js/discussion.js`` posts the same form with ``Accept: application/json`` and gets JSON
with the same status codes (201, 400, 403, 429 with ``Retry-After``). Without JavaScript a form with
errors comes back with 200, as every form of the site does; refusals are 403, rate limits 429.

The forum's list, new-topic form and topic page are routes of the hub's ``ForumIndexPage``; the
rest are plain Django views under ``/threads/`` and ``/comments/``, served in the hub's language
unless the visitor chose one.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.forms import add_service_errors as add_service_error
from discussions import live, selectors, services
from discussions.forms import CommentEditForm, CommentForm, CommentReportForm, ModerationReasonForm, TopicForm
from discussions.models import Comment, ForumIndexPage, Thread
from discussions.permissions import (
    can_delete_comment,
    can_edit_comment,
    can_moderate_thread,
    can_open_topic,
    can_report_comment,
    can_view_thread,
    current_suspension,
    has_verified_email,
)

logger = logging.getLogger(__name__)

FORUM_PAGE_SIZE = 20


# --- Helpers -------------------------------------------------------------------------------------


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _use_hub_language(request, hub) -> None:
    """Speak the hub's language unless the visitor chose one (as hub pages do: ``HubSectionMixin``)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and translation.check_for_language(chosen):
        return
    if hub is not None and getattr(hub, "default_language", ""):
        translation.activate(hub.default_language)
        request.LANGUAGE_CODE = hub.default_language


def _thread_or_404(request, thread_id: int) -> Thread:
    thread = selectors.thread_for_block(thread_id)
    if thread is None or not can_view_thread(request.user, thread, request.session):
        raise Http404(_("There is no discussion here with that number."))
    _use_hub_language(request, thread.hub)
    return thread


def _comment_or_404(request, comment_id: int) -> Comment:
    comment = selectors.comment_with_thread(comment_id)
    if comment is None or not can_view_thread(request.user, comment.thread, request.session):
        raise Http404(_("There is no comment here with that number."))
    _use_hub_language(request, comment.thread.hub)
    return comment


def _back_url(thread: Thread, request) -> str:
    return selectors.thread_url(thread, request) or "/"


def _comment_back_url(comment: Comment, request) -> str:
    return selectors.comment_url(comment, request) or _back_url(comment.thread, request)


def _not_allowed(request, *, title: str, message: str, back_url: str, kept_text: str = "", status: int = 403):
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


def why_not_comment(user, thread: Thread) -> str:
    """Why ``user`` cannot comment in ``thread``, in words they can act on."""
    if not user.is_authenticated:
        return _("Log in to comment.")
    if not has_verified_email(user):
        return _("Confirm your e-mail address before you comment.")
    if thread.locked:
        return _("This thread is locked: nobody can comment in it.")
    suspension = current_suspension(user, thread.hub_id)
    if suspension is not None:
        return selectors.suspension_message(suspension)
    return _("You cannot comment in this thread.")


def _json_forbidden(user, thread: Thread, message: str) -> JsonResponse:
    """403 with the message; a suspended person's browser also gets the suspension's end and reason."""
    suspension = current_suspension(user, thread.hub_id)
    extra = {"suspension": selectors.suspension_json(suspension)} if suspension is not None else {}
    return _json_error(403, message, **extra)


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in ValidationError(errors).messages]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


# --- Threads ---------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def thread_participants(request, thread_id: int):
    """``?q=Ka``: display names of the thread's participants for the @mention autocomplete (JSON).

    Only for someone logged in who may comment in the thread; names only, never e-mail addresses.
    """
    if not request.user.is_authenticated:
        return _json_error(403, _("Log in to comment."))
    thread = _thread_or_404(request, thread_id)
    if not selectors.viewer_for(request.user, thread).can_comment:
        return _json_error(403, why_not_comment(request.user, thread))
    query = request.GET.get("q", "")[:100]
    names = selectors.mention_suggestions(thread, query, exclude_user_id=request.user.pk)
    response = JsonResponse({"participants": [{"name": name} for name in names]})
    response["Cache-Control"] = "private, no-store"
    return response


def thread_redirect(request, thread_id: int):
    """``/threads/<id>/``: the thread's own page (its project's ``#discussion``, or the forum topic)."""
    thread = _thread_or_404(request, thread_id)
    url = selectors.thread_url(thread, request)
    if url is None:
        raise Http404(_("There is no discussion here with that number."))
    return redirect(url)


def comment_redirect(request, comment_id: int):
    """``/comments/<id>/``: the comment in its thread (links in notifications and the admin)."""
    comment = _comment_or_404(request, comment_id)
    url = selectors.comment_url(comment, request)
    if url is None:
        raise Http404(_("There is no comment here with that number."))
    return redirect(url)


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
            "back_url": _back_url(thread, request),
            "action": request.path,
        },
        status=status,
    )
    patch_vary_headers(response, ("Cookie",))
    return response


def _json_error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@require_http_methods(["GET", "POST"])
def comment_create(request, thread_id: int):
    """Post a comment (``body``, optional ``reply_to``); GET shows the form alone (to reply without JavaScript)."""
    thread = _thread_or_404(request, thread_id)
    as_json = _wants_json(request)
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        reply_to = _reply_target(thread, _int_or_none(request.GET.get("reply_to")))
        form = CommentForm(initial={"reply_to": reply_to.pk if reply_to else None})
        if not selectors.viewer_for(request.user, thread, request.session).can_comment:
            return _not_allowed(
                request,
                title=_("Write a comment"),
                message=why_not_comment(request.user, thread),
                back_url=_back_url(thread, request),
            )
        return _comment_form_page(request, thread, form, reply_to=reply_to)

    form = CommentForm(request.POST)
    typed = request.POST.get("body", "")
    reply_to = None
    if not request.user.is_authenticated:
        message = why_not_comment(request.user, thread)
        if as_json:
            return _json_error(403, message)
        return _not_allowed(
            request, title=_("Write a comment"), message=message, back_url=_back_url(thread, request), kept_text=typed
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
        return _not_allowed(
            request, title=_("Write a comment"), message=message, back_url=_back_url(thread, request), kept_text=typed
        )
    except services.CommentRateLimited as limited:
        if as_json:
            response = _json_error(429, limited.message, retry_after=limited.retry_after)
        else:
            form.add_error("body", limited.message)
            response = _comment_form_page(request, thread, form, reply_to=reply_to, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    except ValidationError as error:
        if as_json:
            return JsonResponse({"errors": _error_dict(error)}, status=400)
        add_service_error(form, error)
        return _comment_form_page(request, thread, form, reply_to=reply_to)
    if as_json:
        comment.thread = thread
        return JsonResponse(
            {"id": comment.pk, "seq": comment.seq, "parent": comment.reply_to_id, "html": live.comment_html(comment)},
            status=201,
        )
    messages.success(request, _("Your comment has been posted."))
    return _see_other(_comment_back_url(comment, request))


def _see_other(url: str):
    """303: the browser follows with a GET, so a reload does not post again."""
    response = redirect(url)
    response.status_code = 303
    return response


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
    comment = _comment_or_404(request, comment_id)
    back_url = _comment_back_url(comment, request)
    if not can_edit_comment(request.user, comment, request.session):
        return _not_allowed(
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
            add_service_error(form, error)
        except PermissionDenied as error:
            return _not_allowed(
                request,
                title=_("Edit your comment"),
                message=str(error),
                back_url=back_url,
                kept_text=form.cleaned_data["body"],
            )
        else:
            messages.success(request, _("Your comment has been changed."))
            return _see_other(back_url)
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
    comment = _comment_or_404(request, comment_id)
    back_url = _comment_back_url(comment, request)
    if not can_delete_comment(request.user, comment):
        return _not_allowed(
            request,
            title=_("Delete your comment"),
            message=_("You can only delete your own comments."),
            back_url=back_url,
        )
    if request.method == "POST":
        try:
            services.comment_delete(actor=request.user, comment=comment)
        except PermissionDenied as error:
            return _not_allowed(request, title=_("Delete your comment"), message=str(error), back_url=back_url)
        messages.success(request, _("Your comment has been deleted."))
        return _see_other(back_url)
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
    comment = _comment_or_404(request, comment_id)
    back_url = _comment_back_url(comment, request)
    if not can_report_comment(request.user, comment, request.session):
        return _not_allowed(
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
            add_service_error(form, error)
        except PermissionDenied as error:
            return _not_allowed(request, title=_("Report a comment"), message=str(error), back_url=back_url)
        else:
            messages.success(request, _("Thank you. The hub's coordinators will look at the comment."))
            return _see_other(back_url)
    return render(
        request,
        "discussions/comment_report.html",
        {"comment": comment, "thread": comment.thread, "form": form, "back_url": back_url},
    )


# --- Moderation from the thread (coordinators) -----------------------------------------------------


def _moderation(
    request,
    *,
    thread: Thread,
    comment: Comment | None,
    title: str,
    intro: str,
    submit: str,
    reason_required: bool,
    act,
    done: str,
    back_url: str,
):
    """A coordinator's action with a reason for the log: GET asks, POST does it through ``act(reason)``."""
    if not can_moderate_thread(request.user, thread):
        return _not_allowed(
            request, title=title, message=_("Only the hub's coordinators moderate its discussions."), back_url=back_url
        )
    form = ModerationReasonForm(request.POST if request.method == "POST" else None, reason_required=reason_required)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            return _not_allowed(request, title=title, message=str(error), back_url=back_url)
        else:
            messages.success(request, done)
            return _see_other(back_url)
    return render(
        request,
        "discussions/moderation_form.html",
        {
            "title": title,
            "intro": intro,
            "submit": submit,
            "form": form,
            "thread": thread,
            "comment": comment,
            "back_url": back_url,
        },
    )


@require_http_methods(["GET", "POST"])
def comment_hide(request, comment_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = _comment_or_404(request, comment_id)
    return _moderation(
        request,
        thread=comment.thread,
        comment=comment,
        title=_("Hide a comment"),
        intro=_("Everyone sees a placeholder instead of the comment, at once. You can show it again later."),
        submit=_("Hide the comment"),
        reason_required=True,
        act=lambda reason: services.comment_hide(actor=request.user, comment=comment, reason=reason),
        done=_("The comment is hidden."),
        back_url=_comment_back_url(comment, request),
    )


@require_http_methods(["GET", "POST"])
def comment_unhide(request, comment_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = _comment_or_404(request, comment_id)
    return _moderation(
        request,
        thread=comment.thread,
        comment=comment,
        title=_("Show a hidden comment again"),
        intro=_("Everyone sees the comment again, at once. Open reports about it are dismissed."),
        submit=_("Show the comment"),
        reason_required=True,
        act=lambda reason: services.comment_unhide(actor=request.user, comment=comment, reason=reason),
        done=_("The comment is shown again."),
        back_url=_comment_back_url(comment, request),
    )


@require_http_methods(["GET", "POST"])
def thread_lock(request, thread_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    thread = _thread_or_404(request, thread_id)
    return _moderation(
        request,
        thread=thread,
        comment=None,
        title=_("Lock the discussion"),
        intro=_("Nobody but the hub's coordinators can comment until it is unlocked. Comments stay visible."),
        submit=_("Lock the discussion"),
        reason_required=True,
        act=lambda reason: services.thread_lock(actor=request.user, thread=thread, reason=reason),
        done=_("The discussion is locked."),
        back_url=_back_url(thread, request),
    )


@require_http_methods(["GET", "POST"])
def thread_unlock(request, thread_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    thread = _thread_or_404(request, thread_id)
    return _moderation(
        request,
        thread=thread,
        comment=None,
        title=_("Unlock the discussion"),
        intro=_("Everyone who may comment can do so again."),
        submit=_("Unlock the discussion"),
        reason_required=False,
        act=lambda reason: services.thread_unlock(actor=request.user, thread=thread, reason=reason),
        done=_("The discussion is open again."),
        back_url=_back_url(thread, request),
    )


# --- The forum (routes of ForumIndexPage) ----------------------------------------------------------


def forum_index(request, page: ForumIndexPage):
    """The hub's topics, pinned first, then by latest activity, with pagination."""
    hub = page.get_hub()
    paginator = Paginator(selectors.forum_topics(hub), FORUM_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return page.render(
        request,
        template="discussions/forum_index_page.html",
        context_overrides={
            "forum_url": page.get_url(request),
            "topics": page_obj.object_list,
            "page_obj": page_obj,
            "paginator": paginator,
            "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)),
            "can_open_topic": can_open_topic(request.user, hub) if hub else False,
        },
    )


def forum_topic_new(request, page: ForumIndexPage):
    """Open a topic: a title and the first comment, in one go."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    hub = page.get_hub()
    forum_url = page.get_url(request)
    if hub is None or not can_open_topic(request.user, hub):
        suspension = (
            current_suspension(request.user, hub.pk) if hub is not None and has_verified_email(request.user) else None
        )
        if suspension is not None:
            message = selectors.suspension_message(suspension, topic=True)
        else:
            message = _("Confirm your e-mail address before you open a topic.")
        return _not_allowed(request, title=_("Open a topic"), message=message, back_url=forum_url)
    form = TopicForm(request.POST if request.method == "POST" else None)
    status = 200
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            thread, _comment = services.topic_open(
                actor=request.user,
                forum=page,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                session=request.session,
            )
        except services.CommentRateLimited as limited:
            form.add_error("body", limited.message)
            status, retry_after = 429, limited.retry_after
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            return _not_allowed(
                request,
                title=_("Open a topic"),
                message=str(error),
                back_url=forum_url,
                kept_text=form.cleaned_data["body"],
            )
        else:
            messages.success(request, _("Your topic is open."))
            return _see_other(f"{forum_url}{thread.pk}/")
    response = page.render(
        request,
        template="discussions/forum_topic_new.html",
        context_overrides={"forum_url": forum_url, "form": form},
    )
    response.status_code = status
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def forum_topic(request, page: ForumIndexPage, thread_id: int):
    """One topic with its discussion."""
    hub = page.get_hub()
    thread = selectors.forum_topic(hub, thread_id) if hub else None
    if thread is None:
        raise Http404(_("There is no topic here with that number."))
    return page.render(
        request,
        template="discussions/forum_topic.html",
        context_overrides={"forum_url": page.get_url(request), "thread": thread},
    )
