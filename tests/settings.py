"""Settings for the test run: the real settings with a fast password hasher."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("RUNSTRONG_TESTING", "1")

from runstrong.web.config.settings import *  # noqa: F403

STATIC_ROOT = Path(tempfile.mkdtemp(prefix="runstrong-static-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
# The browser test's live server thread would otherwise hold a PostgreSQL connection open
# past the run and block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tasks run where they are enqueued (after the commit that enqueues them), so a test sees
# their effect without a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The calendar-subscription tests serve feeds from a local server on 127.0.0.1.
RUNSTRONG_FETCH_ALLOW_LOOPBACK = True
# Limits shared by a server's workers are counted in memory here (each test clears them).
if not CACHE_URL:  # noqa: F405
    CACHES = {
        **CACHES,  # noqa: F405
        "limits": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "limits",
        },
    }
