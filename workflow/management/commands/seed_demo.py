"""Demo content for `make run`: a person in every role, services, and reports at every stage a report rests in.

The reports tell one story, dated back from the day the demo is loaded, so that it reads right whenever that is.
Each report is written, submitted, checked, shared, accepted or challenged, and talked over (the panel's comments,
the team's questions, the challenge meeting and its outcome, follow-up requests, a correction), through the same
services the pages call, so its records are the ones the real process writes; only the clock is moved: everything a step stamps
with "now" is then given the day and time the step happened in the story. Running it again changes nothing."""

import contextlib
import datetime
import functools
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from cms.models import AssessmentType
from workflow import deadlines, emails, questions, roles
from workflow.demo.findings import Setting, Written, write
from workflow.models import (
    ActionUpdate,
    Assessment,
    ChallengeMeeting,
    ChallengeOutcome,
    Clarification,
    DeliveryTeamMember,
    DeliveryTeamRole,
    Department,
    FollowUpRequest,
    FollowUpSupport,
    PanelMember,
    PanelRole,
    Phase,
    PointRating,
    Rating,
    ReportAction,
    ReportComment,
    ReportCorrection,
    ReportPage,
    ReportStatusChange,
    RoleChange,
    Service,
)
from workflow.services import challenges, clarifications, comments, corrections, editing, follow_ups, transitions
from workflow.services.actions import action_record_progress, action_review
from workflow.services.reports import report_create
from workflow.transitions import ReportTransition

DEMO_PASSWORD = "demo-password-only-for-local-use"

# (username, first name, last name, group or None for a superuser)
PEOPLE = [
    ("admin", "Ada", "Admin", None),
    ("assessment-team", "Sam", "Okafor", roles.SERVICE_ASSESSMENT_TEAM),
    ("plus", "Priya", "Shah", roles.SERVICE_ASSESSMENT_PLUS_TEAM),
    ("lead", "Lee", "Morgan", roles.ASSESSORS),
    ("researcher", "Rhiannon", "Evans", roles.ASSESSORS),
    ("designer", "Dev", "Patel", roles.ASSESSORS),
    ("technical", "Tom", "Nguyen", roles.ASSESSORS),
    ("observer", "Olu", "Adeyemi", roles.ASSESSORS),
    ("product", "Pat", "Williams", roles.DELIVERY_TEAM_MEMBERS),
    ("delivery", "Dana", "Hughes", roles.DELIVERY_TEAM_MEMBERS),
    ("sro", "Sol", "Roberts", roles.DELIVERY_TEAM_MEMBERS),
]
PANEL = [
    ("lead", PanelRole.LEAD),
    ("researcher", PanelRole.USER_RESEARCH),
    ("designer", PanelRole.DESIGN),
    ("technical", PanelRole.TECHNICAL),
    ("observer", PanelRole.OBSERVER),
]
DELIVERY_TEAM = [
    ("product", DeliveryTeamRole.PRODUCT_MANAGER),
    ("delivery", DeliveryTeamRole.DELIVERY_MANAGER),
    ("sro", DeliveryTeamRole.SRO),
]
# Who on the panel writes up each point; the lead writes the rest and gives the overall rating.
WRITER = {1: "researcher", 2: "researcher", 3: "designer", 4: "designer", 5: "designer"} | {
    number: "technical" for number in (9, 11, 12, 13, 14)
}
# Who makes each transition.
ACTOR = {
    ReportTransition.SUBMIT: "lead",
    ReportTransition.RETURN: "assessment-team",
    ReportTransition.CHECK: "assessment-team",
    ReportTransition.SHARE: "assessment-team",
    ReportTransition.ACCEPT: "product",
    ReportTransition.CHALLENGE: "product",
    ReportTransition.RESOLVE: "plus",
}
# The conversation around a report, each made through its service as the pages make it (Step.name).
COMMENT, REPLY, RESOLVE_COMMENT = "comment", "reply", "resolve comment"
ASK, ANSWER = "ask", "answer"
MEETING, AMEND = "meeting", "amend"
FOLLOW_UP, FOLLOW_UP_ARRANGED = "follow-up", "follow-up arranged"
CORRECT = "correct"


@dataclass(frozen=True)
class DemoService:
    department: str
    name: str
    description: str
    users: str
    setting: Setting


SERVICES = [
    DemoService(
        "Department for Environment, Food and Rural Affairs",
        "Apply for a fishing licence",
        "Lets people buy a rod fishing licence for England online, for a day, 8 days or a year, and get it by email "
        "straight away.",
        "Anglers of all ages, including people entitled to a concession, and Environment Agency licensing and "
        "enforcement officers.",
        Setting(
            who="anglers",
            who_also="Environment Agency licensing officers",
            task="buy a fishing licence",
            offline="buying a licence at a Post Office counter",
            support="the Environment Agency contact centre",
            partner="angling clubs and the Angling Trust",
            legacy="the licensing system the Environment Agency has used since 2012",
            stack="Java and Spring Boot",
            hosting="AWS, through Defra's cloud platform",
            common="GOV.UK Pay and GOV.UK Notify",
            login="GOV.UK One Login",
            measure="the share of licences bought online without a call to the contact centre",
            data="payment details and dates of birth",
            tricky="concessions for disabled anglers",
            pattern="choosing when a licence starts",
            peak="the start of the coarse fishing season on 16 June",
            out_of_scope="sell licences for salmon and sea trout nets",
        ),
    ),
    DemoService(
        "Department for Work and Pensions",
        "Claim Carer's Allowance",
        "Lets people who care for someone for at least 35 hours a week claim Carer's Allowance online.",
        "Carers, often claiming for the first time, the people they care for, and caseworkers in the Carer's "
        "Allowance Unit.",
        Setting(
            who="carers",
            who_also="caseworkers in the Carer's Allowance Unit",
            task="claim Carer's Allowance",
            offline="the paper claim form",
            support="the Carer's Allowance Unit helpline",
            partner="Carers UK and local carers' centres",
            legacy="the DWP benefit payment system",
            stack="Node.js",
            hosting="AWS, through DWP's cloud platform",
            common="GOV.UK Notify and GOV.UK One Login",
            login="GOV.UK One Login",
            measure="the share of claims decided without asking the carer for more information",
            data="health details of the people being cared for",
            tricky="the hours spent caring each week",
            pattern="asking about the person being cared for",
            peak="the week after the earnings limit changes in April",
            out_of_scope="handle changes of circumstances",
        ),
    ),
    DemoService(
        "Driver and Vehicle Standards Agency",
        "Book a driving theory test",
        "Lets learner drivers and riders book, change or cancel a theory test at a test centre near them.",
        "Learner drivers and riders, driving instructors who help their pupils book, and test centre staff.",
        Setting(
            who="learner drivers",
            who_also="test centre staff",
            task="book a theory test",
            offline="booking by phone with the DVSA customer service centre",
            support="the DVSA customer service centre",
            partner="driving instructors and their trade bodies",
            legacy="the test booking system run by the test centre supplier",
            stack=".NET",
            hosting="Azure",
            common="GOV.UK Pay and GOV.UK Notify",
            login="GOV.UK One Login",
            measure="the share of tests booked at the first attempt without a call to the customer service centre",
            data="driving licence numbers and support needs",
            tricky="reasonable adjustments, such as extra time or a reader",
            pattern="choosing a test slot across several centres",
            peak="the release of new test slots every Monday morning",
            out_of_scope="let driving instructors book tests for their pupils",
        ),
    ),
    DemoService(
        "Department for Education",
        "Apply for teacher training",
        "Lets people find and apply for postgraduate teacher training courses in England.",
        "Graduates and career changers who want to teach, and the training providers who choose them.",
        Setting(
            who="candidates",
            who_also="training providers",
            task="apply for teacher training",
            offline="applying with the help of a Get Into Teaching adviser",
            support="Get Into Teaching advisers",
            partner="universities and school-centred providers",
            legacy="the Register trainee teachers service",
            stack="Ruby on Rails",
            hosting="Azure, through DfE's cloud platform",
            common="GOV.UK Notify and DfE Sign-in for providers",
            login="DfE Sign-in",
            measure="the share of candidates who get an offer from their first round of applications",
            data="references and criminal record declarations",
            tricky="whether an overseas degree counts",
            pattern="asking for references",
            peak="the opening of applications each October",
            out_of_scope="let candidates apply to courses in Scotland and Wales",
        ),
    ),
    DemoService(
        "Department for Education",
        "Get help with school costs",
        "Lets parents check whether they can get help with uniform, travel and meals, and apply for it.",
        "Parents and carers on low incomes, and the local authority staff who check eligibility.",
        Setting(
            who="parents and carers",
            who_also="local authority staff who check eligibility",
            task="get help with school costs",
            offline="the paper form from the school office",
            support="school offices and council helplines",
            partner="schools and local councils",
            legacy="the Eligibility Checking System",
            stack="Python and Django",
            hosting="Azure, through DfE's cloud platform",
            common="GOV.UK Notify and GOV.UK Forms",
            login="GOV.UK One Login",
            measure="the share of eligible families who get help with uniform, travel and meals",
            data="families' benefit and income details",
            tricky="who counts as a parent when a child lives in two homes",
            pattern="checking eligibility for several kinds of help at once",
            peak="the weeks before the autumn term starts",
            out_of_scope="pay grants to families directly",
        ),
    ),
    DemoService(
        "HM Land Registry",
        "Search property boundaries",
        "Lets people see the registered extent of a piece of land on a map and download its title plan.",
        "Home owners, conveyancers and surveyors.",
        Setting(
            who="home owners",
            who_also="conveyancers and surveyors",
            task="see where a property's boundaries are",
            offline="ordering a title plan by post",
            support="HM Land Registry's customer support team",
            partner="Ordnance Survey",
            legacy="the land register",
            stack="Python and Flask",
            hosting="AWS",
            common="GOV.UK Pay and Ordnance Survey maps under the Public Sector Geospatial Agreement",
            login="GOV.UK One Login",
            measure="the share of boundary questions answered without a caseworker",
            data="the names and addresses of people who search",
            tricky="what the red line on a title plan does and does not show",
            pattern="describing a boundary to people who cannot see the map",
            peak="the spring house-buying season",
            out_of_scope="settle boundary disputes",
        ),
    ),
    DemoService(
        "Department for Transport",
        "Report a pothole",
        "Lets people report a road defect and sends the report to the council responsible for the road.",
        "Drivers, cyclists and pedestrians, and council highways teams.",
        Setting(
            who="drivers, cyclists and pedestrians",
            who_also="council highways teams",
            task="report a pothole",
            offline="phoning the council",
            support="council contact centres",
            partner="the highway authorities in England",
            legacy="each council's own highways system",
            stack="Node.js",
            hosting="AWS",
            common="GOV.UK Notify and the Ordnance Survey Places API",
            login="GOV.UK One Login, for people who want updates,",
            measure="the share of reports that reach the right council first time",
            data="photos and locations that could identify the person reporting",
            tricky="where one council's roads end and another's begin",
            pattern="pinpointing a place on a map",
            peak="the thaw after a cold snap",
            out_of_scope="take claims for damage to vehicles",
        ),
    ),
    DemoService(
        "Department of Health and Social Care",
        "Order a repeat prescription",
        "Lets people registered with a GP practice in England order their repeat medicines online and choose the "
        "pharmacy that dispenses them.",
        "Patients on repeat medicines, often older people and their carers, and GP practice and pharmacy staff.",
        Setting(
            who="patients",
            who_also="GP practice receptionists and pharmacists",
            task="order a repeat prescription",
            offline="handing in the paper repeat slip at the practice",
            support="the GP practice's reception",
            partner="community pharmacies",
            legacy="the GP practice clinical systems",
            stack="TypeScript and NestJS",
            hosting="Azure, through NHS England's cloud platform",
            common="the NHS design system and NHS login",
            login="NHS login",
            measure="the share of repeat prescriptions ordered online",
            data="medicines and health records",
            tricky="medicines that need a review before they are issued again",
            pattern="choosing a nominated pharmacy",
            peak="the week before a bank holiday",
            out_of_scope="order medicines that are not on a repeat list",
        ),
    ),
]


@dataclass(frozen=True)
class Step:
    # A transition, "revise" (the panel rewrites its vague actions) or "actions done" (evidence recorded).
    name: ReportTransition | str
    after: int  # working days after the assessment
    at: datetime.time
    comment: str = ""
    by: str = ""  # who, when not the usual person for the step (ACTOR)
    # For the conversation's steps: the point a comment, question or amendment is about (None: the whole report);
    # the points whose actions a follow-up request names; and the support it asks for.
    point: int | None = None
    points: tuple[int, ...] = ()
    support: str = ""
    # A challenge meeting's attendees and when it is held (working days after the assessment, and the time).
    people: tuple[str, ...] = ()
    meets: tuple[int, datetime.time] | None = None
    # What a resolved challenge decided (its agreed changes are `comment`).
    outcome: str = ""
    # A correction: the words a point's reasons for its rating had wrong, and the right ones.
    replace: tuple[str, str] = ()


@dataclass(frozen=True)
class Story:
    service: str
    phase: str
    held: int  # working days before the day the demo is loaded
    # The rating of each point in scope, in order: fewer letters than points leaves the rest unrated, as a draft
    # the panel is still writing.
    letters: str
    steps: tuple[Step, ...] = ()
    reassessment: bool = False  # of the service's earlier assessment in the same phase
    type: str = ""  # the assessment type's slug, when it is neither an assessment nor a reassessment
    # Findings the story needs word for word, in place of the ones `findings.write` picks.
    written: dict[int, Written] = field(default_factory=dict)
    # Actions first written too vaguely, which the panel rewrites when the report comes back to it.
    vague: dict[int, str] = field(default_factory=dict)
    # How the team resolved each point's actions, when it has.
    evidence: dict[int, str] = field(default_factory=dict)
    # Added to the report's variant (findings.write) when two full reports of one service at the same stage would
    # otherwise pick some of the same findings.
    variant_shift: int = 0


def t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


SUBMIT_CHECK_SHARE = (
    Step(ReportTransition.SUBMIT, 1, t(16, 20)),
    Step(ReportTransition.CHECK, 2, t(10, 5)),
    Step(ReportTransition.SHARE, 2, t(14, 40)),
)

CHALLENGE = """We accept the report apart from the red rating for point 14, Operate a reliable service.

At the assessment we showed the panel our load test from the week before: three times the bookings we saw when new \
slots were released the Monday before, with no errors and every page answering in under a second.

The report says we have no plan for when the supplier's booking system is unavailable. That plan is section 4 of our \
runbook, which we sent to the lead assessor the day after the assessment; the panel may not have seen it.

We ask the panel to read the runbook and rate point 14 amber, with an action to rehearse the failover with the \
supplier before we go live."""

RETURN = """Point 3 is amber, but its action only repeats the finding ("Improve how the channels join up"). Please \
give the team an action it can complete and evidence within 3 months.

Point 13 has the same problem."""

CARERS_CHALLENGE = """We accept the report apart from the amber rating for point 9, Create a secure service which protects \
users' privacy.

The report says nobody has tested the caseworker interface. It was in the scope of the penetration test we had in \
private beta: section 3 of the test report covers it, and we sent the report to the lead assessor after the assessment.

We ask the panel to read the test report and rate point 9 green."""

CARERS_OUTCOME = """At the meeting the team showed the penetration test report. It tested how caseworkers sign in, but \
the pages that show the health details of the people being cared for were built after the test, so nobody has tested \
them yet.

Point 9 stays amber. The panel has narrowed its action to those pages, which the team agreed it can have tested \
before the service opens to everyone."""

CARERS_AGREED = """Point 9 stays amber.

Its action now reads: "Have the caseworker pages that show the health details of the people being cared for \
penetration tested before the public beta opens to everyone, and fix what the test finds.\""""

CARERS_AMENDED_ACTION = (
    "Have the caseworker pages that show the health details of the people being cared for penetration tested before "
    "the public beta opens to everyone, and fix what the test finds."
)

STORIES = [
    Story(
        "Get help with school costs",
        Phase.DISCOVERY,
        held=150,
        letters="gggggagggggggg",
        steps=(
            *SUBMIT_CHECK_SHARE,
            Step(ReportTransition.ACCEPT, 7, t(11, 15)),
            Step("actions done", 50, t(15, 0)),
            Step(
                CORRECT,
                55,
                t(12, 0),
                "Point 6: the department's content community helps the team two days a week, not two days a month as "
                "the report first said.",
                by="assessment-team",
                point=6,
                replace=("two days a month", "two days a week"),
            ),
        ),
        written={
            6: Written(
                done_well="The team has a user researcher, a designer and a product manager from the department, and "
                "the service owner comes to the show and tell every fortnight.",
                to_improve="The team has no content designer of its own: the department's content community helps "
                "it two days a month.\n"
                "Most of the team are contractors whose contracts end in March, and there is no plan yet for handing "
                "over what they know to permanent staff.",
                actions=(
                    "Bring a content designer into the team before alpha starts, and write a plan for handing over "
                    "from contractors to permanent staff, with dates.",
                ),
            )
        },
        evidence={
            6: "A content designer joined the team from the department's content community in the first sprint of "
            "alpha; the plan for handing over from contractors is in the team's wiki, with dates."
        },
    ),
    Story(
        "Apply for teacher training",
        Phase.ALPHA,
        held=85,
        letters="ggggrggggagggg",
        steps=(*SUBMIT_CHECK_SHARE, Step(ReportTransition.ACCEPT, 8, t(9, 40)), Step("actions done", 45, t(12, 30))),
        written={
            5: Written(
                done_well="The team ran an accessibility review of the prototype with the department's "
                "accessibility specialist, and the prototype uses GOV.UK Design System components throughout.",
                to_improve="The service must be reassessed on this point before moving to beta.\n"
                "The team has not tested the prototype with anyone who uses assistive technology, and the course "
                "search depends on a map that cannot be used without a mouse.\n"
                "Candidates who cannot apply online are told to email the support team, but nobody has tested that "
                "route or knows how many people need it.",
                actions=(
                    "Test the prototype with at least 5 candidates who use assistive technology, including screen "
                    "reader and voice control users, and fix what they find.",
                    "Design and test a way to find courses that does not depend on the map.",
                ),
            )
        },
        evidence={
            5: "Two rounds of research with 11 candidates with access needs, 4 of them screen reader users; the 14 "
            "issues found are fixed (design history, research rounds 6 and 7). The course search now has a list view "
            "that works without the map.",
            10: "The service owner agreed three measures of success, each with a baseline from last year's recruitment "
            "cycle; the performance framework that sets them out was shared with the panel.",
        },
    ),
    Story(
        "Apply for teacher training",
        Phase.ALPHA,
        held=28,
        letters="g",
        reassessment=True,
        steps=(*SUBMIT_CHECK_SHARE, Step(ReportTransition.ACCEPT, 6, t(10, 50))),
        written={
            5: Written(
                done_well="Since the alpha assessment the team has tested with 11 candidates with access needs, 4 of "
                "them screen reader users and 2 voice control users, and fixed the 14 issues they found.\n"
                "The course search now has a list view that works with a keyboard and a screen reader; the map is "
                "an extra, and research showed most candidates prefer the list.\n"
                "The team tested the support route with Get Into Teaching advisers, who now take applications over "
                "the phone for candidates who cannot apply online.",
                to_improve="The team should keep testing with assistive technology users as it builds the beta, not "
                "only before assessments.",
            )
        },
    ),
    Story(
        "Claim Carer's Allowance",
        Phase.PRIVATE_BETA,
        held=46,
        letters="ggagggaggggggg",
        steps=(
            *SUBMIT_CHECK_SHARE,
            Step(ReportTransition.ACCEPT, 7, t(15, 30), by="delivery"),
            Step(
                FOLLOW_UP,
                9,
                t(11, 0),
                "We would like a call with the panel about point 3's action: which channels should we join up first, "
                "the helpline or the paper form?",
                by="product",
                points=(3,),
                support=FollowUpSupport.CALL,
            ),
            Step(
                FOLLOW_UP_ARRANGED,
                10,
                t(14, 20),
                "A 45-minute call with Lee Morgan and Rhiannon Evans, arranged for the following Tuesday at 2pm. The "
                "invitation has gone to the product manager.",
                by="lead",
            ),
            Step(
                FOLLOW_UP,
                44,
                t(16, 10),
                "Could the panel run a workshop with our caseworkers about point 7's action? We want to agree how "
                "we show them changes to the service before each release.",
                by="delivery",
                points=(7,),
                support=FollowUpSupport.WORKSHOP,
            ),
        ),
    ),
    # Challenged, the meeting held, resolved, and shared again with the changes agreed; the team has asked a question.
    Story(
        "Claim Carer's Allowance",
        Phase.PUBLIC_BETA,
        held=14,
        letters="ggggggggaggggg",
        variant_shift=4,
        steps=(
            *SUBMIT_CHECK_SHARE,
            Step(ReportTransition.CHALLENGE, 5, t(11, 30), CARERS_CHALLENGE),
            Step(
                MEETING,
                6,
                t(9, 45),
                "Room 4.12, Caxton House, London, or by video call: https://meet.example.gov.uk/carers-challenge",
                people=("lead", "technical", "product", "delivery"),
                meets=(8, t(14, 0)),
            ),
            Step(AMEND, 9, t(10, 15), CARERS_AMENDED_ACTION, by="technical", point=9),
            Step(ReportTransition.RESOLVE, 9, t(15, 0), CARERS_AGREED, outcome=CARERS_OUTCOME),
            Step(ReportTransition.CHECK, 10, t(10, 0)),
            Step(ReportTransition.SHARE, 10, t(11, 30)),
            Step(
                ASK,
                12,
                t(9, 20),
                "Does the new action for point 9 need the whole caseworker interface tested again, or only the pages "
                "that show health details?",
                by="delivery",
                point=9,
            ),
        ),
        written={
            9: Written(
                done_well="The health details of the people being cared for are encrypted at rest and in transit, and "
                "only caseworkers in the Carer's Allowance Unit can see them.\n"
                "The team completed a data protection impact assessment with the department's data protection "
                "officer, and reviews it each quarter.",
                to_improve="The penetration test the team showed was done in private beta. The panel could not see "
                "that it covered the caseworker interface, which shows the health details of the people being cared "
                "for.",
                actions=(
                    "Have the whole service penetration tested, including the caseworker interface, and fix what the "
                    "test finds.",
                ),
            )
        },
    ),
    Story(
        "Book a driving theory test",
        Phase.PUBLIC_BETA,
        held=15,
        letters="ggggggggaggggr",
        steps=(
            *SUBMIT_CHECK_SHARE,
            Step(ReportTransition.CHALLENGE, 8, t(16, 5), CHALLENGE),
            Step(
                MEETING,
                10,
                t(11, 30),
                "Video call: https://meet.example.gov.uk/theory-test-challenge",
                people=("lead", "technical", "product", "delivery"),
                meets=(17, t(10, 0)),
            ),
        ),
        written={
            14: Written(
                done_well="The team monitors its own front end, and alerts reach the developer on call during "
                "working hours.",
                to_improve="The service must be reassessed on this point before going live.\n"
                "The team could not show how the service behaves when the test booking system run by the test "
                "centre supplier stops answering. New test slots are released every Monday morning, and the booking "
                "system failed twice under that load in the last year.\n"
                "There is no out-of-hours support, though learner drivers book at any time of day.",
                actions=(
                    "Agree with the test centre supplier what happens when the booking system is unavailable, and "
                    "show the panel how the service behaves when it is.",
                    "Rehearse the failover with the supplier and the live service team, and share the runbook.",
                ),
            )
        },
    ),
    Story(
        "Apply for a fishing licence",
        Phase.ALPHA,
        held=6,
        letters="ggggaggggggagg",
        steps=(
            *SUBMIT_CHECK_SHARE,
            Step(
                ASK,
                3,
                t(10, 20),
                "Point 12 asks us to make our code open. Does that include the rules that work out concessions, which "
                "the Environment Agency's fraud team asked us to keep private?",
                by="product",
                point=12,
            ),
            Step(
                ANSWER,
                4,
                t(15, 10),
                "We spoke to the panel. Code that detects fraud can stay closed, and the action does not ask for it: "
                "open the rest of the service's code, and say in the repository's README which parts are kept "
                "private and why.",
            ),
        ),
    ),
    Story(
        "Search property boundaries",
        Phase.LIVE,
        held=3,
        letters="gggggggggagggg",
        steps=(Step(ReportTransition.SUBMIT, 1, t(17, 10)), Step(ReportTransition.CHECK, 2, t(11, 25))),
    ),
    Story(
        "Get help with school costs",
        Phase.ALPHA,
        held=4,
        letters="ggagggggggggag",
        steps=(
            Step(ReportTransition.SUBMIT, 1, t(15, 55)),
            Step(ReportTransition.RETURN, 2, t(10, 30), RETURN),
            Step("revise", 2, t(14, 15)),
            Step(ReportTransition.SUBMIT, 2, t(16, 45)),
        ),
        vague={3: "Improve how the channels join up.", 13: "Use more common components."},
    ),
    # The panel met yesterday and is still writing, and talking it over in comments.
    Story(
        "Report a pothole",
        Phase.PRIVATE_BETA,
        held=1,
        letters="ggggagg",
        steps=(
            Step(
                COMMENT,
                0,
                t(16, 5),
                "Dev, is amber right for point 5? The team showed us keyboard testing of the map, but nobody who uses "
                "a screen reader has tried pinpointing a pothole yet. If you agree, could the reasons say so?",
                by="lead",
                point=5,
            ),
            Step(
                REPLY,
                0,
                t(16, 40),
                "Agreed, amber. I have added that the map has not been tried with a screen reader, and an action to "
                "test it with screen reader users before public beta.",
                by="designer",
                point=5,
            ),
            Step(RESOLVE_COMMENT, 0, t(17, 5), by="lead", point=5),
            Step(
                COMMENT,
                0,
                t(17, 20),
                "Points 8 to 14 are still to write up. I will do 9 and 11 to 14 tomorrow morning; Lee, can you take 8 "
                "and 10? We should agree the overall rating before the lead submits.",
                by="technical",
            ),
        ),
    ),
    # Assessed against the NHS service standard's 17 points.
    Story(
        "Order a repeat prescription",
        Phase.PUBLIC_BETA,
        held=60,
        letters="ggggggggggggggggg",
        type="nhs-assessment",
        steps=(*SUBMIT_CHECK_SHARE, Step(ReportTransition.ACCEPT, 6, t(10, 45))),
        written={
            15: Written(
                "The team gives its members time for learning and for recovering after difficult research sessions "
                "with patients, and talks openly about the pressure of working on a service people rely on."
            ),
            16: Written(
                "The clinical safety officer keeps the hazard log up to date each sprint, and the team has a clinical "
                "safety case report signed off under DCB0129."
            ),
            17: Written(
                "Orders reach GP practice systems through the GP Connect interfaces, and the team tested them with "
                "both of the main clinical system suppliers."
            ),
        },
    ),
]
LETTERS = {"g": Rating.GREEN, "a": Rating.AMBER, "r": Rating.RED}

# The report's own timestamps: each transition stamps one or more of them with "now".
REPORT_STAMPS = [
    "submitted_at",
    "shared_at",
    "accepted_at",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "corrected_at",
]
# Every timestamp the demo's writes stamp with "now", by model.
STAMPED = [
    (get_user_model(), ["date_joined"]),
    (RoleChange, ["at"]),
    (Department.history.model, ["history_date"]),
    (Service.history.model, ["history_date"]),
    (DeliveryTeamMember.history.model, ["history_date"]),
    (Assessment.history.model, ["history_date"]),
    (PanelMember.history.model, ["history_date"]),
    (ReportStatusChange, ["at"]),
    (ReportPage, REPORT_STAMPS),
    (ReportPage.history.model, ["history_date", *REPORT_STAMPS]),
    (PointRating.history.model, ["history_date"]),
    (ReportAction, ["created_at", "updated_at", "ready_for_review_at", "closed_at"]),
    (ReportAction.history.model, ["history_date", "created_at", "updated_at", "ready_for_review_at", "closed_at"]),
    (ActionUpdate, ["at"]),
    (ActionUpdate.history.model, ["history_date", "at"]),
    (Revision, ["created_at"]),
    (PageLogEntry, ["timestamp"]),
    (ReportComment, ["created_at", "resolved_at"]),
    (ReportComment.history.model, ["history_date", "created_at", "resolved_at"]),
    (Clarification.history.model, ["history_date"]),
    (ChallengeMeeting, ["created_at", "updated_at"]),
    (ChallengeMeeting.history.model, ["history_date", "created_at", "updated_at"]),
    (ChallengeOutcome, ["recorded_at"]),
    (ChallengeOutcome.history.model, ["history_date", "recorded_at"]),
    (FollowUpRequest, ["created_at", "decided_at"]),
    (FollowUpRequest.history.model, ["history_date", "created_at", "decided_at"]),
    (ReportCorrection, ["made_at"]),
    (ReportCorrection.history.model, ["history_date", "made_at"]),
]
# What a published page's revision holds of those, and of the deadline worked out from them. A correction's date is
# only its own revision's (and the ones after it).
REVISION_FIELDS = [name for name in REPORT_STAMPS if name != "corrected_at"] + ["response_due"]


@contextlib.contextmanager
def happening_at(when: datetime.datetime):
    """Whatever the block writes as "now" is dated `when` instead: the story's past, not the moment of loading.
    (Anything else writing at the same moment would be re-dated too; the demo is loaded before anything runs.)"""
    started = timezone.now()
    yield
    for model, names in STAMPED:
        for name in names:
            model._base_manager.filter(**{f"{name}__gte": started}).update(**{name: when})


@functools.cache
def demo_password_hash() -> str:
    # Hashing takes about a second each time, so the demo people share one.
    return make_password(DEMO_PASSWORD)


class Command(BaseCommand):
    help = "Loads demo people, services, assessments and reports. Idempotent."

    def handle(self, *args, **options):
        with emails.none_for_past_events(), transaction.atomic():
            self._load()
        self.stdout.write(self.style.SUCCESS("Demo content ready. Demo sign-ins:"))
        for username, first_name, last_name, group in PEOPLE:
            self.stdout.write(f"  {username:<16} {first_name} {last_name}, {group or 'superuser'}")
        self.stdout.write(f"  Every demo person's password: {DEMO_PASSWORD}")

    def _load(self):
        roles.ensure_groups()
        today = timezone.localdate()
        # Everyone was in place a couple of months before the first assessment in the story.
        earliest = max(story.held for story in STORIES)
        with happening_at(self._moment(deadlines.add_working_days(today, -earliest - 40), t(9, 0))):
            self.people = {
                username: self._person(username, first, last, group) for username, first, last, group in PEOPLE
            }
            services = {demo.name: (self._service(demo), demo.setting) for demo in SERVICES}
            for service, _ in services.values():
                for username, role in DELIVERY_TEAM:
                    DeliveryTeamMember.objects.get_or_create(
                        service=service, user=self.people[username], defaults={"role": role}
                    )
        told = Counter()
        for story in STORIES:
            service, setting = services[story.service]
            # Each service reads differently from the others, and each of its reports from its others (findings.write).
            variant = [demo.name for demo in SERVICES].index(story.service) + 7 * told[story.service]
            variant += story.variant_shift
            told[story.service] += 1
            held = deadlines.add_working_days(today, -story.held)
            earlier = None
            if story.reassessment:
                earlier = Assessment.objects.filter(service=service, phase=story.phase, follows=None).first()
            assessment = Assessment.objects.filter(service=service, phase=story.phase, follows=earlier).first()
            if assessment is None:
                # Booked three weeks ahead.
                with happening_at(self._moment(held - datetime.timedelta(days=21), t(9, 30))):
                    assessment = Assessment.objects.create(
                        service=service,
                        phase=story.phase,
                        follows=earlier,
                        date=held,
                        **({"type": AssessmentType.objects.get(slug=story.type)} if story.type else {}),
                    )
                    for username, role in PANEL:
                        PanelMember.objects.create(assessment=assessment, user=self.people[username], role=role)
            if not ReportPage.objects.filter(assessment=assessment).exists():
                self._tell(story, assessment, setting, variant)

    def _person(self, username, first_name, last_name, group_name):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.gov.uk",
                "is_superuser": group_name is None,
                "is_staff": group_name is None,
            },
        )
        if created:
            user.password = demo_password_hash()
            user.save(update_fields=["password"])
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        return user

    def _service(self, demo: DemoService) -> Service:
        department, _ = Department.objects.get_or_create(name=demo.department)
        service, _ = Service.objects.get_or_create(
            department=department, name=demo.name, defaults={"description": demo.description, "users": demo.users}
        )
        return service

    @staticmethod
    def _moment(day: datetime.date, at: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, at))

    def _tell(self, story: Story, assessment: Assessment, setting: Setting, variant: int) -> None:
        """The report's life so far: the panel writes it on the day of the assessment, then each step in turn."""
        with happening_at(self._moment(assessment.date, t(15, 0))):
            report = report_create(assessment=assessment)
            self._write(report, story, setting, variant)
        for step in story.steps:
            day = deadlines.add_working_days(assessment.date, step.after)
            when = self._moment(day, step.at)
            with happening_at(when):
                if step.name in self.CONVERSATION:
                    self.CONVERSATION[step.name](self, ReportPage.objects.get(pk=report.pk), step, when)
                else:
                    self._step(report, story, step, setting, variant)
            self._derive(report, shared=step.name == ReportTransition.SHARE)

    def _write(self, report: ReportPage, story: Story, setting: Setting, variant: int) -> None:
        lead = self.people["lead"]
        ratings = list(report.ratings.all())
        for rating, letter in zip(ratings, story.letters, strict=False):
            value = LETTERS[letter]
            text = story.written.get(rating.number) or write(
                setting,
                service=story.service,
                phase=story.phase,
                number=rating.number,
                rating=value,
                variant=variant,
            )
            writer = self.people[WRITER.get(rating.number, "lead")]
            editing.rating_update(
                rating=rating,
                user=writer,
                version=rating.version,
                rating_value=value,
                answers=questions.by_column(
                    report, questions.POINT, done_well=text.done_well, to_improve=text.to_improve
                ),
            )
            actions = [story.vague[rating.number]] if rating.number in story.vague else text.actions
            for description in actions:
                editing.action_create(rating=rating, user=writer, description=description)
        if len(story.letters) >= len(ratings):
            report.refresh_from_db()
            editing.report_overall_update(
                report=report,
                user=lead,
                version=report.version,
                overall_rating=report.suggested_overall_rating,
                reason="",
            )

    def _step(self, report: ReportPage, story: Story, step: Step, setting: Setting, variant: int) -> None:
        if step.name == "revise":
            # The panel replaces the actions the service assessment team sent back as too vague.
            for number, vague in story.vague.items():
                rating = report.ratings.get(number=number)
                text = write(
                    setting,
                    service=story.service,
                    phase=story.phase,
                    number=number,
                    rating=rating.rating,
                    variant=variant,
                )
                action = rating.actions.get(description=vague)
                editing.action_update(
                    action=action,
                    user=self.people["lead"],
                    version=action.version,
                    description=text.actions[0],
                    due_date=None,
                )
        elif step.name == "actions done":
            # The product manager records the evidence and asks for a review; the service assessment team accepts it.
            for action in ReportAction.objects.filter(rating__report=report).select_related("rating"):
                action_record_progress(
                    action=action,
                    user=self.people["product"],
                    text=story.evidence[action.rating.number],
                    ready_for_review=True,
                )
                action_review(action=action, user=self.people["assessment-team"], accepted=True, comment="")
        elif step.name == ReportTransition.RESOLVE:
            # The Plus team records what the meeting decided, which resolves the challenge.
            challenges.challenge_resolve(
                report=ReportPage.objects.get(pk=report.pk),
                user=self.people[step.by or ACTOR[step.name]],
                outcome=step.outcome,
                agreed_changes=step.comment,
            )
        else:
            transitions.report_transition(
                report=ReportPage.objects.get(pk=report.pk),
                name=step.name,
                user=self.people[step.by or ACTOR[step.name]],
                comment=step.comment,
            )

    # --- the conversation around a report, each step through the service its page calls

    def _comment(self, report: ReportPage, step: Step, when) -> None:
        comments.comment_add(report=report, user=self.people[step.by], text=step.comment, point_number=step.point)

    def _thread(self, report: ReportPage, step: Step) -> ReportComment:
        return ReportComment.objects.filter(report=report, parent=None, point_number=step.point).latest("pk")

    def _reply(self, report: ReportPage, step: Step, when) -> None:
        thread = self._thread(report, step)
        comments.comment_add(report=report, user=self.people[step.by], text=step.comment, parent=thread)

    def _resolve_comment(self, report: ReportPage, step: Step, when) -> None:
        comments.comment_resolve(comment=self._thread(report, step), user=self.people[step.by])

    def _ask(self, report: ReportPage, step: Step, when) -> None:
        rating = report.ratings.get(number=step.point) if step.point else None
        clarifications.clarification_ask(
            report=report,
            user=self.people[step.by],
            rating_id=rating.pk if rating else None,
            question=step.comment,
            now=when,
        )

    def _answer(self, report: ReportPage, step: Step, when) -> None:
        question = report.clarifications.filter(answered_at=None).earliest("asked_at")
        clarifications.clarification_answer(
            clarification=question, user=self.people[step.by or "assessment-team"], answer=step.comment, now=when
        )

    def _meeting(self, report: ReportPage, step: Step, when) -> None:
        after, at = step.meets
        starts_at = self._moment(deadlines.add_working_days(report.assessment.date, after), at)
        # The service refuses a meeting in the past, rightly; a meeting the story has already held was arranged while it
        # was still to come, so it is arranged for a moment ahead and then, as for every date here, only the clock moves.
        soon = timezone.now() + datetime.timedelta(hours=1)
        meeting = challenges.meeting_arrange(
            report=report,
            user=self.people[step.by or "plus"],
            starts_at=max(starts_at, soon),
            place=step.comment,
            attendee_ids=[self.people[username].pk for username in step.people],
        )
        if meeting.starts_at != starts_at:
            ChallengeMeeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at)
            ChallengeMeeting.history.filter(id=meeting.pk).update(starts_at=starts_at)

    def _amend(self, report: ReportPage, step: Step, when) -> None:
        # The panel changes the report during the challenge, as the meeting agreed.
        action = ReportAction.objects.filter(rating__report=report, rating__number=step.point).earliest("pk")
        editing.action_update(
            action=action, user=self.people[step.by], version=action.version, description=step.comment, due_date=None
        )

    def _follow_up(self, report: ReportPage, step: Step, when) -> None:
        follow_ups.follow_up_request(
            report=report,
            user=self.people[step.by],
            support=step.support,
            actions=list(ReportAction.objects.filter(rating__report=report, rating__number__in=step.points)),
            details=step.comment,
        )

    def _follow_up_arranged(self, report: ReportPage, step: Step, when) -> None:
        request = report.follow_up_requests.filter(decided_at=None).earliest("pk")
        follow_ups.follow_up_decide(request=request, user=self.people[step.by], arranged=True, outcome=step.comment)

    def _correct(self, report: ReportPage, step: Step, when) -> None:
        rating = report.ratings.get(number=step.point)
        wrong, right = step.replace
        if wrong not in rating.to_improve:
            raise CommandError(f"The correction's words are not in point {step.point} of {report}.")
        answers = questions.by_column(report, questions.POINT, to_improve=rating.to_improve.replace(wrong, right))
        corrections.report_correct(
            report=report,
            user=self.people[step.by],
            note=step.comment,
            correction=corrections.Correction(
                report_version=report.version, points={rating.pk: (rating.version, answers)}
            ),
        )

    CONVERSATION = {
        COMMENT: _comment,
        REPLY: _reply,
        RESOLVE_COMMENT: _resolve_comment,
        ASK: _ask,
        ANSWER: _answer,
        MEETING: _meeting,
        AMEND: _amend,
        FOLLOW_UP: _follow_up,
        FOLLOW_UP_ARRANGED: _follow_up_arranged,
        CORRECT: _correct,
    }

    @staticmethod
    def _derive(report: ReportPage, *, shared: bool) -> None:
        """Dates the process works out from the moment of a step, worked out again from the story's moment."""
        report = ReportPage.objects.get(pk=report.pk)
        history = ReportPage.history.filter(id=report.pk)
        # Only when the report was shared: a deadline moved later since (a question answered) stays moved.
        if shared and report.shared_at:
            # With the figure in force: the one sharing used a moment ago.
            within = deadlines.in_force().respond_within_working_days
            due = deadlines.response_due(timezone.localdate(report.shared_at), within)
            ReportPage.objects.filter(pk=report.pk).update(response_due=due)
            history.filter(shared_at=report.shared_at).update(response_due=due)
        if report.accepted_at:
            due = report.amber_actions_due
            amber = ReportAction.objects.filter(rating__report=report, rating__rating=Rating.AMBER)
            amber.update(due_date=due)
            ReportAction.history.filter(id__in=amber.values("pk"), due_date__isnull=False).update(due_date=due)
        report = ReportPage.objects.get(pk=report.pk)
        data = report.serializable_data()
        stamped = {name: value for name, value in data.items() if name in REVISION_FIELDS}
        for revision in Revision.page_revisions.filter(object_id=str(report.pk)):
            revision.content = {**revision.content, **stamped}
            if revision.content.get("corrected_at"):
                revision.content["corrected_at"] = data["corrected_at"]
            revision.save(update_fields=["content"])
