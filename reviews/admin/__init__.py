"""The coordinators' side of local reviews in the Wagtail admin (see reviews.wagtail_hooks)."""
