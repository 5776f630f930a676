"""Serving published report pages with fewer queries than Wagtail's general-purpose routing."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpResponse
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from cms.models import AssessmentType, ServiceStandard
from workflow.models import ReportPage


def serve_report(request, slug):
    """`/reports/<slug>/`: finds the live report by its URL path in one query (with its assessment, service and
    department), then serves it exactly as Wagtail's `serve` does: the same hooks (view restrictions among
    them) and `page.serve()`. Anything it cannot place goes to Wagtail's own routing."""
    site = Site.find_for_request(request)
    root = next((r.root_path for r in Site.get_site_root_paths() if site and r.site_id == site.pk), None)
    page = None
    if root is not None:
        # By slug first, which is indexed (url_path is not), and with the reports list's title for the breadcrumbs.
        # The assessment type's and standard's few words come as subqueries, not joins: PostgreSQL took about 3 ms
        # to plan the seven-table join, fifteen times what it took to run it.
        parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
        standard = ServiceStandard.objects.filter(pk=OuterRef("assessment__standard_id"))
        page = (
            ReportPage.objects.live()
            .filter(slug=slug, url_path=f"{root}reports/{slug}/")
            .select_related("assessment__service__department")
            .annotate(
                index_title=Subquery(Page.objects.filter(path=parent_path).values("title")[:1]),
                stage_suffix=Subquery(
                    AssessmentType.objects.filter(pk=OuterRef("assessment__type_id")).values("stage_suffix")[:1]
                ),
                standard_name=Subquery(standard.values("name")[:1]),
                standard_version=Subquery(standard.values("version")[:1]),
            )
            .first()
        )
    if page is None:
        return wagtail_views.serve(request, f"reports/{slug}/")

    args, kwargs = [], {}
    on_serve_chain = wagtail_views.serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        on_serve_chain = fn(on_serve_chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return on_serve_chain(page, request, args, kwargs)
