"""The forum: the routes of a hub's ``ForumIndexPage`` (the list, the new-topic form, a topic)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _

from cms import dependency
from cms.forms import add_service_errors
from discussions import selectors, services
from discussions.forms import TopicForm
from discussions.models import ForumIndexPage
from discussions.permissions import can_open_topic, current_suspension, has_verified_email, suspension_message
from discussions.views.common import not_allowed, see_other

FORUM_PAGE_SIZE = 20


def forum_index(request, page: ForumIndexPage):
    """The hub's topics, pinned first, then by latest activity, with pagination."""
    hub = page.get_hub()
    paginator = Paginator(selectors.forum_topics(hub), FORUM_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    # The list shows who opened each topic.
    dependency.uses(*(dependency.person(topic.author_id) for topic in page_obj.object_list if topic.author_id))
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
            message = suspension_message(suspension, topic=True)
        else:
            message = _("Confirm your e-mail address before you open a topic.")
        return not_allowed(request, title=_("Open a topic"), message=message, back_url=forum_url)
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
            add_service_errors(form, error)
        except PermissionDenied as error:
            return not_allowed(
                request,
                title=_("Open a topic"),
                message=str(error),
                back_url=forum_url,
                kept_text=form.cleaned_data["body"],
            )
        else:
            messages.success(request, _("Your topic is open."))
            return see_other(f"{forum_url}{thread.pk}/")
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
    # The topic's page shows its thread, not the forum's list: other topics' comments leave it cached.
    dependency.page_depends_on(
        dependency.page(page.pk),
        dependency.thread(thread.pk),
        *([dependency.person(thread.author_id)] if thread.author_id else []),
        replace=True,
    )
    return page.render(
        request,
        template="discussions/forum_topic.html",
        context_overrides={"forum_url": page.get_url(request), "thread": thread},
    )
