"""Factories for accounts, meant to be reused by every app's tests.

``UserFactory()`` makes an active user who can log in with ``DEFAULT_PASSWORD``. With
mandatory e-mail verification, logging in through allauth also needs a verified allauth
``EmailAddress``: ``UserFactory(verified=True)`` creates it (``client.force_login`` needs none).
``UserFactory(superuser=True)`` makes a superuser.
"""

import factory
from allauth.account.models import EmailAddress

from accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password(DEFAULT_PASSWORD)
    is_active = True

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """With ``verified=True``, give the user a verified, primary allauth EmailAddress."""
        if create and extracted:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
