from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "runstrong.web.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # Registers the catalog's system check (site_catalog.check_catalog).
        from runstrong.web.coaching import site_catalog  # noqa: F401
