"""Discussion URLs outside the page tree (included at the site's root by ``hub.urls``).

A forum's own pages (list, new topic, topic) are routes of ``ForumIndexPage``; the websocket is
``ws/threads/<id>/`` in ``hub.routing``.
"""

from django.urls import path

from discussions.views import comments, moderation, thread

app_name = "discussions"

urlpatterns = [
    path("threads/<int:thread_id>/", thread.thread_redirect, name="thread"),
    path("threads/<int:thread_id>/comments/", comments.comment_create, name="comment_create"),
    path("threads/<int:thread_id>/participants/", thread.thread_participants, name="thread_participants"),
    path("threads/<int:thread_id>/lock/", moderation.thread_lock, name="thread_lock"),
    path("threads/<int:thread_id>/unlock/", moderation.thread_unlock, name="thread_unlock"),
    path("comments/<int:comment_id>/", thread.comment_redirect, name="comment"),
    path("comments/<int:comment_id>/edit/", comments.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", comments.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/report/", comments.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/hide/", moderation.comment_hide, name="comment_hide"),
    path("comments/<int:comment_id>/unhide/", moderation.comment_unhide, name="comment_unhide"),
]
