from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .public_address import set_default_site_address

        # Sent once per app after the whole migration: with sender=self it runs once per `migrate`.
        post_migrate.connect(set_default_site_address, sender=self, dispatch_uid="cms.set_default_site_address")

        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .templatetags.guidance import forget_content_urls

        # The header and footer links to the pages the team edits follow those pages (cms.templatetags.guidance).
        for signal in (page_published, page_unpublished, post_page_move, post_delete):
            signal.connect(forget_content_urls, dispatch_uid=f"cms.forget_content_urls.{id(signal)}")
        post_save.connect(forget_content_urls, sender=PageViewRestriction, dispatch_uid="cms.forget_content_urls.pvr")

        from . import restrictions
        from .sites import forget_when_a_site_changes

        # The Sites each request is matched against (cms.sites).
        for signal in (post_save, post_delete):
            signal.connect(forget_when_a_site_changes, dispatch_uid=f"cms.forget_sites.{id(signal)}")
        # The paths of the pages with view restrictions (cms.restrictions).
        for signal in (post_save, post_delete):
            signal.connect(restrictions.forget, sender=PageViewRestriction, dispatch_uid=f"cms.restricted.{id(signal)}")
        post_page_move.connect(restrictions.forget, dispatch_uid="cms.restricted.move")
        post_save.connect(restrictions.forget_when_an_alias_is_saved, dispatch_uid="cms.restricted.alias")
