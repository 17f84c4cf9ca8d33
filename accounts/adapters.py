from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Dugnad's hooks into allauth's sign-up and login."""
