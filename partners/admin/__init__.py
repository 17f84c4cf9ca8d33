"""The partners registry in the Wagtail admin: ``access`` (who sees what, the permission policies),
``views`` (export and import, the dashboard panel), ``viewsets`` (partners, partnerships, terms and
the "Partners" menu), ``forms``. Hooked in by ``partners.wagtail_hooks``."""
