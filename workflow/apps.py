from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Assessments and reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .roles import ensure_groups_after_migrate

        # After every app's permissions exist: post_migrate for this app runs once all migrations have run.
        post_migrate.connect(ensure_groups_after_migrate, sender=self, dispatch_uid="workflow.ensure_groups")
