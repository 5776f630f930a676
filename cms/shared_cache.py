"""Lookups kept in the shared "pages" cache (Redis in production, so a change on one machine reaches all): read
through, and forgotten both at once and again when the change commits. The cache is an optimisation: its own failures
are logged and passed over, the answer then coming from `compute`; the database's failures are not caught here, so
they reach the error pages as they would without the cache."""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import transaction

ALIAS = "pages"
SECONDS = 300  # bounds a change made without the signals that forget

logger = logging.getLogger(__name__)
T = TypeVar("T")


def read_through(key: str, compute: Callable[[], T]) -> T:
    try:
        value = caches[ALIAS].get(key)
    except Exception as error:
        logger.warning("Shared cache unavailable (%s): %s", key, error)
        return compute()
    if value is None:
        value = compute()
        try:
            caches[ALIAS].set(key, value, SECONDS)
        except Exception as error:
            logger.warning("Shared cache unavailable (%s): %s", key, error)
    return value


def forget(key: str) -> None:
    # Now, and again once the change is committed: a request between the two could otherwise read the database as it
    # was before the change and keep that until the timeout.
    _delete(key)
    transaction.on_commit(lambda: _delete(key))


def _delete(key: str) -> None:
    try:
        caches[ALIAS].delete(key)
    except Exception as error:
        logger.warning("Shared cache unavailable (%s): %s", key, error)
