import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runstrong.web.config.settings")
application = get_wsgi_application()

# Build the URL configuration (and the API's routes) now, before gunicorn forks its workers,
# instead of inside the first request each worker serves.
import runstrong.web.config.urls  # noqa: E402, F401
