"""What happened to challenges, for apps that react (notifications). Sent after the commit."""

from django.dispatch import Signal

# challenge: the Challenge; previous_phase: the phase it left.
challenge_phase_changed = Signal()
# question: the Question just published with its answer (everyone following is told at once).
question_published = Signal()
# challenge: the awarded Challenge (the other submitters are told their own scores).
challenge_awarded = Signal()
# meeting: a DialogueMeeting just announced (its event published); the challenge's followers are told.
dialogue_meeting_announced = Signal()
# series: a SlotSeries whose summary was published for the first time (followers are told once).
dialogue_summary_published = Signal()
