"""The account's own part of a person's data: the account, addresses, profile and log-ins."""

from allauth.account.models import EmailAddress


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    return {
        "account": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "is_active": user.is_active,
            "closed_at": _iso(user.closed_at),
            "erase_after": _iso(user.erase_after),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "profile": {"avatar": f"files/accounts/{user.avatar.name.rsplit('/', 1)[-1]}" if user.avatar else None},
        # Dugnad keeps no log of log-ins beyond the last one.
        "log_ins": {"last_login": _iso(user.last_login)},
        "data_exports": [
            {"requested_at": _iso(export.requested_at), "ready_at": _iso(export.ready_at)}
            for export in user.data_exports.all()
        ],
    }


def files(user) -> list:
    return [(user.avatar.name.rsplit("/", 1)[-1], user.avatar)] if user.avatar else []


def erase(user, *, remove_comment_text: bool) -> None:
    """Anonymise the account row itself; it stays so that comments can say "Deleted user".

    Its sessions need no search: Django treats an inactive user's session as logged out, and
    ``clearsessions`` (run by ``apply_retention``) removes expired ones.
    """
    from accounts.services import account_row_anonymise, data_export_discard

    EmailAddress.objects.filter(user=user).delete()
    for data_export in user.data_exports.all():
        data_export_discard(data_export)
    account_row_anonymise(user)
