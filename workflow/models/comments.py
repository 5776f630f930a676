"""The panel's comments on a report while they write it: on a point or on the whole report, with replies, resolved
by any panel member. Seen by the panel and the central teams only; never published, exported or in the API."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cms.text import shorten

from .reports import ReportPage


class ReportComment(models.Model):
    report = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="comments")
    # None: a comment on the whole report. A reply is on its parent's point.
    point_number = models.PositiveSmallIntegerField(null=True, blank=True)
    # A reply's thread: replies are made to a top-level comment, never to a reply.
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Only a top-level comment is resolved, which resolves its thread.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "created_at", "pk"]
        indexes = [models.Index(fields=["report", "point_number"], name="report_comment_point")]

    def __str__(self) -> str:
        return shorten(self.text, 80)

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def first_words(self) -> str:
        return shorten(self.text, 60)
