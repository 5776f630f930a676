"""The lists "Your actions" counts, as filters of the admin lists its links open.

Each list is a selector (workflow.selectors): the panel counts its rows and the filter shows exactly those rows,
worked out for the same day, so a count and the list behind its link never disagree."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet

from notify.wagtail_hooks import FAILED_FILTER
from workflow import selectors


@dataclass(frozen=True)
class Listing:
    label: str  # as the list's filter names it
    rows: Callable[[datetime.date], QuerySet]  # given the day


def _today_free(selector):
    # So that every list is asked the same way, whether or not its rule depends on the day.
    return lambda today: selector()


REPORT_LISTS = {
    "to-check": Listing("To check", _today_free(selectors.reports_to_check)),
    "to-share": Listing("To share", _today_free(selectors.reports_to_share)),
    "response-overdue": Listing("Response overdue", selectors.responses_overdue),
    "challenged": Listing("Challenged", _today_free(selectors.open_challenges)),
}
ASSESSMENT_LISTS = {
    "share": Listing("Report overdue to share", selectors.late_assessments),
}
ACTION_LISTS = {
    "soon": Listing("Amber, due soon", selectors.amber_actions_due_soon),
    "overdue": Listing("Amber, overdue", selectors.amber_actions_overdue),
}
EMAIL_LISTS = {
    FAILED_FILTER[1]: Listing("Failed, to resend", _today_free(selectors.failed_emails)),
}

# The query parameter of each admin list's filter.
REPORT_PARAM = "worklist"
ASSESSMENT_PARAM = "overdue"
ACTION_PARAM = "due"
EMAIL_PARAM = FAILED_FILTER[0]  # the outbox list is notify's, and so is its filter


class ListingFilter(django_filters.ChoiceFilter):
    """Keeps the rows of the chosen selector, and only those."""

    def __init__(self, lists: dict[str, Listing], **kwargs):
        self.lists = lists
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("empty_label", "All")
        super().__init__(choices=[(key, listing.label) for key, listing in lists.items()], **kwargs)

    def filter(self, queryset, value):
        if value not in self.lists:
            return queryset
        rows = self.lists[value].rows(timezone.localdate())
        return queryset.filter(pk__in=rows.values("pk"))


def filterset_with(param: str, lists: dict[str, Listing], label: str) -> type[WagtailFilterSet]:
    """A base filter set for an index view's `base_filterset_class`: Wagtail adds the `list_filter` fields to it."""
    return type(
        f"{param.capitalize()}ListingFilterSet", (WagtailFilterSet,), {param: ListingFilter(lists, label=label)}
    )


def link(index_url: str, param: str, key: str) -> str:
    return f"{index_url}?{param}={key}"
