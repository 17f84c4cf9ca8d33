"""The discussions' part of the Wagtail admin: ``access`` (who moderates which hubs, the permission
policies), ``views`` (the moderation queue and the dashboard panel), ``viewsets`` (threads,
suspensions, the moderation log and the "Discussions" menu), ``forms``. Hooked in by
``discussions.wagtail_hooks``."""
