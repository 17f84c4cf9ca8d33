"""Who may do what with an account."""


def can_close_account(actor, user) -> bool:
    """Everyone may close their own account; site administrators close others' on request."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return actor.pk == user.pk or actor.has_perm("accounts.delete_user")
