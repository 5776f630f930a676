"""Corrections to a published report: each is a public change note, shown on the report's page as GOV.UK pages show
theirs ("Updates to this page"), with who made it kept for the history."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cms.text import shorten

from .reports import ReportPage


class ReportCorrection(models.Model):
    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField("change note")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "-made_at", "-pk"]
        verbose_name = "correction"

    def __str__(self) -> str:
        return shorten(self.note, 80)
