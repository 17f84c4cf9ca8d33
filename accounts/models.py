"""The user: e-mail is the login, a display name is what others see."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.names import public_name, validate_display_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def avatar_upload_path(instance, filename):
    return f"avatars/{instance.pk or 'new'}/{filename}"


class User(AbstractUser):
    # first_name and last_name stay (blank) because Wagtail's user admin forms expect them.
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("The name others see next to what you write."),
        validators=[validate_display_name],
    )
    avatar = models.ImageField(_("profile picture"), upload_to=avatar_upload_path, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    # Closing an account (accounts.services.account_close) logs the person out at once; their personal
    # data is erased when the grace period ends (account_erase), leaving "Deleted user" behind.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    erase_after = models.DateTimeField(_("erase after"), null=True, blank=True)
    erase_comment_text = models.BooleanField(_("remove the text of comments too"), default=False)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        # Shown wherever a template prints a user: never the e-mail address (accounts.names).
        return public_name(self)

    def get_full_name(self):
        if self.erased_at:
            return str(_("Deleted user"))
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]


class DataExport(models.Model):
    """A copy of everything Dugnad holds about one person, built in the background.

    The ZIP lives in private storage (``DATA_EXPORT_ROOT``, never served as media) and is handed out
    only through a signed link to the person it belongs to, until ``expires_at``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M}"
