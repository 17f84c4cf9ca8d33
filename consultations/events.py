"""What happened to consultations, for apps that react (notifications tells followers).

Sent by ``consultations.services`` after the commit, never from ``save()``.
"""

from django.dispatch import Signal

# consultation: the Consultation that is now open for answers (sent once).
consultation_opened = Signal()
# consultation: the Consultation whose summary ("what we heard, what we will do") was published.
consultation_summary_published = Signal()
