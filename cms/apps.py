from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .public_address import set_default_site_address

        # Sent once per app after the whole migration: with sender=self it runs once per `migrate`.
        post_migrate.connect(set_default_site_address, sender=self, dispatch_uid="cms.set_default_site_address")
