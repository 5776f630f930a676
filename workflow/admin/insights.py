"""Insights in the admin: for a period, the points' ratings, results by phase, the time to share and to respond, and
what followed the reports (open and overdue actions, the time to close them, red points at reassessment), each as a
server-rendered SVG chart with the same numbers in a table, and as CSV."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.dates import AdminDateInput, DateField
from workflow import insights
from workflow.permissions import may_see_insights

TABLES = ("points", "phases", "timings", "open_by_point", "open_by_department", "closing", "reassessments")


class PeriodForm(forms.Form):
    # Day, month and year boxes, never the browser's date picker; `start=2026-03-01` in an old link still works.
    start = DateField(label="From", name="Start date", widget=AdminDateInput)
    end = DateField(label="To", name="End date", widget=AdminDateInput)

    @classmethod
    def is_asked(cls, query) -> bool:
        """Whether the query chooses a period, in the boxes' names or an old link's single date."""
        return any(key == name or key.startswith(f"{name}_") for key in query for name in cls.base_fields)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The start of the period must be before its end.")
        return data


def default_period() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=365), today


class InsightsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflow/admin/insights.html"
    page_title = "Insights"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_insights(request.user):
            raise PermissionDenied
        start, end = default_period()
        self.form = PeriodForm(
            request.GET if PeriodForm.is_asked(request.GET) else None, initial={"start": start, "end": end}
        )
        if self.form.is_bound and self.form.is_valid():
            start, end = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        self.data = insights.insights(start, end)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # Without its own crumb the admin's header names the page "Home".
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        table = request.GET.get("csv")
        if table in TABLES:
            response = HttpResponse(insights.to_csv(self.data, table), content_type="text/csv; charset=utf-8")
            name = f"insights-{table}-{self.data.start:%Y-%m-%d}-to-{self.data.end:%Y-%m-%d}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = f"start={self.data.start:%Y-%m-%d}&end={self.data.end:%Y-%m-%d}"
        most_days = max((t.longest or 0 for t in self.data.timings), default=0) or 1
        context.update(
            form=self.form,
            data=self.data,
            points_chart=insights.stacked_bars(self.data.points),
            phases_chart=insights.stacked_bars(self.data.phases),
            timing_bars=[
                {"timing": t, "y": i * 26, "width": round(400 * (t.mean or 0) / most_days, 1)}
                for i, t in enumerate(self.data.timings)
            ],
            timing_height=len(self.data.timings) * 26,
            csv_links={table: f"?{query}&csv={table}" for table in TABLES},
            **follow_through_charts(self.data),
        )
        return context


def follow_through_charts(data: insights.Insights) -> dict:
    open_and_overdue = (("Open", "Overdue"), (insights.BLUE, insights.RED))
    return {
        "open_by_point_chart": insights.paired_bars(
            [(r.label, r.open, r.overdue) for r in data.actions_by_point], *open_and_overdue
        ),
        "open_by_department_chart": insights.paired_bars(
            [(r.label, r.open, r.overdue) for r in data.actions_by_department], *open_and_overdue
        ),
        "closing_chart": insights.paired_bars(
            [(t.label, t.median, t.p90) for t in data.closing_times],
            ("Median", "90th percentile"),
            (insights.BLUE, insights.DARK_BLUE),
        ),
        "reassessed_chart": insights.stacked_bars([data.reassessed.chart_row()]),
    }
