"""What happened in discussions, for apps that react (notifications). Sent by
``discussions.services`` after the commit: a rolled-back change is never announced."""

from django.dispatch import Signal

# comment: the Comment just posted (its mentions already saved).
comment_posted = Signal()
# report: the CommentReport just filed.
comment_reported = Signal()
# hub, user, count: reports on ``user``'s comments in ``hub`` reached DISCUSSIONS_REPORT_BURST
# within DISCUSSIONS_REPORT_BURST_MINUTES (sent once, when the count reaches it).
reports_burst = Signal()
