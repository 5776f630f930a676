"""Keeps `ListedReport` (the reports list's rows) in step with what the public may see.

`refresh(report_ids)` rewrites the rows of those reports from `selectors.published_reports()` (all rows when none
are given), in SQL, so a whole refresh of 100,000 reports is one INSERT ... SELECT. The signals in
`publishing.signals` call it, in the transaction of any change that may move a report in or out of the list or
change what the list sorts, filters or searches it by; `publishing.apps` calls it after every migrate."""

from collections.abc import Iterable

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat

from workflow.models import PointRating

from . import selectors
from .models import ListedReport

COLUMNS = {
    "report_id": "pk",
    "assessment_date": "assessment__date",
    "overall_rating": "overall_rating",
    "phase": "assessment__phase",
    "type_id": "assessment__type_id",
    "department_id": "assessment__service__department_id",
    "first_published_at": "first_published_at",
    "path": "path",
}
SEARCH_CONFIG = ListedReport.SEARCH_CONFIG


def search_words():
    """What the list's search finds a report by, as Wagtail's index had it: the service's name first, then its
    department, description and users, then every point's title and what the team did well and must improve."""
    points = (
        PointRating.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(
            text=StringAgg(
                Concat("title", Value(" "), "done_well", Value(" "), "to_improve", output_field=TextField()), " "
            )
        )
        .values("text")
    )
    return (
        SearchVector("title", config=SEARCH_CONFIG, weight="A")
        + SearchVector(
            "assessment__service__department__name",
            "service_description",
            "service_users",
            config=SEARCH_CONFIG,
            weight="B",
        )
        + SearchVector(Subquery(points), config=SEARCH_CONFIG, weight="C")
    )


def refresh(report_ids: Iterable[int] | None = None, *, using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    rows = ListedReport.objects.using(using).all()
    source = selectors.published_reports().using(using).order_by()
    if report_ids is not None:
        report_ids = list(report_ids)
        if not report_ids:
            return
        rows = rows.filter(report_id__in=report_ids)
        source = source.filter(pk__in=report_ids)
    columns = dict(COLUMNS)
    if connection.vendor == "postgresql":
        source = source.annotate(words=search_words())
        columns["search"] = "words"
    select, params = source.values_list(*columns.values()).query.sql_with_params()
    table = connection.ops.quote_name(ListedReport._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with transaction.atomic(using=using):
        rows._raw_delete(using)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)  # noqa: S608 - Django's own SQL
