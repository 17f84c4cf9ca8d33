"""The coordinators' side of indicators in the Wagtail admin (see DEVELOPERS.md)."""
