"""Compile a gettext catalogue (.po) into the binary form (.mo) Django reads.

Django's own compilemessages needs GNU gettext installed on the machine; polib does not.
Usage: python scripts/compile_messages.py locale/nb/LC_MESSAGES/django.po [...]
"""

import sys
from pathlib import Path

import polib


def main(paths: list[str]) -> int:
    for path in paths:
        catalogue = polib.pofile(path)
        catalogue.save_as_mofile(str(Path(path).with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
