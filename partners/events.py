"""What happened to partnerships, for apps that react (notifications). Sent by ``partners.services``
after the commit, never from ``save()``: a rolled-back change is never announced."""

from django.dispatch import Signal

# partnership: the Partnership, after an organisation applied to a hub.
partnership_applied = Signal()
# partnership: the Partnership, after a coordinator decided (approved, rejected, suspended, ...).
partnership_decided = Signal()
