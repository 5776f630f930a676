"""Every email the service sends: one GOV.UK Notify template each.

The catalogue is the contract between the code and the templates in Notify: each kind names the
personalisation the service sends, and `check_notify_templates` checks that each configured template
asks for nothing more. README.md ("Emails") documents the same table for people.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass


def _no_figures() -> Mapping[str, object]:
    return {}


# Where the {NAMES} in a kind's `trigger` are read: the sending app registers it when it starts (workflow registers its
# policy figures in force), so "3 working days before" is written once, where the process keeps it, says the figure
# the team has set now, and notify still imports nothing of the process.
_figures: Callable[[], Mapping[str, object]] = _no_figures


def register_figures(figures: Callable[[], Mapping[str, object]]) -> None:
    global _figures
    _figures = figures


class _Unfilled(dict):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


@dataclass(frozen=True)
class EmailKind:
    key: str
    name: str  # how the admin and the README name it
    to: str  # who receives it, in words
    trigger: str  # what sends it, in words, with {FIGURE} placeholders
    personalisation: tuple[str, ...]

    @property
    def when(self) -> str:
        """What sends it, in words, with the process's figures in force."""
        if "{" not in self.trigger:
            return self.trigger
        return self.trigger.format_map(_Unfilled(_figures()))


REPORT_SUBMITTED = "report_submitted"
REPORT_RETURNED = "report_returned"
REPORT_SHARED = "report_shared"
RESPONSE_REMINDER = "response_reminder"
RESPONSE_OVERDUE = "response_overdue"
REPORT_NOT_SHARED = "report_not_shared"
CHALLENGE_RECEIVED = "challenge_received"
REPORT_PUBLISHED = "report_published"
REPORT_ACCEPTED_UNPUBLISHED = "report_accepted_unpublished"
FEEDBACK_REQUEST = "feedback_request"
AMBER_ACTIONS_DUE = "amber_actions_due"
AMBER_ACTIONS_OVERDUE = "amber_actions_overdue"
REASSESSMENT_NEEDED = "reassessment_needed"
SIGN_IN_LINK = "sign_in_link"
BOOKING_RECEIVED = "booking_received"
BOOKING_ACCEPTED = "booking_accepted"
BOOKING_REJECTED = "booking_rejected"
PANEL_APPOINTED = "panel_appointed"
CLARIFICATION_ASKED = "clarification_asked"
CLARIFICATION_ANSWERED = "clarification_answered"
MEETING_INVITATION = "meeting_invitation"
MEETING_CHANGED = "meeting_changed"
CHALLENGE_RESOLVED = "challenge_resolved"
FOLLOW_UP_REQUESTED = "follow_up_requested"
FOLLOW_UP_ANSWERED = "follow_up_answered"
REPORT_CORRECTED = "report_corrected"
REPORT_WITHDRAWN = "report_withdrawn"
ACTION_READY_FOR_REVIEW = "action_ready_for_review"
ACTION_REVIEWED = "action_reviewed"

_REPORT = ("name", "service_name", "stage")

KINDS: dict[str, EmailKind] = {
    kind.key: kind
    for kind in [
        EmailKind(
            REPORT_SUBMITTED,
            "Report ready to check",
            "the service assessment team",
            "the lead assessor submits a report, or the Service Assessment Plus team resolves a challenge",
            (*_REPORT, "assessment_date", "lead_assessor", "report_link"),
        ),
        EmailKind(
            REPORT_RETURNED,
            "Report returned to the panel",
            "the lead assessor",
            "the service assessment team returns a report",
            (*_REPORT, "comment", "report_link"),
        ),
        EmailKind(
            REPORT_SHARED,
            "Report shared with the team",
            "the product manager, delivery manager and SRO",
            "the service assessment team shares a report",
            (*_REPORT, "assessment_date", "report_link", "response_deadline"),
        ),
        EmailKind(
            RESPONSE_REMINDER,
            "Response reminder",
            "the product manager and delivery manager",
            "daily schedule: {RESPONSE_REMINDER_WORKING_DAYS_BEFORE} working days before the response deadline of a shared report",
            (*_REPORT, "report_link", "response_deadline"),
        ),
        EmailKind(
            RESPONSE_OVERDUE,
            "Response overdue",
            "the service assessment team",
            "daily schedule: the day after the response deadline, if the report is still waiting for a response",
            (*_REPORT, "response_deadline", "report_link"),
        ),
        EmailKind(
            REPORT_NOT_SHARED,
            "Report not yet shared",
            "the lead assessor and the service assessment team",
            (
                "daily schedule: the day after the share-by date ({SHARE_WITHIN_DAYS} days after the assessment), if its "
                "report has not been shared"
            ),
            (*_REPORT, "assessment_date", "share_deadline", "report_status", "report_link"),
        ),
        EmailKind(
            CHALLENGE_RECEIVED,
            "Challenge received",
            "the Service Assessment Plus team and the panel",
            "the product or delivery manager challenges a report",
            (*_REPORT, "challenged_by", "reasons", "report_link"),
        ),
        EmailKind(
            REPORT_PUBLISHED,
            "Report published",
            "the delivery team and the panel",
            "the product or delivery manager accepts a report that is published when accepted (not confidential, "
            "and of a published type), which publishes it",
            (*_REPORT, "overall_rating", "public_link"),
        ),
        EmailKind(
            REPORT_ACCEPTED_UNPUBLISHED,
            "Report accepted, not published",
            "the delivery team, the panel and the service assessment team",
            "the product or delivery manager accepts the report of a confidential assessment, or of a type never "
            "published (a peer review), which ends its process without publishing it",
            (*_REPORT, "overall_rating", "why_not_published", "report_link"),
        ),
        EmailKind(
            FEEDBACK_REQUEST,
            "Feedback request",
            "the delivery team and the panel",
            "daily schedule: the day after the assessment",
            (*_REPORT, "assessment_date", "survey_link"),
        ),
        EmailKind(
            AMBER_ACTIONS_DUE,
            "Amber actions due soon",
            "the delivery team",
            "daily schedule: {AMBER_ACTIONS_REMINDER_DAYS_BEFORE} days before open amber actions are due",
            (*_REPORT, "due_date", "actions", "report_link"),
        ),
        EmailKind(
            AMBER_ACTIONS_OVERDUE,
            "Amber actions overdue",
            "the delivery team",
            "daily schedule: the day after open amber actions were due",
            (*_REPORT, "due_date", "actions", "report_link"),
        ),
        EmailKind(
            REASSESSMENT_NEEDED,
            "Reassessment needed",
            "the delivery team",
            "a report with any red point is published",
            (*_REPORT, "red_points", "public_link"),
        ),
        EmailKind(
            BOOKING_RECEIVED,
            "Booking request received",
            "the service assessment team",
            "a delivery team asks for an assessment",
            (*_REPORT, "requested_by", "preferred_dates", "booking_link"),
        ),
        EmailKind(
            BOOKING_ACCEPTED,
            "Booking accepted",
            "the person who asked and the delivery team",
            "the service assessment team accepts a booking request, giving the date and the panel",
            (*_REPORT, "assessment_date", "panel", "dashboard_link"),
        ),
        EmailKind(
            BOOKING_REJECTED,
            "Booking rejected",
            "the person who asked and the delivery team",
            "the service assessment team rejects a booking request, giving the reason",
            (*_REPORT, "reason", "dashboard_link"),
        ),
        EmailKind(
            PANEL_APPOINTED,
            "Appointed to a panel",
            "each panel member",
            "someone is put on an assessment's panel, when the booking is accepted or later in the admin",
            (*_REPORT, "assessment_date", "panel_role", "dashboard_link"),
        ),
        EmailKind(
            CLARIFICATION_ASKED,
            "Question about a report",
            "the service assessment team",
            "the product or delivery manager asks a question about a shared report, which stops its response clock",
            (*_REPORT, "asked_by", "about", "question", "report_link"),
        ),
        EmailKind(
            CLARIFICATION_ANSWERED,
            "Question answered",
            "the person who asked",
            "the service assessment team answers a question about a shared report, which starts its response clock "
            "again",
            (*_REPORT, "about", "question", "answer", "what_next", "report_link"),
        ),
        EmailKind(
            MEETING_INVITATION,
            "Challenge meeting invitation",
            "the people invited from the panel and the delivery team",
            "the Service Assessment Plus team arranges the meeting about a challenged report",
            (*_REPORT, "meeting_time", "meeting_place", "attendees", "report_link"),
        ),
        EmailKind(
            MEETING_CHANGED,
            "Challenge meeting changed",
            "the people invited from the panel and the delivery team",
            "the Service Assessment Plus team changes the time, place or people of a challenge meeting",
            (*_REPORT, "meeting_time", "meeting_place", "attendees", "report_link"),
        ),
        EmailKind(
            CHALLENGE_RESOLVED,
            "Challenge resolved",
            "the delivery team",
            "the Service Assessment Plus team resolves a challenge and records the agreed changes",
            (*_REPORT, "outcome", "agreed_changes", "report_link"),
        ),
        EmailKind(
            FOLLOW_UP_REQUESTED,
            "Follow-up support requested",
            "the lead assessor and the service assessment team",
            "the product or delivery manager asks the panel for a follow-up call or workshop after accepting a report",
            (*_REPORT, "requested_by", "support", "actions", "details", "report_link"),
        ),
        EmailKind(
            FOLLOW_UP_ANSWERED,
            "Follow-up support arranged or declined",
            "the person who asked for follow-up support",
            "the lead assessor or the service assessment team records that follow-up support is arranged, or declined "
            "with a reason",
            (*_REPORT, "support", "outcome", "report_link"),
        ),
        EmailKind(
            REPORT_CORRECTED,
            "Published report corrected",
            "the delivery team",
            "the service assessment team corrects a published report, with a public change note",
            (*_REPORT, "change_note", "public_link"),
        ),
        EmailKind(
            REPORT_WITHDRAWN,
            "Published report withdrawn",
            "the delivery team",
            "the service assessment team withdraws a published report, with a public reason",
            (*_REPORT, "reason", "public_link"),
        ),
        EmailKind(
            ACTION_READY_FOR_REVIEW,
            "Action ready for review",
            "the lead assessor and the service assessment team",
            "the delivery team records what it did about an action, with evidence, and marks it ready for review",
            (*_REPORT, "point", "action", "progress", "report_link"),
        ),
        EmailKind(
            ACTION_REVIEWED,
            "Action reviewed",
            "the delivery team",
            "the lead assessor or the service assessment team accepts an action's evidence, which closes it, or asks "
            "for more",
            (*_REPORT, "point", "action", "decision", "comment", "report_link"),
        ),
        EmailKind(
            SIGN_IN_LINK,
            "Sign-in link",
            "the person who asked, if they have an account",
            "someone asks for a sign-in link at /sign-in/link/",
            ("name", "sign_in_link", "expires_in"),
        ),
    ]
}

# Emails whose personalisation grants access: never shown in the admin, scrubbed once sent, never resent.
SECRET_KINDS = frozenset({SIGN_IN_LINK})


def choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.name) for kind in KINDS.values()]


def normalise_placeholder(name: str) -> str:
    """Notify matches personalisation to placeholders ignoring case, spaces, underscores and hyphens."""
    return "".join(character for character in name.lower() if character not in " _-")
