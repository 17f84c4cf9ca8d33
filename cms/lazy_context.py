"""Context values computed only if a template reads them.

A page whose public part (``{% public_part %}``) is cached renders that part from the cache, so
what only the part shows must not be read from the database before the template runs.
"""

import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.utils.functional import SimpleLazyObject


def lazy_values(compute: Callable[[], dict], names: Iterable[str]) -> dict:
    """``compute()``'s values under ``names``, each lazy; the first one read computes them all, once."""
    values = SimpleLazyObject(compute)
    return {name: SimpleLazyObject(lambda name=name: values[name]) for name in names}


def query_part_name(name: str, request) -> str:
    """A public part's name for a list whose content follows the query string (filters, page).

    The parameters are sorted, so the same search in another order shares the entry; they are
    hashed, so a long query cannot make a long cache key.
    """
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    return f"{name}:{hashlib.sha256(query.encode()).hexdigest()[:24]}"
