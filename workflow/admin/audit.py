"""The audit history in the admin: every recorded change to reports, ratings, actions and assessments, newest
first, with who made it and what changed (django-simple-history)."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import history

LIMIT = 200


def may_see_audit(user) -> bool:
    return user.has_perm("workflow.view_reportpage")


class AuditView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflow/admin/audit.html"
    page_title = "Audit history"
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        what = self.request.GET.get("what")
        context.update(
            rows=history.everything(limit=LIMIT, what=what),
            limit=LIMIT,
            what=what if what in history.AUDITED else "",
            choices=[(key, label) for key, (label, _) in history.AUDITED.items()],
        )
        return context
