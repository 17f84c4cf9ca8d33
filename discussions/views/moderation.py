"""Moderating from the thread: a coordinator hides or shows a comment, locks or unlocks a thread.

The four are one view (``moderation_view``) that differs only in what it acts on, the service it
calls and its wording: GET asks for a reason for the log, POST does it and goes back to the thread.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cms.forms import add_service_errors
from discussions import services
from discussions.forms import ModerationReasonForm
from discussions.permissions import can_moderate_thread
from discussions.views.common import (
    comment_back_url,
    comment_or_404,
    not_allowed,
    see_other,
    thread_back_url,
    thread_or_404,
)


@dataclass(frozen=True)
class Wording:
    """What a moderation page says: its title, the explanation, the button and the message after."""

    title: Promise
    intro: Promise
    submit: Promise
    done: Promise


def moderation_view(
    *, target: Literal["comment", "thread"], service: Callable, wording: Wording, reason_required: bool
):
    """A coordinator's action on a comment or a thread with a reason for the log: GET asks, POST
    calls ``service(actor=…, comment|thread=…, reason=…)``."""

    @require_http_methods(["GET", "POST"])
    def view(request, **ids):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if target == "comment":
            comment = comment_or_404(request, ids["comment_id"])
            thread, subject, back_url = comment.thread, {"comment": comment}, comment_back_url(comment, request)
        else:
            thread = thread_or_404(request, ids["thread_id"])
            comment, subject, back_url = None, {"thread": thread}, thread_back_url(thread, request)
        # The wording is translated now, in the hub's language that finding the thread chose.
        title = str(wording.title)
        if not can_moderate_thread(request.user, thread):
            return not_allowed(
                request,
                title=title,
                message=_("Only the hub's coordinators moderate its discussions."),
                back_url=back_url,
            )
        form = ModerationReasonForm(request.POST if request.method == "POST" else None, reason_required=reason_required)
        if request.method == "POST" and form.is_valid():
            try:
                service(actor=request.user, reason=form.cleaned_data["reason"], **subject)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                return not_allowed(request, title=title, message=str(error), back_url=back_url)
            else:
                messages.success(request, str(wording.done))
                return see_other(back_url)
        return render(
            request,
            "discussions/moderation_form.html",
            {
                "title": title,
                "intro": str(wording.intro),
                "submit": str(wording.submit),
                "form": form,
                "thread": thread,
                "comment": comment,
                "back_url": back_url,
            },
        )

    # Named as its service (comment_hide, …, thread_unlock), as the view once was, for tracebacks and logs.
    view.__name__ = view.__qualname__ = service.__name__
    return view


comment_hide = moderation_view(
    target="comment",
    service=services.comment_hide,
    reason_required=True,
    wording=Wording(
        title=gettext_lazy("Hide a comment"),
        intro=gettext_lazy("Everyone sees a placeholder instead of the comment, at once. You can show it again later."),
        submit=gettext_lazy("Hide the comment"),
        done=gettext_lazy("The comment is hidden."),
    ),
)

comment_unhide = moderation_view(
    target="comment",
    service=services.comment_unhide,
    reason_required=True,
    wording=Wording(
        title=gettext_lazy("Show a hidden comment again"),
        intro=gettext_lazy("Everyone sees the comment again, at once. Open reports about it are dismissed."),
        submit=gettext_lazy("Show the comment"),
        done=gettext_lazy("The comment is shown again."),
    ),
)

thread_lock = moderation_view(
    target="thread",
    service=services.thread_lock,
    reason_required=True,
    wording=Wording(
        title=gettext_lazy("Lock the discussion"),
        intro=gettext_lazy(
            "Nobody but the hub's coordinators can comment until it is unlocked. Comments stay visible."
        ),
        submit=gettext_lazy("Lock the discussion"),
        done=gettext_lazy("The discussion is locked."),
    ),
)

thread_unlock = moderation_view(
    target="thread",
    service=services.thread_unlock,
    reason_required=False,
    wording=Wording(
        title=gettext_lazy("Unlock the discussion"),
        intro=gettext_lazy("Everyone who may comment can do so again."),
        submit=gettext_lazy("Unlock the discussion"),
        done=gettext_lazy("The discussion is open again."),
    ),
)
