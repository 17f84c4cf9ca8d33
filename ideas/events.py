"""What happened to ideas, for apps that react (notifications). Sent after the commit."""

from django.dispatch import Signal

# idea: the Idea, just posted (its thread made with it).
idea_posted = Signal()
# idea: the Idea; previous_status: its status before the coordinators' answer.
idea_answered = Signal()
# idea: the Idea; project: the ProjectPage proposed from it.
idea_taken_into_project = Signal()
