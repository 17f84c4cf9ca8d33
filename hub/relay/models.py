from django.db import models


class RelayMessage(models.Model):
    """A group message on its way to the other processes on the same database
    (``hub.relay.layers.DatabaseRelayChannelLayer``). Read by increasing id; kept for a short while."""

    group = models.CharField(max_length=100)
    # The message as JSON text: the layer checks that it encodes before it is sent anywhere.
    message = models.TextField()
    # The sending layer instance, so that it does not deliver its own messages a second time.
    origin = models.CharField(max_length=32)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.group} #{self.pk}"
