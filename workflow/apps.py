from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Assessments and reports"
    default_auto_field = "django.db.models.BigAutoField"
    default = True

    def ready(self) -> None:
        from cms import figures
        from notify import kinds

        from . import deadlines
        from .roles import ensure_groups_after_migrate
        from .services.people import connect_recording

        # The emails' descriptions (the Notify templates' help in the admin) and the team's own text in the CMS say
        # the figures in force, read when they are shown.
        kinds.register_figures(lambda: deadlines.in_force().by_name())
        figures.register(lambda request: deadlines.in_force(request).by_name())

        # After every app's permissions exist: post_migrate for this app runs once all migrations have run.
        post_migrate.connect(ensure_groups_after_migrate, sender=self, dispatch_uid="workflow.ensure_groups")
        connect_recording()


class PeopleAdminConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the service assessment team's limits on it (workflow.admin.people). It stands in
    for "wagtail.users" in INSTALLED_APPS, as Wagtail's documentation says to do for a custom user view set."""

    default = False
    user_viewset = "workflow.admin.people.PeopleViewSet"

    def ready(self) -> None:
        super().ready()
        from django.contrib.auth import get_user_model
        from wagtail.permissions import register_permission_policy

        from .admin.people import PeoplePermissionPolicy

        # After Wagtail's own registration above, which this replaces.
        User = get_user_model()
        register_permission_policy(User, PeoplePermissionPolicy(User))
