"""Writes to accounts. Views, allauth's adapter and the admin all come through here."""

import logging
from functools import partial

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.images import reencode_uploaded_image
from accounts.language import language_is_available
from accounts.models import User
from accounts.names import normalise_display_name
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
