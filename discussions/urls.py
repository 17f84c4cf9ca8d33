"""Discussion URLs outside the page tree (included at the site's root by ``hub.urls``).

A forum's own pages (list, new topic, topic) are routes of ``ForumIndexPage``; the websocket is
``ws/threads/<id>/`` in ``hub.routing``.
"""

from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path("threads/<int:thread_id>/", views.thread_redirect, name="thread"),
    path("threads/<int:thread_id>/comments/", views.comment_create, name="comment_create"),
    path("threads/<int:thread_id>/participants/", views.thread_participants, name="thread_participants"),
    path("threads/<int:thread_id>/lock/", views.thread_lock, name="thread_lock"),
    path("threads/<int:thread_id>/unlock/", views.thread_unlock, name="thread_unlock"),
    path("comments/<int:comment_id>/", views.comment_redirect, name="comment"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/report/", views.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/hide/", views.comment_hide, name="comment_hide"),
    path("comments/<int:comment_id>/unhide/", views.comment_unhide, name="comment_unhide"),
]
