import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runstrong.web.config.settings")
application = get_wsgi_application()

# Build the URL configuration (and the API's routes) now, before gunicorn forks its workers,
# instead of inside the first request each worker serves.
# Everything loaded so far lives for the whole process: move it out of the garbage collector's
# way, so a full collection during a request (a completion replans a season) scans only what
# requests themselves allocate. With preload_app the workers inherit it frozen.
import gc  # noqa: E402

import runstrong.web.config.urls  # noqa: E402, F401

gc.freeze()
