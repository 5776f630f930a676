"""The access matrix: for every URL pattern the project owns, what each role gets.

Each row is a real address (its `{placeholders}` are filled with the objects tests/properties/test_access_matrix.py
builds) and one expected answer per role, in the order of ROLES:

- `200`, `401`, `403`, `404`, `405`: that status;
- `"302 /path/"`: a redirect to that path (query string ignored); a path ending in `*` is a prefix;
- `" !"` at the end of a POST answer: the request must change the database. Every other POST answer must
  leave it exactly as it was.

Wagtail's and Django's own admin views are not listed: test_access_matrix checks a rule for all of them.
The rows here for some of their patterns (the admin home, sign-in pages, the page editor on a report) say
more than that rule can.
"""

from dataclasses import dataclass

ROLES = (
    "anonymous",
    "other_service_pm",
    "product_manager",
    "assessor_not_on_panel",
    "panel_assessor",
    "lead_assessor",
    "assessment_team",
    "plus_team",
    "superuser",
)

SIGN_IN = "302 /sign-in/"
ADMIN_LOGIN = "302 /admin/login/"
# Wagtail's answer to someone in the admin without the permission: "Sorry, you do not have permission",
# back on the admin home.
NO = "302 /admin/"
DJANGO_ADMIN_LOGIN = "302 /django-admin/login/"


@dataclass(frozen=True)
class Row:
    url: str
    get: tuple
    post: tuple | None = None
    data: dict | str | None = None  # a str names POST data made with the objects, e.g. a form's answers

    def __post_init__(self):
        for answers in (self.get, self.post):
            if answers is not None and len(answers) != len(ROLES):
                raise ValueError(f"{self.url}: {len(answers)} answers for {len(ROLES)} roles")


def everyone(answer) -> tuple:
    return (answer,) * len(ROLES)


def signed_in(answer) -> tuple:
    """Anonymous people are sent to sign in; everyone else gets `answer`."""
    return (SIGN_IN, *(answer,) * (len(ROLES) - 1))


def admin(assessment_team, plus, superuser) -> tuple:
    """Nobody outside the two central teams (and superusers) gets into the Wagtail admin at all."""
    return (*(ADMIN_LOGIN,) * 6, assessment_team, plus, superuser)


# POST data. Versions are those of the rows as built, so the people allowed to save do save.
DETAILS = {"version": "{draft_version}", "service_description": "Changed.", "service_users": "Changed users."}
POINT = {"version": "{rating_version}", "rating": "green", "done_well": "Changed.", "to_improve": ""}
NEW_ACTION = {"description": "A new action."}
EDIT_ACTION = {"version": "{action_version}", "description": "Changed action."}
REMOVE_ACTION = {"version": "{action_version}"}
COMMENT = {"text": "Is point 6 really amber?"}
MEETING = {
    "date_day": "3",
    "date_month": "12",
    "date_year": "{meeting_year}",
    "time": "2:30pm",
    "place": "Room 4",
    "attendees": "{meeting_lead}",
    "version": "0",
}
FOLLOW_UP = {"support": "call", "actions": "{published_action}", "details": "Help with point 6, please."}
ACTION_PROGRESS = {"text": "We fixed it: https://example.gov.uk/evidence", "ready_for_review": "on"}
ACTION_REVIEW = {"version": "{ready_action_version}", "decision": "accepted", "comment": "Well evidenced."}
FOLLOW_UP_OUTCOME = {"decision": "arranged", "outcome": "A call on Monday at 10am."}
QUESTION = {"about": "whole", "question": "What would make point 6 green?"}
OVERALL = {"version": "{draft_version}", "overall_rating": "red", "reason": "Point 6 puts users at risk."}
BOOKING = {"service": "{service}", "kind": "assessment", "phase": "private_beta", "preferred_dates": "", "notes": ""}
RECEIPT = {"reference": "{outbox}", "status": "delivered"}
DEPARTMENT = {"name": "Department of Changes", "slug": "department-of-changes"}
NOTIFY_TEMPLATES = "302 /admin/settings/notify/notifytemplates/{notify_templates}/"
INVITE = {"first_name": "Ana", "last_name": "Lopez", "email": "ana.lopez@example.gov.uk", "roles": "Assessors"}
HELP_TEXTS = "302 /admin/settings/workflow/reportformhelptexts/{help_texts}/"
POLICY_FIGURES = "302 /admin/settings/workflow/policyfigures/{policy_figures}/"
# The figures as they are: the team and superusers may save them (nothing changes); nobody else gets the form.
FIGURES = {
    "share_within_days": "7",
    "respond_within_working_days": "10",
    "response_reminder_working_days_before": "3",
    "amber_actions_within_months": "3",
    "amber_actions_reminder_days_before": "14",
}

# fmt: off
MATRIX: dict[str, Row | list[Row]] = {
    # Each tuple, in the order of ROLES:
    #   (anonymous, other service's PM, PM, assessor not on the panel, panel assessor, lead, assessment team, Plus,
    #   superuser)

    # Sign-in, sign-out and the dashboard redirect.
    "sign-in/": Row(
        "/sign-in/",
        get=(200, *("302 /dashboard/",) * 8),
        post=(200, *("302 /dashboard/",) * 8), data={"username": "", "password": ""},
    ),
    # Signing out asks to confirm on a GET (a link or an image elsewhere cannot sign anyone out); a POST does it.
    "sign-out/": Row("/sign-out/", get=everyone(200), post=everyone("302 /")),
    "dashboard/": Row(
        "/dashboard/",
        get=(SIGN_IN, "302 /team/", "302 /team/", "302 /assessor/", "302 /assessor/", "302 /assessor/",
             "302 /assessment-team/", "302 /plus/", 200),
    ),
    "sign-in/link/": Row(
        "/sign-in/link/", get=everyone(200), post=everyone("302 /sign-in/link/sent/ !"), data={"email": "{sro_email}"},
    ),
    "sign-in/link/sent/": Row("/sign-in/link/sent/", get=everyone(200)),
    # The link is the credential: whoever holds it signs in as its owner, once.
    "sign-in/link/<str:token>/": Row("/sign-in/link/{token}/", get=everyone(200), post=everyone("302 /dashboard/")),

    # The assessors' pages: the panel edits a draft, the lead assessor gives the overall rating and submits.
    "assessor/": Row("/assessor/", get=(SIGN_IN, 403, 403, 200, 200, 200, 403, 403, 403)),
    "assessor/assessments/<row_id:assessment_id>/start/": Row(
        "/assessor/assessments/{fresh}/start/",
        get=signed_in(405),
        post=(SIGN_IN, 404, 404, 404, 403, "302 /assessor/reports/* !", 404, 404, 404),
    ),
    "assessor/reports/<row_id:report_id>/": Row(
        "/assessor/reports/{draft}/", get=(SIGN_IN, 404, 404, 404, 200, 200, 200, 200, 200),
    ),
    "assessor/reports/<row_id:report_id>/about/": [
        Row(
            "/assessor/reports/{draft}/about/",
            get=(SIGN_IN, 404, 404, 404, 200, 200, 403, 403, 403),
            post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/ !", "302 /assessor/reports/{draft}/ !",
                  403, 403, 403),
            data=DETAILS,
        ),
        # Once submitted, the panel can no longer change it.
        Row(
            "/assessor/reports/{submitted}/about/",
            get=(SIGN_IN, 404, 404, 404, 403, 403, 403, 403, 403),
            # The panel's late save is shown again with their text and why it can no longer be saved.
            post=(SIGN_IN, 404, 404, 404, 200, 200, 403, 403, 403),
            data={**DETAILS, "version": "{submitted_version}"},
        ),
    ],
    "assessor/reports/<row_id:report_id>/points/<row_id:number>/": Row(
        "/assessor/reports/{draft}/points/1/",
        get=(SIGN_IN, 404, 404, 404, 200, 200, 403, 403, 403),
        post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/points/2/ !",
              "302 /assessor/reports/{draft}/points/2/ !", 403, 403, 403),
        data=POINT,
    ),
    "assessor/reports/<row_id:report_id>/points/<row_id:number>/actions/add/": Row(
        "/assessor/reports/{draft}/points/6/actions/add/",
        get=(SIGN_IN, 404, 404, 404, 200, 200, 403, 403, 403),
        post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/points/6/ !",
              "302 /assessor/reports/{draft}/points/6/ !", 403, 403, 403),
        data=NEW_ACTION,
    ),
    "assessor/reports/<row_id:report_id>/actions/<row_id:action_id>/edit/": Row(
        "/assessor/reports/{draft}/actions/{action}/edit/",
        get=(SIGN_IN, 404, 404, 404, 200, 200, 403, 403, 403),
        post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/points/6/ !",
              "302 /assessor/reports/{draft}/points/6/ !", 403, 403, 403),
        data=EDIT_ACTION,
    ),
    "assessor/reports/<row_id:report_id>/actions/<row_id:action_id>/remove/": Row(
        "/assessor/reports/{draft}/actions/{action}/remove/",
        get=(SIGN_IN, 404, 404, 404, 200, 200, 403, 403, 403),
        post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/points/6/ !",
              "302 /assessor/reports/{draft}/points/6/ !", 403, 403, 403),
        data=REMOVE_ACTION,
    ),
    "assessor/reports/<row_id:report_id>/overall/": Row(
        "/assessor/reports/{draft}/overall/",
        get=(SIGN_IN, 404, 404, 404, 403, 200, 403, 403, 403),
        post=(SIGN_IN, 404, 404, 404, 403, "302 /assessor/reports/{draft}/ !", 403, 403, 403),
        data=OVERALL,
    ),
    "assessor/reports/<row_id:report_id>/submit/": Row(
        "/assessor/reports/{draft}/submit/",
        get=signed_in(405),
        post=(SIGN_IN, 404, 404, 404, 403, "302 /assessor/reports/{draft}/ !", 403, 403, 403),
    ),

    # The panel's comments: any panel member, while the panel may change the report (a draft, or challenged). The
    # central teams read them on their pages but do not post; the delivery team never learns they exist.
    "assessor/reports/<row_id:report_id>/comments/": [
        Row(
            "/assessor/reports/{draft}/comments/",
            get=signed_in(405),
            post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/ !", "302 /assessor/reports/{draft}/ !",
                  403, 403, 403),
            data=COMMENT,
        ),
        # Challenged: the delivery team sees the report, but not the panel's comments on it.
        Row(
            "/assessor/reports/{challenged}/comments/",
            get=signed_in(405),
            post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{challenged}/ !",
                  "302 /assessor/reports/{challenged}/ !", 403, 403, 403),
            data=COMMENT,
        ),
        # Submitted: the panel's late comment is shown again with their text and why it was not saved.
        Row(
            "/assessor/reports/{submitted}/comments/",
            get=signed_in(405),
            post=(SIGN_IN, 404, 404, 404, 200, 200, 403, 403, 403),
            data=COMMENT,
        ),
    ],
    "assessor/reports/<row_id:report_id>/comments/points/<row_id:number>/": Row(
        "/assessor/reports/{draft}/comments/points/6/",
        get=signed_in(405),
        post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/points/6/ !",
              "302 /assessor/reports/{draft}/points/6/ !", 403, 403, 403),
        data=COMMENT,
    ),
    "assessor/reports/<row_id:report_id>/comments/<row_id:comment_id>/reply/": Row(
        "/assessor/reports/{draft}/comments/{comment}/reply/",
        get=signed_in(405),
        post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/points/6/ !",
              "302 /assessor/reports/{draft}/points/6/ !", 403, 403, 403),
        data=COMMENT,
    ),
    "assessor/reports/<row_id:report_id>/comments/<row_id:comment_id>/resolve/": [
        Row(
            "/assessor/reports/{draft}/comments/{comment}/resolve/",
            get=signed_in(405),
            post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{draft}/points/6/ !",
                  "302 /assessor/reports/{draft}/points/6/ !", 403, 403, 403),
        ),
        Row(
            "/assessor/reports/{challenged}/comments/{challenged_comment}/resolve/",
            get=signed_in(405),
            post=(SIGN_IN, 404, 404, 404, "302 /assessor/reports/{challenged}/points/6/ !",
                  "302 /assessor/reports/{challenged}/points/6/ !", 403, 403, 403),
        ),
    ],

    # The delivery team's pages: its reports once shared; the product and delivery managers accept or challenge.
    "team/": Row("/team/", get=(SIGN_IN, 200, 200, 403, 403, 403, 403, 403, 403)),
    "team/reports/<row_id:report_id>/": [
        Row("/team/reports/{shared}/", get=(SIGN_IN, 404, 200, 404, 403, 403, 403, 403, 403)),
        # Not shared yet: the delivery team does not know it exists.
        Row("/team/reports/{submitted}/", get=(SIGN_IN, 404, 404, 404, 403, 403, 403, 403, 403)),
    ],
    "team/reports/<row_id:report_id>/accept/": [
        Row(
            "/team/reports/{shared}/accept/",
            get=(SIGN_IN, 404, 200, 404, 403, 403, 403, 403, 403),
            post=(SIGN_IN, 404, "302 /team/reports/{shared}/ !", 404, 403, 403, 403, 403, 403),
        ),
        # Already accepted and published: told why, and nothing happens.
        Row(
            "/team/reports/{published}/accept/",
            get=(SIGN_IN, 404, "302 /team/reports/{published}/", 404, 403, 403, 403, 403, 403),
            post=(SIGN_IN, 404, "302 /team/reports/{published}/", 404, 403, 403, 403, 403, 403),
        ),
    ],
    "team/reports/<row_id:report_id>/challenge/": Row(
        "/team/reports/{shared}/challenge/",
        get=(SIGN_IN, 404, 200, 404, 403, 403, 403, 403, 403),
        post=(SIGN_IN, 404, "302 /team/reports/{shared}/ !", 404, 403, 403, 403, 403, 403),
        data={"reasons": "We disagree with point 6."},
    ),
    # Questions about a shared report: its product or delivery manager asks, the service assessment team answers.
    # Everyone else: not found, as for every page of the conversation around a report.
    "team/reports/<row_id:report_id>/question/": [
        Row(
            "/team/reports/{shared}/question/",
            get=(SIGN_IN, 404, 200, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, "302 /team/reports/{shared}/ !", 404, 404, 404, 404, 404, 404),
            data=QUESTION,
        ),
        # Accepted and published: too late to ask; told why, with the text kept, and nothing saved.
        Row(
            "/team/reports/{published}/question/",
            get=(SIGN_IN, 404, "302 /team/reports/{published}/", 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, 200, 404, 404, 404, 404, 404, 404),
            data=QUESTION,
        ),
    ],
    "assessment-team/reports/<row_id:report_id>/questions/<row_id:question_id>/answer/": Row(
        "/assessment-team/reports/{shared}/questions/{question}/answer/",
        get=signed_in(405),
        post=(SIGN_IN, 404, 404, 404, 404, 404, "302 /assessment-team/reports/{shared}/ !", 404,
              "302 /assessment-team/reports/{shared}/ !"),
        data={"answer": "The panel wants a usability test."},
    ),

    # The service assessment team's pages: check, share, return.
    "assessment-team/": Row("/assessment-team/", get=(SIGN_IN, 403, 403, 403, 403, 403, 200, 403, 200)),
    "assessment-team/reports/<row_id:report_id>/": Row(
        "/assessment-team/reports/{submitted}/", get=(SIGN_IN, 404, 404, 404, 403, 403, 200, 403, 200),
    ),
    "assessment-team/reports/<row_id:report_id>/check/": [
        Row(
            "/assessment-team/reports/{submitted}/check/",
            get=signed_in(405),
            post=(SIGN_IN, 404, 404, 404, 403, 403, "302 /assessment-team/reports/{submitted}/ !", 403,
                  "302 /assessment-team/reports/{submitted}/ !"),
        ),
        # Already shared: refused with the reason, nothing changes.
        Row(
            "/assessment-team/reports/{shared}/check/",
            get=signed_in(405),
            post=(SIGN_IN, 404, 403, 404, 403, 403, "302 /assessment-team/reports/{shared}/", 403,
                  "302 /assessment-team/reports/{shared}/"),
        ),
    ],
    "assessment-team/reports/<row_id:report_id>/share/": Row(
        "/assessment-team/reports/{checked}/share/",
        get=signed_in(405),
        post=(SIGN_IN, 404, 404, 404, 403, 403, "302 /assessment-team/reports/{checked}/ !", 403,
              "302 /assessment-team/reports/{checked}/ !"),
    ),
    "assessment-team/reports/<row_id:report_id>/return/": Row(
        "/assessment-team/reports/{submitted}/return/",
        get=(SIGN_IN, 404, 404, 404, 403, 403, 200, 403, 200),
        post=(SIGN_IN, 404, 404, 404, 403, 403, "302 /assessment-team/reports/{submitted}/ !", 403,
              "302 /assessment-team/reports/{submitted}/ !"),
        data={"comment": "Point 6 needs more evidence."},
    ),

    # Follow-up support, once the delivery team has accepted: the team asks; the lead assessor (on the assessor's
    # pages) and the service assessment team (on theirs) record the outcome. Anyone else: not found.
    "team/reports/<row_id:report_id>/follow-up/": [
        Row(
            "/team/reports/{published}/follow-up/",
            get=(SIGN_IN, 404, 200, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, "302 /team/reports/{published}/ !", 404, 404, 404, 404, 404, 404),
            data=FOLLOW_UP,
        ),
        # Shared, not accepted yet: the page does not exist for anyone.
        Row(
            "/team/reports/{shared}/follow-up/",
            get=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            data=FOLLOW_UP,
        ),
    ],
    "assessor/reports/<row_id:report_id>/follow-ups/<row_id:follow_up_id>/": Row(
        "/assessor/reports/{published}/follow-ups/{follow_up}/",
        get=(SIGN_IN, 404, 404, 404, 404, 200, 404, 404, 404),
        post=(SIGN_IN, 404, 404, 404, 404, "302 /assessor/reports/{published}/ !", 404, 404, 404),
        data=FOLLOW_UP_OUTCOME,
    ),
    "assessment-team/reports/<row_id:report_id>/follow-ups/<row_id:follow_up_id>/": Row(
        "/assessment-team/reports/{published}/follow-ups/{follow_up}/",
        get=(SIGN_IN, 404, 404, 404, 404, 404, 200, 404, 200),
        post=(SIGN_IN, 404, 404, 404, 404, 404, "302 /assessment-team/reports/{published}/ !", 404,
              "302 /assessment-team/reports/{published}/ !"),
        data=FOLLOW_UP_OUTCOME,
    ),
    # The delivery team's actions once it has accepted: the product or delivery manager records progress and asks for
    # a review; the lead assessor (on the assessor's pages) and the service assessment team (on theirs) review.
    # Anyone else, and everyone before the report is accepted: not found.
    "team/reports/<row_id:report_id>/actions/<row_id:action_id>/": [
        Row(
            "/team/reports/{published}/actions/{published_action}/",
            get=(SIGN_IN, 404, 200, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, "302 /team/reports/{published}/ !", 404, 404, 404, 404, 404, 404),
            data=ACTION_PROGRESS,
        ),
        # Waiting for its review: the page says so, and a post is refused with the text kept.
        Row(
            "/team/reports/{published}/actions/{ready_action}/",
            get=(SIGN_IN, 404, 200, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, 200, 404, 404, 404, 404, 404, 404),
            data=ACTION_PROGRESS,
        ),
        Row(
            "/team/reports/{shared}/actions/{shared_action}/",
            get=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            data=ACTION_PROGRESS,
        ),
        # Another report's action, by this report's address.
        Row(
            "/team/reports/{published}/actions/{shared_action}/",
            get=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            data=ACTION_PROGRESS,
        ),
    ],
    "assessor/reports/<row_id:report_id>/actions/<row_id:action_id>/review/": [
        Row(
            "/assessor/reports/{published}/actions/{ready_action}/review/",
            get=(SIGN_IN, 404, 404, 404, 404, 200, 404, 404, 404),
            post=(SIGN_IN, 404, 404, 404, 404, "302 /assessor/reports/{published}/ !", 404, 404, 404),
            data=ACTION_REVIEW,
        ),
        Row(
            "/assessor/reports/{shared}/actions/{shared_action}/review/",
            get=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            post=(SIGN_IN, 404, 404, 404, 404, 404, 404, 404, 404),
            data=ACTION_REVIEW,
        ),
    ],
    "assessment-team/reports/<row_id:report_id>/actions/<row_id:action_id>/review/": [
        Row(
            "/assessment-team/reports/{published}/actions/{ready_action}/review/",
            get=(SIGN_IN, 404, 404, 404, 404, 404, 200, 404, 200),
            post=(SIGN_IN, 404, 404, 404, 404, 404, "302 /assessment-team/reports/{published}/ !", 404,
                  "302 /assessment-team/reports/{published}/ !"),
            data=ACTION_REVIEW,
        ),
        # Not waiting for review: the page says so, and a review is refused with what was typed kept.
        Row(
            "/assessment-team/reports/{published}/actions/{published_action}/review/",
            get=(SIGN_IN, 404, 404, 404, 404, 404, 200, 404, 200),
            post=(SIGN_IN, 404, 404, 404, 404, 404, 200, 404, 200),
            data=ACTION_REVIEW,
        ),
    ],
    # After publishing: the service assessment team corrects or withdraws a published report; to anyone else, not found.
    "assessment-team/reports/<row_id:report_id>/correct/": Row(
        "/assessment-team/reports/{published}/correct/",
        get=(SIGN_IN, 404, 404, 404, 404, 404, 200, 404, 200),
        post=(SIGN_IN, 404, 404, 404, 404, 404, "302 /assessment-team/reports/{published}/ !", 404,
              "302 /assessment-team/reports/{published}/ !"),
        data="correction",
    ),
    "assessment-team/reports/<row_id:report_id>/withdraw/": Row(
        "/assessment-team/reports/{published}/withdraw/",
        get=(SIGN_IN, 404, 404, 404, 404, 404, 200, 404, 200),
        post=(SIGN_IN, 404, 404, 404, 404, 404, "302 /assessment-team/reports/{published}/ !", 404,
              "302 /assessment-team/reports/{published}/ !"),
        data={"reason": "The report named the wrong service."},
    ),

    # The Service Assessment Plus team: challenged reports, and the changes agreed.
    "plus/": Row("/plus/", get=(SIGN_IN, 403, 403, 403, 403, 403, 403, 200, 200)),
    "plus/reports/<row_id:report_id>/": Row(
        "/plus/reports/{challenged}/",
        get=(SIGN_IN, 404, 403, 404, 403, 403, 403, 200, 200),
        post=(SIGN_IN, 404, 403, 404, 403, 403, 403, "302 /plus/ !", "302 /plus/ !"),
        data={"outcome": "The panel keeps its ratings.", "agreed_changes": "Point 6 is amber, as the panel said."},
    ),
    "plus/reports/<row_id:report_id>/meeting/": Row(
        "/plus/reports/{challenged}/meeting/",
        get=(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 200),
        post=(SIGN_IN, 404, 404, 404, 404, 404, 404, "302 /plus/reports/{challenged}/ !",
              "302 /plus/reports/{challenged}/ !"),
        data=MEETING,
    ),

    # Booking an assessment: delivery teams only, for their own services.
    "bookings/": Row("/bookings/", get=(SIGN_IN, 200, 200, 403, 403, 403, 403, 403, 403)),
    "bookings/new/": Row(
        "/bookings/new/",
        get=(SIGN_IN, 200, 200, 403, 403, 403, 403, 403, 403),
        # The service already has a request waiting; another service's manager cannot choose it.
        post=(SIGN_IN, 200, 200, 403, 403, 403, 403, 403, 403),
        data=BOOKING,
    ),

    # The service's record: its delivery team, anyone on a panel of any of its assessments, the central teams.
    "services/<row_id:service_id>/": Row(
        "/services/{service}/",
        get=(SIGN_IN, 404, 200, 404, 200, 200, 200, 200, 200),
        post=(SIGN_IN, *(405,) * 8),
        data={},
    ),

    # GOV.UK Notify's delivery receipts: the bearer token, not a session, is what counts.
    "notify/callback/": Row("/notify/callback/", get=everyone(405), post=everyone(401), data=RECEIPT),

    # What the public reads.
    "reports/export.csv": Row("/reports/export.csv", get=everyone(200)),
    "reports/export.json": Row("/reports/export.json", get=everyone(200)),
    "reports/feed/": Row("/reports/feed/", get=everyone(200)),
    "sitemap.xml": Row("/sitemap.xml", get=everyone(200)),
    "sitemap-<section>.xml": [
        Row("/sitemap-pages.xml", get=everyone(200)),
        Row("/sitemap-other.xml", get=everyone(404)),
    ],
    "robots.txt": Row("/robots.txt", get=everyone(200)),
    "api/v2/pages/": Row("/api/v2/pages/", get=everyone(200)),
    "api/v2/pages/<int:pk>/": [
        Row("/api/v2/pages/{published}/", get=everyone(200)),
        # Not published: not in the API, whoever asks.
        Row("/api/v2/pages/{shared}/", get=everyone(404)),
    ],
    "api/v2/pages/find/": Row(
        "/api/v2/pages/find/?html_path=/reports/{published_slug}/", get=everyone("302 /api/v2/pages/{published}/"),
    ),
    r"^reports/(?P<slug>[\w\-]+)/$": [
        Row("/reports/{published_slug}/", get=everyone(200)),
        Row("/reports/{shared_slug}/", get=everyone(404)),
        Row("/reports/{draft_slug}/", get=everyone(404)),
    ],
    r"^(reports/(?:[\w\-]+/)*)$": Row("/reports/", get=everyone(200)),
    "documents/(\\d+)/(.*)$": Row("/documents/{document}/{document_file}", get=everyone(200)),
    "documents/authenticate_with_password/<int:restriction_id>/": Row(
        "/documents/authenticate_with_password/{restriction}/?next=/", get=everyone(200),
        post=everyone(200), data={"password": "not-the-password", "return_url": "/"},
    ),

    # Pages Wagtail serves (found through cms.routing): the feedback survey answers only to its one-time link.
    r"^(?!_util/)((?:[\w\-]+/)*)$": [
        Row("/", get=everyone(200)),
        Row("/assessment-feedback/", get=everyone(404), post=everyone(404), data="survey_answers_without_token"),
        # The link is the credential: whoever holds it answers, once.
        Row("/assessment-feedback/?token={invitation_token}", get=everyone(200), post=everyone("200 !"),
            data="survey_answers"),
    ],

    # The Wagtail admin: its home and sign-in, and the project's own views in it.
    "admin/": Row("/admin/", get=admin(200, 200, 200)),
    "admin/login/": Row("/admin/login/", get=(*everyone(200)[:6], "302 /admin/", "302 /admin/", "302 /admin/")),
    "admin/audit/": Row("/admin/audit/", get=admin(200, 200, 200)),
    "admin/insights/": [
        Row("/admin/insights/", get=admin(200, 200, 200)),
        Row("/admin/insights/?csv=points", get=admin(200, 200, 200)),
        # What followed the reports (issue 16): the same page's further tables, as CSV.
        Row("/admin/insights/?csv=open_by_point", get=admin(200, 200, 200)),
        Row("/admin/insights/?csv=open_by_department", get=admin(200, 200, 200)),
        Row("/admin/insights/?csv=closing", get=admin(200, 200, 200)),
        Row("/admin/insights/?csv=reassessments", get=admin(200, 200, 200)),
    ],
    # The project's settings: the Notify template ids, the report form's help texts and the policy figures, which only
    # the service assessment team (and superusers) may change.
    "admin/settings/<slug:app_name>/<slug:model_name>/": [
        Row("/admin/settings/notify/notifytemplates/",
            get=admin(*("302 /admin/settings/notify/notifytemplates/{notify_templates}/",) * 3)),
        Row("/admin/settings/workflow/reportformhelptexts/",
            get=admin(*("302 /admin/settings/workflow/reportformhelptexts/{help_texts}/",) * 3)),
        # The index only points at the one instance; the instance's page is what refuses.
        Row("/admin/settings/workflow/policyfigures/", get=admin(*(POLICY_FIGURES,) * 3)),
    ],
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": [
        # Blank values are allowed (blank template ids fall back to the defaults), so an empty form saves.
        Row("/admin/settings/notify/notifytemplates/{notify_templates}/", get=admin(200, NO, 200),
            post=admin(NOTIFY_TEMPLATES, NO, NOTIFY_TEMPLATES), data={}),
        Row("/admin/settings/workflow/reportformhelptexts/{help_texts}/", get=admin(200, NO, 200),
            post=admin(HELP_TEXTS, NO, HELP_TEXTS), data={}),
        Row("/admin/settings/workflow/policyfigures/{policy_figures}/", get=admin(200, NO, 200),
            post=admin(POLICY_FIGURES, NO, POLICY_FIGURES), data=FIGURES),
        # A changed figure is saved only for them.
        Row("/admin/settings/workflow/policyfigures/{policy_figures}/", get=admin(200, NO, 200),
            post=admin(f"{POLICY_FIGURES} !", NO, f"{POLICY_FIGURES} !"), data={**FIGURES, "share_within_days": "30"}),
    ],
    # The feedback survey's answers.
    "admin/forms/submissions/<int:page_id>/": Row("/admin/forms/submissions/{survey}/", get=admin(200, NO, 200)),
    # The page editor never changes a report: only the report form and the transitions do.
    "admin/pages/<int:page_id>/edit/": Row(
        "/admin/pages/{draft}/edit/", get=admin(NO, NO, NO), post=admin(NO, NO, NO), data={"title": "Changed"},
    ),
    "admin/pages/<int:page_id>/unpublish/": Row(
        "/admin/pages/{published}/unpublish/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
    ),
    "admin/pages/<int:page_id>/delete/": Row(
        "/admin/pages/{published}/delete/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
    ),
    "admin/pages/<int:page_id>/copy/": Row(
        "/admin/pages/{published}/copy/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
    ),
    "admin/pages/<int:page_to_move_id>/move/": Row("/admin/pages/{published}/move/", get=admin(NO, NO, NO)),

    # Reports: read-only lists and inspect view; transitions through the transition service only.
    "admin/assessment-reports/": Row("/admin/assessment-reports/", get=admin(200, 200, 200)),
    "admin/assessment-reports/results/": Row("/admin/assessment-reports/results/", get=admin(200, 200, 200)),
    "admin/assessment-reports/new/": Row(
        "/admin/assessment-reports/new/", get=admin(NO, NO, NO), post=admin(NO, NO, NO), data={"title": "New"},
    ),
    "admin/assessment-reports/edit/<str:pk>/": Row(
        "/admin/assessment-reports/edit/{submitted}/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
        data={"title": "Changed"},
    ),
    "admin/assessment-reports/delete/<str:pk>/": Row(
        "/admin/assessment-reports/delete/{submitted}/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
    ),
    # Wagtail's page permissions decide these: the team may edit pages, so it sees a page's history.
    "admin/assessment-reports/history/<str:pk>/": Row(
        "/admin/assessment-reports/history/{submitted}/", get=admin(200, NO, 200),
    ),
    "admin/assessment-reports/history-results/<str:pk>/": Row(
        "/admin/assessment-reports/history-results/{submitted}/", get=admin(200, NO, 200),
    ),
    "admin/assessment-reports/usage/<str:pk>/": Row(
        "/admin/assessment-reports/usage/{submitted}/", get=admin(200, NO, 200),
    ),
    "admin/assessment-reports/inspect/<str:pk>/": Row(
        "/admin/assessment-reports/inspect/{submitted}/", get=admin(200, 200, 200),
    ),
    # Each transition is the transition service's to allow: whoever may not make it is told so, and nothing changes.
    "admin/assessment-reports/transition/<int:pk>/<slug:name>/": [
        Row(
            "/admin/assessment-reports/transition/{submitted}/check/",
            get=admin(405, 405, 405),
            post=admin("302 /admin/assessment-reports/inspect/{submitted}/ !",
                       "302 /admin/assessment-reports/inspect/{submitted}/",
                       "302 /admin/assessment-reports/inspect/{submitted}/ !"),
        ),
        Row(
            # Resolving records what was decided, which the Plus team's own page asks for: the admin sends people there.
            "/admin/assessment-reports/transition/{challenged}/resolve/",
            get=admin(405, 405, 405),
            post=admin("302 /admin/assessment-reports/inspect/{challenged}/",
                       "302 /admin/assessment-reports/inspect/{challenged}/",
                       "302 /admin/assessment-reports/inspect/{challenged}/"),
            data={"comment": "Agreed with the panel: point 6 stays amber."},
        ),
        # Only the delivery team accepts its report.
        Row(
            "/admin/assessment-reports/transition/{shared}/accept/",
            get=admin(405, 405, 405),
            post=admin(*("302 /admin/assessment-reports/inspect/{shared}/",) * 3),
        ),
    ],

    # Assessments, services, departments, panels, delivery teams: the team edits, the Plus team reads.
    "admin/assessments/": Row("/admin/assessments/", get=admin(200, 200, 200)),
    "admin/assessments/results/": Row("/admin/assessments/results/", get=admin(200, 200, 200)),
    "admin/assessments/new/": Row(
        "/admin/assessments/new/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/assessments/edit/<int:pk>/": Row(
        "/admin/assessments/edit/{fresh}/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/assessments/delete/<int:pk>/": Row(
        "/admin/assessments/delete/{fresh}/", get=admin(200, NO, 200),
        post=admin("302 /admin/assessments/ !", NO, "302 /admin/assessments/ !"),
    ),
    "admin/assessments/history/<int:pk>/": Row("/admin/assessments/history/{fresh}/", get=admin(200, NO, 200)),
    "admin/assessments/history-results/<int:pk>/": Row(
        "/admin/assessments/history-results/{fresh}/", get=admin(200, NO, 200),
    ),
    "admin/assessments/usage/<int:pk>/": Row("/admin/assessments/usage/{fresh}/", get=admin(200, NO, 200)),
    "admin/assessments/inspect/<int:pk>/": Row("/admin/assessments/inspect/{fresh}/", get=admin(200, 200, 200)),

    "admin/services/": Row("/admin/services/", get=admin(200, 200, 200)),
    "admin/services/results/": Row("/admin/services/results/", get=admin(200, 200, 200)),
    "admin/services/new/": Row("/admin/services/new/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={}),
    "admin/services/edit/<int:pk>/": Row(
        "/admin/services/edit/{service}/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    # A service with assessments cannot be deleted.
    "admin/services/delete/<int:pk>/": Row(
        "/admin/services/delete/{service}/", get=admin(200, NO, 200), post=admin(NO, NO, NO),
    ),
    "admin/services/history/<int:pk>/": Row("/admin/services/history/{service}/", get=admin(200, NO, 200)),
    "admin/services/history-results/<int:pk>/": Row(
        "/admin/services/history-results/{service}/", get=admin(200, NO, 200),
    ),
    "admin/services/usage/<int:pk>/": Row("/admin/services/usage/{service}/", get=admin(200, NO, 200)),
    "admin/services/inspect/<int:pk>/": Row("/admin/services/inspect/{service}/", get=admin(200, 200, 200)),

    "admin/departments/": Row("/admin/departments/", get=admin(200, 200, 200)),
    "admin/departments/results/": Row("/admin/departments/results/", get=admin(200, 200, 200)),
    "admin/departments/new/": Row(
        "/admin/departments/new/", get=admin(200, NO, 200),
        post=admin("302 /admin/departments/ !", NO, "302 /admin/departments/ !"), data=DEPARTMENT,
    ),
    "admin/departments/edit/<int:pk>/": Row(
        "/admin/departments/edit/{department}/", get=admin(200, NO, 200),
        post=admin("302 /admin/departments/ !", NO, "302 /admin/departments/ !"), data=DEPARTMENT,
    ),
    # A department with services cannot be deleted: refused, however its services were saved.
    "admin/departments/delete/<int:pk>/": [
        Row("/admin/departments/delete/{department}/", get=admin(200, NO, 200), post=admin(NO, NO, NO)),
        # Saved outside the admin, so only the database knows it is protected: refused with a message.
        Row(
            "/admin/departments/delete/{seeded_department}/", get=admin(200, NO, 200),
            post=admin("302 /admin/departments/", NO, "302 /admin/departments/"),
        ),
    ],
    "admin/departments/history/<int:pk>/": Row("/admin/departments/history/{department}/", get=admin(200, NO, 200)),
    "admin/departments/history-results/<int:pk>/": Row(
        "/admin/departments/history-results/{department}/", get=admin(200, NO, 200),
    ),
    "admin/departments/usage/<int:pk>/": Row("/admin/departments/usage/{department}/", get=admin(200, NO, 200)),
    "admin/departments/inspect/<int:pk>/": Row(
        "/admin/departments/inspect/{department}/", get=admin(200, 200, 200),
    ),

    "admin/panel_members/": Row("/admin/panel_members/", get=admin(200, 200, 200)),
    "admin/panel_members/results/": Row("/admin/panel_members/results/", get=admin(200, 200, 200)),
    "admin/panel_members/new/": Row(
        "/admin/panel_members/new/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/panel_members/edit/<int:pk>/": Row(
        "/admin/panel_members/edit/{panel_member}/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/panel_members/delete/<int:pk>/": Row(
        "/admin/panel_members/delete/{panel_member}/", get=admin(200, NO, 200),
        post=admin("302 /admin/panel_members/ !", NO, "302 /admin/panel_members/ !"),
    ),
    "admin/panel_members/history/<int:pk>/": Row(
        "/admin/panel_members/history/{panel_member}/", get=admin(200, NO, 200),
    ),
    "admin/panel_members/history-results/<int:pk>/": Row(
        "/admin/panel_members/history-results/{panel_member}/", get=admin(200, NO, 200),
    ),
    "admin/panel_members/usage/<int:pk>/": Row("/admin/panel_members/usage/{panel_member}/", get=admin(200, NO, 200)),
    "admin/panel_members/inspect/<int:pk>/": Row(
        "/admin/panel_members/inspect/{panel_member}/", get=admin(200, 200, 200),
    ),

    "admin/delivery_team_members/": Row("/admin/delivery_team_members/", get=admin(200, 200, 200)),
    "admin/delivery_team_members/results/": Row("/admin/delivery_team_members/results/", get=admin(200, 200, 200)),
    "admin/delivery_team_members/new/": Row(
        "/admin/delivery_team_members/new/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/delivery_team_members/edit/<int:pk>/": Row(
        "/admin/delivery_team_members/edit/{delivery_team_member}/", get=admin(200, NO, 200), post=admin(200, NO, 200),
        data={},
    ),
    "admin/delivery_team_members/delete/<int:pk>/": Row(
        "/admin/delivery_team_members/delete/{delivery_team_member}/", get=admin(200, NO, 200),
        post=admin("302 /admin/delivery_team_members/ !", NO, "302 /admin/delivery_team_members/ !"),
    ),
    "admin/delivery_team_members/history/<int:pk>/": Row(
        "/admin/delivery_team_members/history/{delivery_team_member}/", get=admin(200, NO, 200),
    ),
    "admin/delivery_team_members/history-results/<int:pk>/": Row(
        "/admin/delivery_team_members/history-results/{delivery_team_member}/", get=admin(200, NO, 200),
    ),
    "admin/delivery_team_members/usage/<int:pk>/": Row(
        "/admin/delivery_team_members/usage/{delivery_team_member}/", get=admin(200, NO, 200),
    ),
    "admin/delivery_team_members/inspect/<int:pk>/": Row(
        "/admin/delivery_team_members/inspect/{delivery_team_member}/", get=admin(200, 200, 200),
    ),

    # Actions: added in the report form only; the team follows them up here.
    "admin/report_actions/": Row("/admin/report_actions/", get=admin(200, 200, 200)),
    "admin/report_actions/results/": Row("/admin/report_actions/results/", get=admin(200, 200, 200)),
    "admin/report_actions/new/": Row(
        "/admin/report_actions/new/", get=admin(NO, NO, NO), post=admin(NO, NO, NO), data=NEW_ACTION,
    ),
    "admin/report_actions/edit/<int:pk>/": Row(
        "/admin/report_actions/edit/{action}/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/report_actions/delete/<int:pk>/": Row(
        "/admin/report_actions/delete/{action}/", get=admin(200, NO, 200),
        post=admin("302 /admin/report_actions/ !", NO, "302 /admin/report_actions/ !"),
    ),
    "admin/report_actions/history/<int:pk>/": Row("/admin/report_actions/history/{action}/", get=admin(200, NO, 200)),
    "admin/report_actions/history-results/<int:pk>/": Row(
        "/admin/report_actions/history-results/{action}/", get=admin(200, NO, 200),
    ),
    "admin/report_actions/usage/<int:pk>/": Row("/admin/report_actions/usage/{action}/", get=admin(200, NO, 200)),
    "admin/report_actions/inspect/<int:pk>/": Row(
        "/admin/report_actions/inspect/{action}/", get=admin(200, 200, 200),
    ),

    # Booking requests: answered through the decide view and the booking service only.
    "admin/bookings/": Row("/admin/bookings/", get=admin(200, 200, 200)),
    "admin/bookings/results/": Row("/admin/bookings/results/", get=admin(200, 200, 200)),
    "admin/bookings/new/": Row("/admin/bookings/new/", get=admin(NO, NO, NO), post=admin(NO, NO, NO), data={}),
    # The decide view checks the permission.
    "admin/bookings/edit/<int:pk>/": Row(
        "/admin/bookings/edit/{booking}/",
        get=admin(*("302 /admin/bookings/decide/{booking}/",) * 3),
        post=admin(*("302 /admin/bookings/decide/{booking}/",) * 3),
        data={"notes": "Changed."},
    ),
    # Superusers have every model permission.
    "admin/bookings/delete/<int:pk>/": Row(
        "/admin/bookings/delete/{booking}/", get=admin(NO, NO, 200), post=admin(NO, NO, "302 /admin/bookings/ !"),
    ),
    "admin/bookings/history/<int:pk>/": Row("/admin/bookings/history/{booking}/", get=admin(200, NO, 200)),
    "admin/bookings/history-results/<int:pk>/": Row(
        "/admin/bookings/history-results/{booking}/", get=admin(200, NO, 200),
    ),
    "admin/bookings/usage/<int:pk>/": Row("/admin/bookings/usage/{booking}/", get=admin(200, NO, 200)),
    "admin/bookings/inspect/<int:pk>/": Row("/admin/bookings/inspect/{booking}/", get=admin(200, 200, 200)),
    "admin/bookings/decide/<int:pk>/": Row(
        "/admin/bookings/decide/{booking}/",
        get=admin(200, NO, 200),
        post=admin("302 /admin/bookings/inspect/{booking}/ !", NO, "302 /admin/bookings/inspect/{booking}/ !"),
        data={"decision": "reject", "reason": "No panel is free that month."},
    ),

    # Feedback requests: read-only, and only for the service assessment team.
    "admin/feedback_invitations/": Row("/admin/feedback_invitations/", get=admin(200, NO, 200)),
    "admin/feedback_invitations/results/": Row("/admin/feedback_invitations/results/", get=admin(200, NO, 200)),
    "admin/feedback_invitations/new/": Row(
        "/admin/feedback_invitations/new/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
        data={"email": "someone@example.gov.uk"},
    ),
    "admin/feedback_invitations/edit/<int:pk>/": Row(
        "/admin/feedback_invitations/edit/{invitation}/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
        data={"email": "someone@example.gov.uk"},
    ),
    "admin/feedback_invitations/delete/<int:pk>/": Row(
        "/admin/feedback_invitations/delete/{invitation}/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
    ),
    "admin/feedback_invitations/history/<int:pk>/": Row(
        "/admin/feedback_invitations/history/{invitation}/", get=admin(NO, NO, NO),
    ),
    "admin/feedback_invitations/history-results/<int:pk>/": Row(
        "/admin/feedback_invitations/history-results/{invitation}/", get=admin(NO, NO, NO),
    ),
    "admin/feedback_invitations/usage/<int:pk>/": Row(
        "/admin/feedback_invitations/usage/{invitation}/", get=admin(NO, NO, NO),
    ),

    # The email outbox: written by the service only; the team reads it and resends failed emails.
    "admin/outbox/": Row("/admin/outbox/", get=admin(200, NO, 200)),
    "admin/outbox/results/": Row("/admin/outbox/results/", get=admin(200, NO, 200)),
    "admin/outbox/new/": Row("/admin/outbox/new/", get=admin(NO, NO, NO), post=admin(NO, NO, NO), data={}),
    "admin/outbox/edit/<uuid:pk>/": Row(
        "/admin/outbox/edit/{outbox}/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
        data={"email_address": "someone@example.gov.uk"},
    ),
    "admin/outbox/delete/<uuid:pk>/": Row(
        "/admin/outbox/delete/{outbox}/", get=admin(NO, NO, NO), post=admin(NO, NO, NO),
    ),
    "admin/outbox/history/<uuid:pk>/": Row("/admin/outbox/history/{outbox}/", get=admin(NO, NO, NO)),
    "admin/outbox/history-results/<uuid:pk>/": Row("/admin/outbox/history-results/{outbox}/", get=admin(NO, NO, NO)),
    "admin/outbox/usage/<uuid:pk>/": Row("/admin/outbox/usage/{outbox}/", get=admin(NO, NO, NO)),
    "admin/outbox/inspect/<uuid:pk>/": Row("/admin/outbox/inspect/{outbox}/", get=admin(200, NO, 200)),
    "admin/outbox/resend/<uuid:pk>/": Row(
        "/admin/outbox/resend/{outbox}/",
        get=admin(200, NO, 200),
        post=admin("302 /admin/outbox/inspect/* !", NO, "302 /admin/outbox/inspect/* !"),
    ),

    # Standards (with their points) and assessment types: the team adds and edits (never deletes: assessments and
    # reports name them), the Plus team reads. A superuser's delete is refused while anything uses them.
    "admin/snippets/cms/servicestandard/": Row("/admin/snippets/cms/servicestandard/", get=admin(200, 200, 200)),
    "admin/snippets/cms/servicestandard/results/": Row("/admin/snippets/cms/servicestandard/results/", get=admin(200, 200, 200)),
    "admin/snippets/cms/servicestandard/add/": Row("/admin/snippets/cms/servicestandard/add/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={}),
    "admin/snippets/cms/servicestandard/edit/<int:pk>/": Row(
        "/admin/snippets/cms/servicestandard/edit/{standard}/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/snippets/cms/servicestandard/delete/<int:pk>/": Row(
        "/admin/snippets/cms/servicestandard/delete/{standard}/", get=admin(NO, NO, 200), post=admin(NO, NO, NO),
    ),
    "admin/snippets/cms/servicestandard/usage/<int:pk>/": Row("/admin/snippets/cms/servicestandard/usage/{standard}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/servicestandard/history/<int:pk>/": Row("/admin/snippets/cms/servicestandard/history/{standard}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/servicestandard/history-results/<int:pk>/": Row("/admin/snippets/cms/servicestandard/history-results/{standard}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/servicestandard/copy/<int:pk>/": Row("/admin/snippets/cms/servicestandard/copy/{standard}/", get=admin(200, NO, 200)),
    "admin/snippets/choose/cms/servicestandard/": Row("/admin/snippets/choose/cms/servicestandard/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/servicestandard/results/": Row("/admin/snippets/choose/cms/servicestandard/results/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/servicestandard/chosen/<str:pk>/": Row("/admin/snippets/choose/cms/servicestandard/chosen/{standard}/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/servicestandard/chosen-multiple/": Row("/admin/snippets/choose/cms/servicestandard/chosen-multiple/?id={standard}", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/servicestandard/create/": Row("/admin/snippets/choose/cms/servicestandard/create/", get=admin(404, NO, 404), post=admin(404, NO, 404), data={}),
    "admin/snippets/cms/assessmenttype/": Row("/admin/snippets/cms/assessmenttype/", get=admin(200, 200, 200)),
    "admin/snippets/cms/assessmenttype/results/": Row("/admin/snippets/cms/assessmenttype/results/", get=admin(200, 200, 200)),
    "admin/snippets/cms/assessmenttype/add/": Row("/admin/snippets/cms/assessmenttype/add/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={}),
    "admin/snippets/cms/assessmenttype/edit/<int:pk>/": Row(
        "/admin/snippets/cms/assessmenttype/edit/{assessment_type}/", get=admin(200, NO, 200), post=admin(200, NO, 200), data={},
    ),
    "admin/snippets/cms/assessmenttype/delete/<int:pk>/": Row(
        "/admin/snippets/cms/assessmenttype/delete/{assessment_type}/", get=admin(NO, NO, 200),
        post=admin(NO, NO, "302 /admin/snippets/cms/assessmenttype/ !"),
    ),
    "admin/snippets/cms/assessmenttype/usage/<int:pk>/": Row("/admin/snippets/cms/assessmenttype/usage/{assessment_type}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/assessmenttype/history/<int:pk>/": Row("/admin/snippets/cms/assessmenttype/history/{assessment_type}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/assessmenttype/history-results/<int:pk>/": Row("/admin/snippets/cms/assessmenttype/history-results/{assessment_type}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/assessmenttype/copy/<int:pk>/": Row("/admin/snippets/cms/assessmenttype/copy/{assessment_type}/", get=admin(200, NO, 200)),
    "admin/snippets/choose/cms/assessmenttype/": Row("/admin/snippets/choose/cms/assessmenttype/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/assessmenttype/results/": Row("/admin/snippets/choose/cms/assessmenttype/results/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/assessmenttype/chosen/<str:pk>/": Row("/admin/snippets/choose/cms/assessmenttype/chosen/{assessment_type}/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/assessmenttype/chosen-multiple/": Row("/admin/snippets/choose/cms/assessmenttype/chosen-multiple/?id={assessment_type}", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/assessmenttype/create/": Row("/admin/snippets/choose/cms/assessmenttype/create/", get=admin(404, NO, 404), post=admin(404, NO, 404), data={}),
    # Report forms: the same. A post without the questions' counts (no editor sends one) is a bad request; a
    # superuser's delete is refused by the database, since the assessment types (written by a migration, so unknown
    # to Wagtail's reference index) use the form, and said back on the list.
    "admin/snippets/cms/reportform/": Row("/admin/snippets/cms/reportform/", get=admin(200, 200, 200)),
    "admin/snippets/cms/reportform/results/": Row("/admin/snippets/cms/reportform/results/", get=admin(200, 200, 200)),
    "admin/snippets/cms/reportform/add/": Row("/admin/snippets/cms/reportform/add/", get=admin(200, NO, 200), post=admin(400, NO, 400), data={}),
    "admin/snippets/cms/reportform/edit/<int:pk>/": Row(
        "/admin/snippets/cms/reportform/edit/{report_form}/", get=admin(200, NO, 200), post=admin(400, NO, 400), data={},
    ),
    "admin/snippets/cms/reportform/delete/<int:pk>/": Row(
        "/admin/snippets/cms/reportform/delete/{report_form}/", get=admin(NO, NO, 200),
        post=admin(NO, NO, "302 /admin/snippets/cms/reportform/"),
    ),
    "admin/snippets/cms/reportform/usage/<int:pk>/": Row("/admin/snippets/cms/reportform/usage/{report_form}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/reportform/history/<int:pk>/": Row("/admin/snippets/cms/reportform/history/{report_form}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/reportform/history-results/<int:pk>/": Row("/admin/snippets/cms/reportform/history-results/{report_form}/", get=admin(200, NO, 200)),
    "admin/snippets/cms/reportform/copy/<int:pk>/": Row("/admin/snippets/cms/reportform/copy/{report_form}/", get=admin(200, NO, 200)),
    "admin/snippets/choose/cms/reportform/": Row("/admin/snippets/choose/cms/reportform/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/reportform/results/": Row("/admin/snippets/choose/cms/reportform/results/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/reportform/chosen/<str:pk>/": Row("/admin/snippets/choose/cms/reportform/chosen/{report_form}/", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/reportform/chosen-multiple/": Row("/admin/snippets/choose/cms/reportform/chosen-multiple/?id={report_form}", get=admin(200, 200, 200)),
    "admin/snippets/choose/cms/reportform/create/": Row("/admin/snippets/choose/cms/reportform/create/", get=admin(404, NO, 404), post=admin(404, NO, 404), data={}),

    # People. The service assessment team invites and edits the people of the process (never a superuser or a
    # central team member: not found); superusers keep Wagtail's whole user admin, whose form also wants a
    # username, so the team's post leaves a superuser on the form with nothing changed. Nobody but a superuser
    # deletes anyone.
    "admin/users/": Row("/admin/users/", get=admin(200, NO, 200)),
    "admin/users/results/": Row("/admin/users/results/", get=admin(200, NO, 200)),
    "admin/users/new/": Row(
        "/admin/users/new/", get=admin(200, NO, 200),
        post=admin("302 /admin/users/ !", NO, 200), data=INVITE,
    ),
    "admin/users/edit/<int:pk>/": [
        Row(
            "/admin/users/edit/{person}/", get=admin(200, NO, 200),
            post=admin("302 /admin/users/ !", NO, 200), data="person_form",
        ),
        Row(
            "/admin/users/edit/{superuser_person}/", get=admin(404, NO, 200),
            post=admin(404, NO, 200), data="person_form",
        ),
        Row("/admin/users/edit/{plus_person}/", get=admin(404, NO, 200), post=admin(404, NO, 200), data="person_form"),
    ],
    "admin/users/delete/<int:pk>/": Row(
        "/admin/users/delete/{person}/", get=admin(NO, NO, 200), post=admin(NO, NO, "302 /admin/users/ !"),
    ),
    "admin/users/history/<int:pk>/": [
        Row("/admin/users/history/{person}/", get=admin(200, NO, 200)),
        Row("/admin/users/history/{superuser_person}/", get=admin(404, NO, 200)),
    ],
    "admin/users/history-results/<int:pk>/": Row(
        "/admin/users/history-results/{superuser_person}/", get=admin(404, NO, 200),
    ),
    "admin/users/usage/<int:pk>/": [
        Row("/admin/users/usage/{person}/", get=admin(200, NO, 200)),
        Row("/admin/users/usage/{superuser_person}/", get=admin(404, NO, 200)),
    ],

    # Signing out of the admin: as /sign-out/, a GET asks to confirm, a POST signs out.
    "admin/logout/": Row("/admin/logout/", get=everyone(200), post=everyone("302 /admin/login/")),

    # The Django admin is for superusers (staff) only.
    "django-admin/": Row("/django-admin/", get=(*(DJANGO_ADMIN_LOGIN,) * 8, 200)),
    "django-admin/login/": Row("/django-admin/login/", get=(*everyone(200)[:8], "302 /django-admin/")),
}
# fmt: on

# Admin pages anyone may open: signing in and resetting a password, and static scripts and icons.
PUBLIC_ADMIN_ROUTES = frozenset(
    {
        "admin/login/",
        "admin/password_reset/",
        "admin/password_reset/done/",
        "admin/password_reset/confirm/<uidb64>/<token>/",
        "admin/password_reset/complete/",
        "admin/logout/",
        "admin/jsi18n/",
        "admin/sprite/",
        "django-admin/login/",
        "django-admin/logout/",
    }
)
