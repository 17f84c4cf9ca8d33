"""What happened to events and registrations, for apps that react (notifications tells people).

Sent by ``events.services`` after the commit, never from ``save()``: a rolled-back write is never
announced. Receivers get ids and load what they need themselves.
"""

from django.dispatch import Signal

# event: the Event, published for the first time.
event_published = Signal()
# event: the Event, cancelled after it had been published (its registered people are told).
event_cancelled = Signal()
# registration: a Registration that moved from the waiting list to a seat.
registration_promoted = Signal()
# event: the Event; registration_ids: the registrations whose reminder is due now.
reminders_due = Signal()
