"""The service assessment team's forms after publishing: correcting a published report's words, with a public change
note, and withdrawing it, with a public reason. They check what was typed; the services decide whether it may be
saved."""

from workflow import questions
from workflow.services.corrections import NOTE_LIMIT, NOTE_MISSING
from workflow.transitions import TRANSITIONS, ReportTransition

from .assessor import ACTION_LIMIT, QuestionsForm, VersionedForm, text_field
from .base import WithoutNullCharactersForm

# Like a change note, a reason is a sentence or two.
REASON_LIMIT = NOTE_LIMIT


class ReportTextsForm(QuestionsForm):
    """The report's own questions, as the panel's service details page asks them."""


class PointTextsForm(QuestionsForm):
    """A point's questions without its rating: a correction changes words, never the panel's judgement (a rating
    decides actions, the overall rating and whether a reassessment is needed)."""


class ActionWordsForm(VersionedForm):
    description = text_field(
        "What the team needs to do",
        limit=ACTION_LIMIT,
        rows=4,
        error_messages={"required": "Enter what the team needs to do"},
    )


class ChangeNoteForm(WithoutNullCharactersForm):
    note = text_field(
        "Change note",
        limit=NOTE_LIMIT,
        rows=3,
        hint="Published on the report's page under “Updates to this page”, and emailed to the delivery team. For "
        "example: “Corrected the description of point 6.”",
        error_messages={"required": NOTE_MISSING},
    )


class WithdrawForm(WithoutNullCharactersForm):
    reason = text_field(
        TRANSITIONS[ReportTransition.WITHDRAW].comment_question,
        limit=REASON_LIMIT,
        rows=5,
        hint=TRANSITIONS[ReportTransition.WITHDRAW].comment_hint,
        error_messages={"required": TRANSITIONS[ReportTransition.WITHDRAW].comment_prompt},
    )


def correction_forms(report, ratings, data=None) -> dict:
    """Every form of the correction page, by what it edits: the report's texts, each point's (by number), each
    action's (by id), and the change note. Bound to `data` when posted."""
    report_form = ReportTextsForm.asking(questions.questions(report, questions.REPORT))
    point_form = PointTextsForm.asking(questions.questions(report, questions.POINT))
    points = {}
    actions = {}
    for rating in ratings:
        points[rating.number] = point_form(
            data, prefix=f"point-{rating.number}", initial={**point_form.initial_for(rating), "version": rating.version}
        )
        for action in rating.actions.all():
            actions[action.pk] = ActionWordsForm(
                data,
                prefix=f"action-{action.pk}",
                initial={"description": action.description, "version": action.version},
            )
    return {
        "report": report_form(
            data, prefix="report", initial={**report_form.initial_for(report), "version": report.version}
        ),
        "points": points,
        "actions": actions,
        "note": ChangeNoteForm(data),
    }
