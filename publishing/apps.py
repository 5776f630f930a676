from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Published reports"
    default_auto_field = "django.db.models.BigAutoField"
