from collections.abc import Iterator

import pytest

from tests.personas import world

__all__ = ["clear_cache", "world"]


@pytest.fixture(autouse=True)
def clear_cache() -> Iterator[None]:
    """Rate limits live in the cache; each test starts with none used."""
    yield
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
