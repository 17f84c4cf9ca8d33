"""Writes to accounts. Views, allauth's adapter and the admin all come through here."""

import json
import logging
import secrets
import zipfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.images import reencode_uploaded_image
from accounts.language import language_is_available
from accounts.models import DataExport, User
from accounts.names import normalise_display_name
from accounts.permissions import can_close_account
from accounts.personal_data import personal_data, personal_data_erase, personal_files, retention_prune
from accounts.roles import REGISTERED_USERS

logger = logging.getLogger(__name__)

# Avatars are shown small; 512 px covers a 2x display of the largest size the site uses.
AVATAR_MAX_SIDE = 512


def user_register(*, user: User) -> User:
    """Save a user who has just signed up and give them the "Registered users" role.

    Called by ``AccountAdapter.save_user`` with an unsaved user whose e-mail, password and
    display name allauth's sign-up form has already validated.
    """
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        # get_or_create: the group comes from a migration, but a deleted group must not stop sign-ups.
        group, _created = Group.objects.get_or_create(name=REGISTERED_USERS)
        user.groups.add(group)
    logger.info("User %s signed up", user.pk)
    return user


def profile_update(
    *,
    user: User,
    display_name: str,
    avatar: UploadedFile | None,
    remove_avatar: bool,
    preferred_language: str,
) -> User:
    """Change a user's own profile: display name, avatar and preferred language.

    ``avatar`` is the raw upload (or None to keep the current picture); it is checked and
    re-encoded here, so no caller can store an untrusted file. Everything is validated before
    anything is written, and a ``ValidationError`` keyed by field leaves the user, the database
    and the storage untouched. The replaced picture is deleted only after the commit, so a
    rolled-back save never loses the picture still referenced.
    """
    errors = {}
    display_name = normalise_display_name(display_name)
    preferred_language = preferred_language or ""
    if not display_name:
        errors["display_name"] = ValidationError(_("Please enter a display name."), code="required")
    else:
        try:
            User._meta.get_field("display_name").clean(display_name, user)
        except ValidationError as error:
            errors["display_name"] = error
    if preferred_language and not language_is_available(preferred_language):
        errors["preferred_language"] = ValidationError(
            _("Choose one of the languages in the list."), code="invalid_choice"
        )
    if avatar is not None and remove_avatar:
        errors["avatar"] = ValidationError(
            _("Either upload a new picture or remove the current one, not both."), code="conflict"
        )
    new_avatar = None
    if avatar is not None and "avatar" not in errors:
        try:
            new_avatar = reencode_uploaded_image(avatar, max_side=AVATAR_MAX_SIDE)
        except ValidationError as error:
            errors["avatar"] = error
    if errors:
        raise ValidationError(errors)

    storage = user.avatar.storage
    old_name = user.avatar.name if (new_avatar is not None or remove_avatar) else ""
    stored_name = ""
    try:
        with transaction.atomic():
            user.display_name = display_name
            user.preferred_language = preferred_language
            if new_avatar is not None:
                user.avatar.save(new_avatar.name, new_avatar, save=False)
                stored_name = user.avatar.name
            elif remove_avatar:
                user.avatar = ""
            user.save(update_fields=["display_name", "preferred_language", "avatar"])
            if old_name and old_name != stored_name:
                transaction.on_commit(partial(storage.delete, old_name))
    except Exception:
        # The new file was written before the row; do not leave it behind when the row was not.
        if stored_name:
            storage.delete(stored_name)
        user.refresh_from_db(fields=["display_name", "preferred_language", "avatar"])
        raise
    logger.info("User %s updated their profile", user.pk)
    return user


def preferred_language_set(*, user: User, language: str) -> User:
    """Remember the language a signed-in user chose, so it follows them to other browsers.

    ``language`` must be one of ``settings.LANGUAGES``; anything else is a ``ValidationError``.
    """
    if not language_is_available(language):
        raise ValidationError({"preferred_language": _("Choose one of the languages in the list.")})
    if user.preferred_language == language:
        return user
    with transaction.atomic():
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


# --- Own data: export, closing and erasure, retention -----------------------------------------------

EXPORT_README = """Dugnad: a copy of your personal data
=====================================

personal-data.json holds everything this installation of Dugnad stores about you, one key per part
of the site ("accounts", "partners", "projects", "discussions", "notifications"). Times are ISO 8601
in UTC. files/ holds what you uploaded (your profile picture). The format is described in
docs/personal-data-export.md in Dugnad's source code.
"""


def _export_path(data_export: DataExport) -> Path:
    return Path(settings.DATA_EXPORT_ROOT) / data_export.file_name


def data_export_request(*, user: User) -> DataExport:
    """Ask for a copy of one's data; it is built by a background task and the person is e-mailed.

    One request at a time: while one is being built, asking again returns it.
    """
    from accounts import tasks

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = user.data_exports.filter(ready_at__isnull=True).first()
        if pending is not None:
            return pending
        data_export = DataExport.objects.create(user=user, file_name=f"{user.pk}-{secrets.token_hex(16)}.zip")
        transaction.on_commit(lambda: tasks.data_export_build.enqueue(data_export.pk))
    logger.info("User %s asked for a copy of their data (export %s)", user.pk, data_export.pk)
    return data_export


def data_export_build(*, data_export: DataExport) -> DataExport:
    """Write the ZIP (JSON + uploaded files) to private storage and make it downloadable for a while."""
    user = data_export.user
    path = _export_path(data_export)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = personal_data(user)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", EXPORT_README)
        archive.writestr("personal-data.json", json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        for name, file in personal_files(user):
            with file.open("rb") as source:
                archive.writestr(name, source.read())
    now = timezone.now()
    data_export.ready_at = now
    data_export.expires_at = now + timedelta(days=settings.DATA_EXPORT_DAYS)
    data_export.size = path.stat().st_size
    data_export.save(update_fields=["ready_at", "expires_at", "size"])
    logger.info("Data export %s of user %s ready (%s bytes)", data_export.pk, user.pk, data_export.size)
    return data_export


def data_export_discard(data_export: DataExport) -> None:
    _export_path(data_export).unlink(missing_ok=True)
    data_export.delete()


def account_close(*, actor: User, user: User, password: str = "", remove_comment_text: bool = False) -> User:
    """Close ``user``'s account now and schedule the erasure of their personal data.

    The person closes their own account with their password; a site administrator may close
    someone's on request. The account can no longer log in (Django treats an inactive user's
    sessions as logged out); ``account_erase`` runs when ACCOUNT_ERASURE_GRACE_DAYS have passed.
    """
    if not can_close_account(actor, user):
        raise PermissionDenied(_("You cannot close this account."))
    if actor.pk == user.pk and not user.check_password(password):
        raise ValidationError({"password": _("The password is not right.")}, code="wrong_password")
    if user.closed_at is not None:
        raise ValidationError(_("This account is closed already."), code="closed")
    now = timezone.now()
    with transaction.atomic():
        user.is_active = False
        user.closed_at = now
        user.erase_after = now + timedelta(days=settings.ACCOUNT_ERASURE_GRACE_DAYS)
        user.erase_comment_text = remove_comment_text
        user.save(update_fields=["is_active", "closed_at", "erase_after", "erase_comment_text"])
    logger.info("Account %s closed by %s; erasure after %s", user.pk, actor.pk, user.erase_after)
    return user


def account_erase(*, user: User) -> User:
    """Erase a closed account's personal data in every app; the anonymised row stays for its comments."""
    if user.closed_at is None:
        raise ValidationError(_("Only a closed account can be erased."), code="not_closed")
    avatar_name = user.avatar.name if user.avatar else ""
    with transaction.atomic():
        personal_data_erase(user, remove_comment_text=user.erase_comment_text)
    if avatar_name:
        user.avatar.storage.delete(avatar_name)
    logger.info("Account %s erased", user.pk)
    return user


def account_row_anonymise(user: User) -> None:
    """The last step of ``account_erase``: nothing on the row names or reaches the person."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.display_name = user.first_name = user.last_name = ""
    user.avatar = ""
    user.preferred_language = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()


def retention_apply(*, now=None) -> dict[str, int]:
    """Erase what has been kept long enough; run daily (``manage.py apply_retention``)."""
    from allauth.account.models import EmailAddress
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    summary = {}
    due = User.objects.filter(closed_at__isnull=False, erased_at__isnull=True, erase_after__lte=now)
    for user in due:
        account_erase(user=user)
    summary["accounts erased"] = len(due)
    # Sign-ups never confirmed; accounts that administrators made (staff, or given a role beyond
    # "Registered users") are theirs to remove.
    unverified = (
        User.objects.filter(
            closed_at__isnull=True,
            last_login__isnull=True,
            date_joined__lt=now - timedelta(days=settings.ACCOUNT_UNVERIFIED_DAYS),
        )
        .exclude(pk__in=EmailAddress.objects.filter(verified=True).values("user_id"))
        .exclude(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__in=Group.objects.exclude(name=REGISTERED_USERS)))
    )
    removable = list(unverified.values_list("pk", flat=True))
    summary["unverified accounts removed"], _by_model = User.objects.filter(pk__in=removable).delete()
    expired = list(DataExport.objects.filter(expires_at__lt=now))
    for data_export in expired:
        data_export_discard(data_export)
    summary["data exports removed"] = len(expired)
    summary["sessions removed"], _by_model = Session.objects.filter(expire_date__lt=now).delete()
    for label, count in retention_prune(now).items():
        summary[f"{label} pruned"] = count
    return summary
