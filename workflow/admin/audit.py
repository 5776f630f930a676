"""The audit history in the admin: every recorded change to reports, ratings, actions and assessments, newest
first, with who made it and what changed (django-simple-history), a page at a time."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from workflow.permissions import may_see_audit

from . import history

PER_PAGE = 100


class AuditView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflow/admin/audit.html"
    page_title = "Audit history"
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        what = self.request.GET.get("what")
        what = what if what in history.AUDITED else ""
        paginator = history.AuditPaginator(history.everything(what=what), PER_PAGE)
        # get_page: a page number that is not a number, or past the end, shows the first or last page.
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(
            rows=page.object_list,
            page_obj=page,
            elided_page_range=paginator.get_elided_page_range(page.number),
            what=what,
            choices=[(key, label) for key, (label, _) in history.AUDITED.items()],
        )
        return context
