"""Field history from django-simple-history, as rows people can read: who changed what, when, from what to what."""

import datetime
from dataclasses import dataclass, field
from itertools import chain

from django.db.models import QuerySet

from workflow.models import (
    Assessment,
    DeliveryTeamMember,
    PanelMember,
    PointRating,
    ReportAction,
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


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class AuditRow:
    at: datetime.datetime
    by: object
    what: str
    object_label: str
    action: str
    changes: list[Change] = field(default_factory=list)


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
    return choices.get(value, value)


def audit_row(record) -> AuditRow:
    model = record.instance_type
    changes = []
    if record.history_type == "~":
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                Change(_label(model, c.field), _display(model, c.field, c.old), _display(model, c.field, c.new))
                for c in delta.changes
                if c.field not in NOISE
            ]
    try:
        object_label = str(record.instance)
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


def rows(*querysets: QuerySet, limit: int | None = None) -> list[AuditRow]:
    """Newest first, across models. A "changed" row that changed nothing worth reading is left out."""
    records = sorted(
        chain.from_iterable(qs.select_related("history_user").order_by("-history_date")[:limit] for qs in querysets),
        key=lambda record: record.history_date,
        reverse=True,
    )
    if limit is not None:
        records = records[:limit]
    audit = [audit_row(record) for record in records]
    return [row for row in audit if row.action != "Changed" or row.changes]


def report_history(report: ReportPage) -> list[AuditRow]:
    """Every recorded change to the report, its ratings and their actions."""
    return rows(
        ReportPage.history.filter(id=report.pk),
        PointRating.history.filter(report_id=report.pk),
        # Through the ratings' own history, so actions of a rating since deleted still show.
        ReportAction.history.filter(rating_id__in=PointRating.history.filter(report_id=report.pk).values("id")),
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
    "assessment": ("Assessments", Assessment),
    "panel": ("Panels", PanelMember),
    "delivery_team": ("Delivery teams", DeliveryTeamMember),
    "people": ("People's roles", RoleChange),
}


def everything(limit: int = 200, what: str | None = None) -> list[AuditRow]:
    """The latest changes to reports, ratings, actions, assessments, panels, delivery teams and people's roles,
    or to one of them (`what`)."""
    chosen = [AUDITED[what]] if what in AUDITED else AUDITED.values()
    history = [model.history.all() for _, model in chosen if model is not RoleChange]
    found = rows(*history, limit=limit) if history else []
    if any(model is RoleChange for _, model in chosen):
        changes = RoleChange.objects.select_related("by").order_by("-at", "-pk")[:limit]
        found = sorted([*found, *map(role_change_row, changes)], key=lambda row: row.at, reverse=True)[:limit]
    return found
