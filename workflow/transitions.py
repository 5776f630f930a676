"""Every change of a report's status, declared once: its name, the ReportPage method that makes it, the words people
see for it, and the emails it sends. The transition service performs them (workflow.services.transitions); forms,
views, the admin, emails, insights and the status history read them from here.

Kept free of workflow imports so that models, services, forms and views can all use it."""

from dataclasses import dataclass

from django.db import models

from notify import kinds


class ReportTransition(models.TextChoices):
    """The values are stored in ReportStatusChange.transition, so they never change; the labels are the buttons."""

    SUBMIT = "submit", "Submit"
    RETURN = "return", "Return to the panel"
    CHECK = "check", "Mark as checked"
    SHARE = "share", "Share with the delivery team"
    ACCEPT = "accept", "Accept and publish"
    CHALLENGE = "challenge", "Challenge"
    RESOLVE = "resolve", "Resolve the challenge"
    PUBLISH = "publish", "Publish"
    WITHDRAW = "withdraw", "Withdraw the report"


@dataclass(frozen=True)
class TransitionSpec:
    name: ReportTransition
    method: str  # the django-fsm transition method of ReportPage
    done: str  # "The report has been {done}."
    # A transition that asks for a comment refuses without one, saying `comment_prompt`; forms ask `comment_question`
    # with `comment_hint` under it.
    comment_prompt: str = ""
    comment_question: str = ""
    comment_hint: str = ""
    # The emails the status change sends, each to its own people (workflow.emails writes them). notify.kinds is a
    # catalogue of names with no imports, so this table still imports nothing of the email code.
    emails: tuple[str, ...] = ()
    # Publishing follows acceptance at once, as part of it: nobody asks for it, so nothing offers or accepts it by name.
    made_by_people: bool = True
    # `done` for a report that is not published after it (a confidential assessment's): publishing's refusal says why.
    done_unpublished: str = ""
    # The URL name of the one page where this transition is made, when it records more than a comment (resolving a
    # challenge records what was decided): other pages, the admin's among them, link there instead of offering it.
    page: str = ""

    @property
    def label(self) -> str:
        return self.name.label

    @property
    def takes_comment(self) -> bool:
        return bool(self.comment_prompt)

    def done_for(self, *, published: bool) -> str:
        return self.done if published or not self.done_unpublished else self.done_unpublished


TRANSITIONS: dict[ReportTransition, TransitionSpec] = {
    spec.name: spec
    for spec in [
        TransitionSpec(
            ReportTransition.SUBMIT,
            "submit",
            "submitted to the service assessment team",
            emails=(kinds.REPORT_SUBMITTED,),
        ),
        TransitionSpec(
            ReportTransition.RETURN,
            "return_to_panel",
            "returned to the panel",
            comment_prompt="Enter a comment for the panel saying what needs to change",
            comment_question="What does the panel need to change?",
            comment_hint="The panel sees this comment in the report's history.",
            emails=(kinds.REPORT_RETURNED,),
        ),
        TransitionSpec(ReportTransition.CHECK, "mark_checked", "marked as checked"),
        TransitionSpec(
            ReportTransition.SHARE,
            "share",
            "shared with the delivery team",
            emails=(kinds.REPORT_SHARED,),
        ),
        # Publishing follows it and sends its own emails; its email is for the report that publishing refuses (a
        # confidential assessment's), whose process ends here.
        TransitionSpec(
            ReportTransition.ACCEPT,
            "accept",
            "accepted and published",
            emails=(kinds.REPORT_ACCEPTED_UNPUBLISHED,),
            done_unpublished="accepted",
        ),
        TransitionSpec(
            ReportTransition.CHALLENGE,
            "challenge",
            "challenged",
            comment_prompt="Enter your reasons for challenging the report",
            comment_question="Why are you challenging the report?",
            comment_hint=(
                "Say which points you disagree with and why. The Service Assessment Plus team will arrange a "
                "meeting with the panel to agree any changes."
            ),
            emails=(kinds.CHALLENGE_RECEIVED,),
        ),
        TransitionSpec(
            ReportTransition.RESOLVE,
            "resolve_challenge",
            "sent back to the service assessment team to check and share again",
            comment_prompt="Enter the changes agreed with the panel and the team",
            comment_question="What changes did the panel and the team agree?",
            comment_hint="The report goes back to the service assessment team to check and share again.",
            # The report is submitted again, so the team hears as it does of a first submission; the delivery team
            # hears what was decided.
            emails=(kinds.REPORT_SUBMITTED, kinds.CHALLENGE_RESOLVED),
            page="plus:report",
        ),
        TransitionSpec(
            ReportTransition.PUBLISH,
            "mark_published",
            "published",
            # The reassessment email goes only when the report has a red point.
            emails=(kinds.REPORT_PUBLISHED, kinds.REASSESSMENT_NEEDED),
            made_by_people=False,
        ),
        TransitionSpec(
            ReportTransition.WITHDRAW,
            "withdraw",
            "withdrawn",
            comment_prompt="Enter the reason for withdrawing the report",
            comment_question="Why is the report being withdrawn?",
            comment_hint=(
                "This reason is published on the report's page, under the notice that it was withdrawn. The delivery "
                "team is emailed it too."
            ),
            emails=(kinds.REPORT_WITHDRAWN,),
        ),
    ]
}
