"""The public side of discussions: posting and changing comments, moderating from the thread, the forum.

Views only translate between HTTP and ``discussions.services``; who may do what is asked of
``discussions.permissions``. ``comments`` posts, edits, deletes and reports comments; ``moderation``
is coordinators hiding comments and locking threads from the thread; ``thread`` has the links to a
thread or a comment and the @mention suggestions; ``forum`` the routes of a hub's
``ForumIndexPage``; ``common`` what they share. The forum's pages are routes of the page; the rest
are plain Django views under ``/threads/`` and ``/comments/`` (``discussions.urls``), served in the
hub's language unless the visitor chose one.
"""
