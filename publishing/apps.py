from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Published reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Publishing lives in workflow, which must not import publishing: the page cache hooks in from here.
        from . import signals  # noqa: F401
