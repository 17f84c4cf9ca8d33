"""The embedded channel layer's relay between processes (see ``hub.relay.layers``)."""
