from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "runstrong.web.coaching"
    label = "coaching"
    verbose_name = "Coaching"
