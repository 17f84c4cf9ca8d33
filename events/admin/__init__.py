"""The coordinators' events in the Wagtail admin (``/admin/events/``)."""
