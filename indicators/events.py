"""What happened to a hub's indicators, for apps that react (the dashboard drops its cached figures).

Sent by ``indicators.services`` after the commit, never from ``save()``: a rolled-back import is
never announced.
"""

from django.dispatch import Signal

# hub_id: the id of the HubPage whose indicators, series, values, classification or perspectives changed.
indicators_changed = Signal()
