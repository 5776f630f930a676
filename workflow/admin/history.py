"""Field history from django-simple-history, as rows people can read: who changed what, when, from what to what."""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from itertools import chain

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery, prefetch_related_objects
from wagtail.admin.paginator import WagtailPaginator

from cms.text import shorten as text_shorten
from workflow.models import (
    ActionUpdate,
    Assessment,
    DeliveryTeamMember,
    PanelMember,
    PointRating,
    ReportAction,
    ReportCorrection,
    ReportPage,
    RoleChange,
)

# Bookkeeping fields nobody needs to read in a history.
NOISE = frozenset(
    {
        "version",
        "latest_revision",
        "live_revision",
        "latest_revision_created_at",
        "last_published_at",
        "first_published_at",
        "has_unpublished_changes",
        "draft_title",
        "updated_at",
        "created_at",
        "locked",
        "locked_at",
        "locked_by",
        "translation_key",
        "content_type",
        "page_ptr",
        "owner",
        "search_description",
        "seo_title",
        "show_in_menus",
        "expired",
        "go_live_at",
        "expire_at",
        "alias_of",
    }
)

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}

UK = zoneinfo.ZoneInfo("Europe/London")
# A value longer than this is shortened at a word boundary; the whole of it stays in the record.
SHOWN_CHARACTERS = 300


def uk_date_time(moment: datetime.datetime) -> str:
    """As people read it, in UK time whatever the admin user's own time zone: "1 December 2026, 3:05pm",
    "2 December 2026, 9am", "midday", "midnight"."""
    local = moment.astimezone(UK)
    day = f"{local.day} {local:%B %Y}"
    if (local.hour, local.minute) == (12, 0):
        return f"{day}, midday"
    if (local.hour, local.minute) == (0, 0):
        return f"{day}, midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{day}, {hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def shorten(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    return text_shorten(text, limit)


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object

    @property
    def old_shown(self) -> str:
        return shorten(str(self.old))

    @property
    def new_shown(self) -> str:
        return shorten(str(self.new))


@dataclass(frozen=True)
class AuditRow:
    at: datetime.datetime
    by: object
    what: str
    object_label: str
    action: str
    changes: list[Change] = field(default_factory=list)

    @property
    def when(self) -> str:
        return uk_date_time(self.at)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name


def _display(model, name: str, value) -> object:
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except Exception:
        choices = {}
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, datetime.datetime):
        return uk_date_time(value)
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return choices.get(value, value)


# Not yet read, as against read and not found (None).
UNREAD = object()


def audit_row(record, *, previous=UNREAD, instance=None) -> AuditRow:
    """A history record as a row. `previous` and `instance` are the record before it and what it recorded, when the
    caller has read them for a whole page at once (AuditLog); otherwise each is read here, a query or more each."""
    model = record.instance_type
    changes = []
    if record.history_type == "~":
        previous = record.prev_record if previous is UNREAD else previous
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                Change(_label(model, c.field), _display(model, c.field, c.old), _display(model, c.field, c.new))
                for c in delta.changes
                if c.field not in NOISE
            ]
    try:
        # An action's own name is its description cut at 80 characters, mid-word.
        description = getattr(record, "description", None) if model is ReportAction else None
        object_label = shorten(description, 120) if description else str(instance or record.instance)
    except Exception:
        object_label = f"{model._meta.verbose_name} {record.id}"
    return AuditRow(
        at=record.history_date,
        by=record.history_user,
        what=str(model._meta.verbose_name).capitalize(),
        object_label=object_label,
        action=ACTIONS.get(record.history_type, record.history_type),
        changes=changes,
    )


# What each audited model's name (its __str__) reads beyond its own row, read for a page's records at once.
NAMED_BY = {
    ReportPage: ("assessment__service", "assessment__type"),
    Assessment: ("service", "type"),
    PanelMember: ("user",),
    DeliveryTeamMember: ("user", "service"),
}


def _recorded(record):
    """What a history record recorded, from its own fields. simple-history's `record.instance` also reads the live
    row's fields it does not keep (a report's questions, its tree path), a query each, which no name needs."""
    model = record.instance_type
    return model(**{f.attname: getattr(record, f.attname) for f in record.tracked_fields})


def _reads_whole(instance, lookups) -> bool:
    """Whether every row the instance's name reads was found, rather than deleted since."""
    for lookup in lookups:
        current = instance
        for name in lookup.split("__"):
            field = current._meta.get_field(name)
            if getattr(current, field.attname) is None:
                break
            # A prefetch leaves a row it did not find uncached (or cached as None): reading it would query and fail.
            current = field.get_cached_value(current, default=None)
            if current is None:
                return False
    return True


def page_rows(model, history_ids: list[int]) -> dict[int, AuditRow]:
    """The rows of these history records of one model, in a fixed number of queries however many they are: the
    records, the records before the changed ones, and what their names read."""
    before = (
        model.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(
        model.history.filter(history_id__in=history_ids)
        .select_related("history_user")
        .annotate(previous_id=Subquery(before))
    )
    previous_ids = [r.previous_id for r in records if r.history_type == "~" and r.previous_id is not None]
    previous = model.history.in_bulk(previous_ids) if previous_ids else {}
    instances = {record.history_id: _recorded(record) for record in records}
    lookups = NAMED_BY.get(model, ())
    prefetch_related_objects(list(instances.values()), *lookups)
    return {
        record.history_id: audit_row(
            record,
            previous=previous.get(record.previous_id),
            # A name that reads a row since deleted is left to audit_row, which falls back to the model and id.
            instance=instance if _reads_whole(instance, lookups) else None,
        )
        for record, instance in ((record, instances[record.history_id]) for record in records)
    }


def rows(*querysets: QuerySet, limit: int | None = None) -> list[AuditRow]:
    """Newest first, across models. A "changed" row that changed nothing worth reading is left out. The records are
    read as the audit view reads a page (`page_rows`): a few queries for each model, not one or more a record."""
    entries = sorted(
        chain.from_iterable(
            (
                (at, qs.model.instance_type, history_id)
                for at, history_id in qs.order_by("-history_date").values_list("history_date", "history_id")[:limit]
            )
            for qs in querysets
        ),
        key=lambda entry: entry[0],
        reverse=True,
    )[:limit]
    found = {}
    for model in {model for _, model, _ in entries}:
        ids = [history_id for _, kind, history_id in entries if kind is model]
        found.update({(model, history_id): row for history_id, row in page_rows(model, ids).items()})
    audit = [found[(model, history_id)] for _, model, history_id in entries]
    return [row for row in audit if row.action != "Changed" or row.changes]


def field_changes(report: ReportPage) -> list[AuditRow]:
    """Every recorded change to the report, its ratings and their actions."""
    return rows(
        ReportPage.history.filter(id=report.pk),
        PointRating.history.filter(report_id=report.pk),
        # Through the ratings' own history, so actions of a rating since deleted still show.
        ReportAction.history.filter(rating_id__in=PointRating.history.filter(report_id=report.pk).values("id")),
        ReportCorrection.history.filter(report_id=report.pk),
        ActionUpdate.history.filter(
            action_id__in=ReportAction.history.filter(
                rating_id__in=PointRating.history.filter(report_id=report.pk).values("id")
            ).values("id")
        ),
    )


def role_change_row(change: RoleChange) -> AuditRow:
    return AuditRow(
        at=change.at,
        by=change.by,
        what="Person",
        object_label=change.person_name,
        action="Role changed",
        changes=[Change(change.role, change.from_value, change.to_value)],
    )


AUDITED = {
    "report": ("Reports", ReportPage),
    "rating": ("Point ratings", PointRating),
    "action": ("Actions", ReportAction),
    "action_update": ("Action progress and reviews", ActionUpdate),
    "correction": ("Corrections after publishing", ReportCorrection),
    "assessment": ("Assessments", Assessment),
    "panel": ("Panels", PanelMember),
    "delivery_team": ("Delivery teams", DeliveryTeamMember),
    "people": ("People's roles", RoleChange),
}


# Past this many records a history table's count is an estimate (AuditLog._count).
COUNTED_EXACTLY = 10_000


class AuditLog:
    """Every recorded change to the chosen models, newest first, read a page at a time: from each history table, the
    dates and ids of its newest records down to the page's end (an index scan on its history date, however long the
    table), merged, then the page's records themselves. A "changed" record that changed nothing worth reading (a save
    of bookkeeping fields) is left out of its page."""

    def __init__(self, what: str | None = None):
        keys = [what] if what in AUDITED else list(AUDITED)
        self.models = {key: AUDITED[key][1] for key in keys}

    @staticmethod
    def _rows(model) -> QuerySet:
        return model.objects if model is RoleChange else model.history

    def _newest(self, key: str, model, stop: int) -> list[tuple]:
        at = "at" if model is RoleChange else "history_date"
        keys = self._rows(model).order_by(f"-{at}", "-pk").values_list(at, "pk")[:stop]
        return [(entry_at, key, entry_id) for entry_at, entry_id in keys]

    def count(self) -> int:
        return sum(self._count(model) for model in self.models.values())

    def _count(self, model) -> int:
        rows = self._rows(model)
        if connection.vendor != "postgresql":
            return rows.count()
        # Exactly up to COUNTED_EXACTLY; past that, PostgreSQL's own estimate of the table's rows (kept by autovacuum),
        # in the same query. Counting a long history exactly read all of it on every page, for the number of pages
        # alone; the page's records never depend on the count.
        table = connection.ops.quote_name(rows.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS counted), "  # noqa: S608
                "(SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s))",
                [COUNTED_EXACTLY + 1, table],
            )
            exact, estimate = cursor.fetchone()
        return exact if exact <= COUNTED_EXACTLY else max(exact, estimate or 0)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("The audit log is read a page at a time.")
        start, stop = index.start or 0, index.stop
        newest = [entry for key, model in self.models.items() for entry in self._newest(key, model, stop)]
        # Newest first; at the same moment by kind, then newest record first: two stable sorts.
        newest.sort(key=lambda entry: (entry[1], -entry[2]))
        newest.sort(key=lambda entry: entry[0], reverse=True)
        page = newest[start:stop]
        found = {}
        for key, model in self.models.items():
            ids = [history_id for _, kind, history_id in page if kind == key]
            if not ids:
                continue
            if model is RoleChange:
                records = model.objects.filter(pk__in=ids).select_related("by")
                found.update({(key, change.pk): role_change_row(change) for change in records})
            else:
                found.update({(key, history_id): row for history_id, row in page_rows(model, ids).items()})
        rows = [found[(kind, history_id)] for _, kind, history_id in page if (kind, history_id) in found]
        return [row for row in rows if row.action != "Changed" or row.changes]


class AuditPaginator(WagtailPaginator):
    verbose_name = "record"
    verbose_name_plural = "records"


def everything(what: str | None = None) -> AuditLog:
    """The changes to reports, ratings, actions, assessments, panels, delivery teams and people's roles, or to one
    of them (`what`), to paginate."""
    return AuditLog(what)
