"""runstrong's JSON API (django-ninja) at /api/v1/."""
