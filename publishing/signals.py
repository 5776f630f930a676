"""Clear the public page cache whenever what the public sees may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from workflow.models import Department, ReportStatus, ReportStatusChange, Service

from . import cache


def clear_now_and_on_commit():
    # Now, and again once the change is committed: a page built from the old data between the two would
    # otherwise stay cached under the new generation.
    cache.clear()
    transaction.on_commit(cache.clear, robust=True)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def clear_on_publish(sender, **kwargs):
    # Moving a page changes its address without publishing it: every cached page linking to it (the footer links to
    # pages the team edits) would otherwise link to where it was.
    clear_now_and_on_commit()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def clear_on_privacy_changed(sender, **kwargs):
    # A page made private leaves every list, and the footer, at once.
    clear_now_and_on_commit()


@receiver(post_delete)
def clear_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        clear_now_and_on_commit()


@receiver(post_save, sender=Service)
@receiver(post_save, sender=Department)
def clear_on_names_changed(sender, **kwargs):
    # Service and department names appear on every published report and in the list.
    clear_now_and_on_commit()


@receiver(post_save, sender=ReportStatusChange)
def clear_on_leaving_published(sender, instance, **kwargs):
    # Withdrawing a published report publishes nothing, yet takes it out of every list and puts a notice on its page.
    if instance.from_status == ReportStatus.PUBLISHED:
        clear_now_and_on_commit()
