"""What happened to projects, for apps that react (notifications). Sent after the commit, never
from ``save()``: a rolled-back change is never announced."""

from django.dispatch import Signal

# update: the ProgressUpdate a project partner posted.
progress_update_posted = Signal()
# page: the ProjectPage; first: whether this was its first publication; previous_status: its status
# in the previous published version ("" on the first publication).
project_published = Signal()
# page: the proposed ProjectPage; decision: "submitted", "changes_requested", "approved" or
# "cancelled"; comment: the coordinator's comment, if any.
proposal_step = Signal()
