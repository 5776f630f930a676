from django.conf import settings
from django.db import models

from .reports import ReportPage, ReportStatus


class ReportStatusChange(models.Model):
    """One row per transition: who moved the report, when, from which status to which, and why."""

    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="status_changes")
    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        get_latest_by = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status} ({self.transition})"
