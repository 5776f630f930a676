"""The delivery team's questions about a shared report, asked instead of a challenge, and the service assessment
team's answers. While a question is open the team's response clock stands still (workflow.deadlines)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cms.text import shorten

from .reports import PointRating, ReportPage


class Clarification(models.Model):
    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="clarifications")
    # None: a question about the whole report. Always one of the report's own points.
    rating = models.ForeignKey(
        PointRating, on_delete=models.CASCADE, null=True, blank=True, related_name="clarifications"
    )
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    # The day the response clock stopped for this question: the day it was asked, or, when it was asked while another
    # question held the clock stopped already, that question's day, so the stop is one stretch however many overlap.
    clock_stopped_on = models.DateField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # What answering did to the response deadline: the working days it moved (0 when another question still held the
    # clock, or it was asked and answered the same day); None while open, or when the report was no longer shared.
    working_days_added = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "asked_at", "pk"]
        indexes = [models.Index(fields=["report", "answered_at"], name="clarification_open")]

    def __str__(self) -> str:
        return shorten(self.question, 80)

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def about(self) -> str:
        """What the question is about, in words for an email or a page: "point 6: Make sure everyone can use the
        service" or "the whole report"."""
        if self.rating_id is None:
            return "the whole report"
        return f"point {self.rating.number}: {self.rating.title}"
