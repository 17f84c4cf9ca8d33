"""A person's name as others see it: on public pages, in live frames, feeds and e-mails to others.

Never the e-mail address: accounts made without a display name (``createsuperuser``, imports) are
shown as a neutral "Member <number>".
"""

from django.utils.translation import gettext


def public_name(user) -> str:
    """``user``'s display name, else "Member <id>" (translated); "Former user" for a deleted account."""
    if user is None or getattr(user, "pk", None) is None:
        return gettext("Former user")
    name = (getattr(user, "display_name", "") or "").strip()
    return name or gettext("Member %(number)s") % {"number": user.pk}
