"""The questions a report asks beyond its fixed core, and their answers: the one place that knows where an answer is
kept, how it reads, and which answers a report still needs.

A report keeps the questions of its type's report form as they were when it was created (`ReportPage.questions`,
`{"report": [...], "point": [...]}`, made by `cms.models.ReportForm.snapshot`), so everything here reads that copy,
never the form: a form edited later changes new reports only. An answer is kept in the column its question names
(`stored_in`: the service description and users, and each point's "done well" and "to improve", which reports have
always had) or else in the row's `answers`, under the question's id.

Answers are kept as text: a yes or no as "yes" or "no", a date as an ISO date ("2027-03-27"), an option as its
words. "" is no answer."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dateformat import format as format_date

from cms.blocks import QuestionKind

YES_NO = {"yes": "Yes", "no": "No"}
REPORT = "report"
POINT = "point"


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    hint: str
    kind: str
    choices: tuple[str, ...]
    required: bool
    published: bool
    stored_in: str

    @classmethod
    def from_snapshot(cls, data: dict) -> "Question":
        return cls(
            id=data["id"],
            label=data["label"],
            hint=data.get("hint") or "",
            kind=data["kind"],
            choices=tuple(data.get("choices") or ()),
            required=bool(data.get("required")),
            published=bool(data.get("published")),
            stored_in=data.get("stored_in") or "",
        )

    def answer_of(self, row) -> str:
        """The answer kept on `row` (a report for its questions, a point's rating, or anything with the same
        attributes), as stored."""
        if self.stored_in:
            return getattr(row, self.stored_in) or ""
        return (row.answers or {}).get(self.id, "")

    def words(self, answer: str) -> str:
        """The answer as people read it: "Yes", "27 March 2027", or the text as typed."""
        if self.kind == QuestionKind.YES_NO:
            return YES_NO.get(answer, answer)
        if self.kind == QuestionKind.DATE and answer:
            try:
                return format_date(datetime.date.fromisoformat(answer), "j F Y")
            except ValueError:
                return answer
        return answer

    def stored(self, value) -> str:
        """`value` as this question keeps it, or a ValidationError saying why it cannot be its answer."""
        if value is None:
            return ""
        if self.kind == QuestionKind.DATE:
            if isinstance(value, datetime.date):
                return value.isoformat()
            if value == "":
                return ""
            raise ValidationError(f"{self.label} must be a real date")
        if not isinstance(value, str):
            raise ValidationError(f"{self.label} must be text")
        if value and self.kind == QuestionKind.YES_NO and value not in YES_NO:
            raise ValidationError(f"Select yes or no for {self.label}")
        if value and self.kind == QuestionKind.CHOICE and value not in self.choices:
            raise ValidationError(f"Select one of the options for {self.label}")
        return value


@dataclass(frozen=True)
class Answer:
    question: Question
    answer: str  # as stored

    @property
    def words(self) -> str:
        return self.question.words(self.answer)


def questions(report, level: str) -> list[Question]:
    """The report's own questions at `level` (REPORT or POINT), in order."""
    return [Question.from_snapshot(data) for data in (report.questions or {}).get(level, [])]


def answers(report, level: str, row=None, *, published_only: bool = False) -> list[Answer]:
    """Each of the report's questions at `level` with its answer on `row` (the report itself for its own questions),
    in order; only the published questions' for the public."""
    row = report if row is None else row
    return [
        Answer(question, question.answer_of(row))
        for question in questions(report, level)
        if question.published or not published_only
    ]


def open_answers(report, level: str, row=None) -> list[dict]:
    """The published answers the open data does not already give in its own fields (the columns), for the JSON
    export and the API: each question's id and words, and its answer as stored ("" when not answered)."""
    return [
        {"id": answer.question.id, "question": answer.question.label, "answer": answer.answer}
        for answer in answers(report, level, row, published_only=True)
        if not answer.question.stored_in
    ]


def changes(report, level: str, row, given: dict) -> dict:
    """The fields of `row` to save for the answers `given` (question id → value, from a form or a command): each
    column a question is kept in, and `answers` for the rest. A ValidationError for a question the report does not
    ask at this level, or a value that cannot be its answer; questions not given keep their answers."""
    by_id = {question.id: question for question in questions(report, level)}
    unknown = set(given) - set(by_id)
    if unknown:
        raise ValidationError("This report does not ask that question. Reload the page and try again.")
    fields: dict = {}
    kept = dict(row.answers or {})
    for question_id, value in given.items():
        question = by_id[question_id]
        stored = question.stored(value)
        if question.stored_in:
            fields[question.stored_in] = stored
        elif stored:
            kept[question_id] = stored
        else:
            kept.pop(question_id, None)
    fields["answers"] = kept
    return fields


def by_column(report, level: str, **values) -> dict:
    """Answers given by the column their questions are kept in (`done_well="…"`), as `changes` takes them: for code
    that writes the four questions every report has always had, whatever their ids in this report."""
    ids = {question.stored_in: question.id for question in questions(report, level) if question.stored_in}
    return {ids[column]: value for column, value in values.items() if column in ids}


def unanswered(report) -> list[tuple[Question, list[int]]]:
    """The required questions the report has not answered yet, in order, each with the numbers of the points that
    have not answered it (empty for a question of the whole report)."""
    found = []
    for answer in answers(report, REPORT):
        if answer.question.required and not answer.answer.strip():
            found.append((answer.question, []))
    ratings = list(report.ratings.all())
    for question in questions(report, POINT):
        if question.required:
            numbers = [rating.number for rating in ratings if not question.answer_of(rating).strip()]
            if numbers:
                found.append((question, numbers))
    return found
