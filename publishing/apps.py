from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Published reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Publishing lives in workflow, which must not import publishing: the page cache hooks in from here.
        from . import signals  # noqa: F401

        post_migrate.connect(relist_after_migrate, sender=self)


def relist_after_migrate(using, **kwargs):
    # The reports list's rows for the reports published before the table was made, written by the code that keeps
    # them from then on (about a minute at 100,000 reports, so only while there are none). A later migration that
    # changes what the rows hold calls listing.refresh() itself.
    from . import listing
    from .models import ListedReport

    if not ListedReport.objects.using(using).exists():
        listing.refresh(using=using)
