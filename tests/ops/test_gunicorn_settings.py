"""The production server's settings: the preloaded app is out of the garbage collector's way."""

from __future__ import annotations

import gc

from runstrong.web.config import gunicorn


def test_workers_are_forked_with_the_loaded_app_frozen() -> None:
    assert gunicorn.preload_app
    try:
        gunicorn.pre_fork(None, None)
        # A full collection in a worker walks only what the worker made since.
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
