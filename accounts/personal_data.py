"""What Dugnad holds about one person, gathered from every app, and how it is erased.

Accounts is the lowest app, so it cannot import the apps that store a person's comments, follows or
memberships. Each app that stores personal data instead has a ``privacy`` module (found the way
``seed_demo`` finds ``demo`` modules) with:

- ``export(user) -> dict``: that app's part of the export, plain JSON-able data;
- ``files(user) -> list[tuple[str, File]]`` (optional): uploaded files to put in the ZIP;
- ``erase(user, *, remove_comment_text: bool) -> None``: remove or anonymise that app's part;
- ``prune(now) -> int`` (optional): delete what is older than its retention period.

The export's format is described in ``docs/personal-data-export.md``.
"""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

PRIVACY_MODULE = "privacy"
EXPORT_FORMAT_VERSION = 1


def privacy_modules() -> list[ModuleType]:
    """Every installed app's ``privacy`` module, in INSTALLED_APPS order (accounts first)."""
    modules = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, PRIVACY_MODULE):
            modules.append(import_module(f"{app_config.name}.{PRIVACY_MODULE}"))
    return modules


def _label(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 2)[-2]


def personal_data(user) -> dict:
    """Everything about ``user``, one key per app, as JSON-able data."""
    return {
        "format": "dugnad-personal-data",
        "version": EXPORT_FORMAT_VERSION,
        **{_label(module): module.export(user) for module in privacy_modules()},
    }


def personal_files(user) -> list[tuple[str, object]]:
    """The person's uploaded files as (path in the ZIP, Django File)."""
    found = []
    for module in privacy_modules():
        if hasattr(module, "files"):
            found.extend((f"files/{_label(module)}/{name}", file) for name, file in module.files(user))
    return found


def personal_data_erase(user, *, remove_comment_text: bool) -> None:
    """Erase every app's part; accounts (first in the list) runs last, after the others used the user."""
    modules = privacy_modules()
    for module in [*modules[1:], *modules[:1]]:
        module.erase(user, remove_comment_text=remove_comment_text)


def retention_prune(now) -> dict[str, int]:
    return {_label(module): module.prune(now) for module in privacy_modules() if hasattr(module, "prune")}
