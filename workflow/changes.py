"""What the panel changed in a report since a moment (the challenge): every answer, rating, overall rating and action
as it stood then and as it stands now, from the django-simple-history records of the report, its point ratings and
their actions. The Service Assessment Plus team reads it before recording the outcome of a challenge."""

import datetime
from dataclasses import dataclass, field

from workflow import questions
from workflow.models import PointRating, Rating, ReportAction, ReportPage

DELETED = "-"


@dataclass(frozen=True)
class Change:
    """One answer or rating, before and after, in words ("" for nothing)."""

    what: str
    before: str
    after: str


@dataclass(frozen=True)
class ActionChange:
    point: int
    how: str  # "added", "removed" or "changed"
    before: str
    after: str


@dataclass
class ReportChanges:
    report: list[Change] = field(default_factory=list)  # the report's own answers and its overall rating
    points: list[tuple[int, str, list[Change]]] = field(default_factory=list)  # (number, title, changes)
    actions: list[ActionChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.report or self.points or self.actions)


def _as_of(history, moment: datetime.datetime):
    """The latest history record at `moment`, or None if the row did not exist then."""
    record = history.filter(history_date__lte=moment).order_by("-history_date", "-history_id").first()
    return None if record is None or record.history_type == DELETED else record


def _rating_words(value: str) -> str:
    return Rating(value).label if value in Rating.values else ""


def _answer_changes(report: ReportPage, level: str, before, after) -> list[Change]:
    found = []
    for question in questions.questions(report, level):
        old = question.words(question.answer_of(before)) if before is not None else ""
        new = question.words(question.answer_of(after))
        if old != new:
            found.append(Change(question.label, old, new))
    return found


def since(report: ReportPage, moment: datetime.datetime) -> ReportChanges:
    """Everything the panel changed in the report after `moment`."""
    changes = ReportChanges()
    then = _as_of(ReportPage.history.filter(id=report.pk), moment)
    if then is not None and then.overall_rating != report.overall_rating:
        changes.report.append(
            Change("Overall result", _rating_words(then.overall_rating), _rating_words(report.overall_rating))
        )
    if then is not None and then.overall_rating_reason != report.overall_rating_reason:
        changes.report.append(
            Change(
                "Why the result differs from the point ratings",
                then.overall_rating_reason,
                report.overall_rating_reason,
            )
        )
    changes.report.extend(_answer_changes(report, questions.REPORT, then, report) if then is not None else [])

    ratings = list(PointRating.objects.filter(report=report).order_by("number"))
    history = PointRating.history.filter(report_id=report.pk, history_date__lte=moment).order_by(
        "id", "-history_date", "-history_id"
    )
    rating_then = {}
    for record in history:
        rating_then.setdefault(record.id, record)
    for rating in ratings:
        before = rating_then.get(rating.pk)
        if before is None or before.history_type == DELETED:
            continue
        found = []
        if before.rating != rating.rating:
            found.append(Change("Rating", _rating_words(before.rating), _rating_words(rating.rating)))
        found.extend(_answer_changes(report, questions.POINT, before, rating))
        if found:
            changes.points.append((rating.number, rating.title, found))

    numbers = {rating.pk: rating.number for rating in ratings}
    action_then = {}
    for record in ReportAction.history.filter(rating_id__in=list(numbers), history_date__lte=moment).order_by(
        "id", "-history_date", "-history_id"
    ):
        action_then.setdefault(record.id, record)
    before_actions = {pk: record for pk, record in action_then.items() if record.history_type != DELETED}
    now_actions = {action.pk: action for action in ReportAction.objects.filter(rating_id__in=list(numbers))}
    for pk in sorted(set(before_actions) | set(now_actions)):
        old, new = before_actions.get(pk), now_actions.get(pk)
        if old is None:
            changes.actions.append(ActionChange(numbers[new.rating_id], "added", "", new.description))
        elif new is None:
            changes.actions.append(ActionChange(numbers.get(old.rating_id, 0), "removed", old.description, ""))
        elif old.description != new.description:
            changes.actions.append(ActionChange(numbers[new.rating_id], "changed", old.description, new.description))
    changes.actions.sort(key=lambda change: change.point)
    return changes
