"""Accounts in the Wagtail admin: ``viewsets`` (Wagtail's user management with Dugnad's user
forms, named by ``accounts.wagtail_config``), ``views`` (closing an account on request), ``forms``.
Hooked in by ``accounts.wagtail_hooks``."""
