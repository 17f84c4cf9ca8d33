"""The projects' part of the Wagtail admin: ``views`` (the overdue-updates report and its dashboard
panel). Hooked in by ``projects.wagtail_hooks``."""
