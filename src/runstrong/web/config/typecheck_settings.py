"""Settings django-stubs' mypy plugin loads: the real settings, which need no secret key here."""

import os

os.environ.setdefault("RUNSTRONG_TESTING", "1")

from runstrong.web.config.settings import *  # noqa: F403
