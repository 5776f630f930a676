"""Clear the public page cache, and rewrite the reports list's rows (`publishing.listing`), whenever what the public
sees may have changed. The rows are rewritten at once, in the transaction that made the change, so they commit or
roll back with it."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.models import AssessmentType, ServiceStandard
from workflow.models import Assessment, Department, ReportPage, ReportStatus, ReportStatusChange, Service

from . import cache, listing
from .models import ListedReport


def clear_now_and_on_commit():
    # Now, and again once the change is committed: a page built from the old data between the two would
    # otherwise stay cached under the new generation.
    cache.clear()
    transaction.on_commit(cache.clear, robust=True)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def clear_on_publish(sender, instance=None, **kwargs):
    # Moving a page changes its address without publishing it: every cached page linking to it (the footer links to
    # pages the team edits) would otherwise link to where it was.
    clear_now_and_on_commit()
    if kwargs.get("signal") is post_page_move:
        # A move may take reports out from under the reports list, or put them there.
        listing.refresh(ReportPage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))
    elif isinstance(instance, ReportPage):
        listing.refresh([instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def clear_on_privacy_changed(sender, instance, **kwargs):
    # A page made private leaves every list, and the footer, at once.
    clear_now_and_on_commit()
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # gone with its page, whose reports went with it
        listing.refresh(ReportPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


@receiver(post_delete)
def clear_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        clear_now_and_on_commit()


@receiver(post_save, sender=Service)
@receiver(post_save, sender=Department)
def clear_on_names_changed(sender, instance, **kwargs):
    # Service and department names appear on every published report and in the list.
    clear_now_and_on_commit()
    if sender is Service:
        # The list filters by the service's department.
        listing.refresh(ReportPage.objects.filter(assessment__service=instance).values_list("pk", flat=True))


@receiver(post_save, sender=AssessmentType)
@receiver(post_save, sender=ServiceStandard)
def clear_on_stage_or_standard_changed(sender, instance, **kwargs):
    # A report page names its stage (the assessment type's words) and the standard it was assessed against, and the
    # list offers the stages as filters: the team edits both in the CMS.
    clear_now_and_on_commit()


@receiver(post_save, sender=Assessment)
def relist_on_assessment_changed(sender, instance, created, **kwargs):
    # The list sorts by the assessment's date and filters by its phase and type. A new assessment has no report yet.
    if not created:
        reports = list(ReportPage.objects.filter(assessment=instance).values_list("pk", flat=True))
        listed_before = ListedReport.objects.filter(report_id__in=reports).exists()
        listing.refresh(reports)
        # A published report's page and the cached lists show the assessment's date and stage. Assessments are saved
        # often while a report is drafted, so only one whose report the public can see clears the page cache.
        if listed_before or ListedReport.objects.filter(report_id__in=reports).exists():
            clear_now_and_on_commit()


@receiver(post_save, sender=ReportStatusChange)
def clear_on_leaving_published(sender, instance, **kwargs):
    # Withdrawing a published report publishes nothing, yet takes it out of every list and puts a notice on its page.
    # Arriving at published needs nothing here: publishing the page follows, and `clear_on_publish` lists it then.
    if instance.from_status == ReportStatus.PUBLISHED:
        clear_now_and_on_commit()
        listing.refresh([instance.report_id])
