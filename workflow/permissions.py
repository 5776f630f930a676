"""Who may see and do what with a report. Every view and transition asks these; none decides for itself.

A person's link to a report is through the panel (assessors) or the service's delivery team; the two
central teams are groups."""

from django.contrib.auth.models import AnonymousUser

from . import roles
from .models.choices import DeliveryTeamRole, PanelRole, ReportStatus


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    names = getattr(user, "_group_names", None)
    if names is None:
        names = user._group_names = frozenset(user.groups.values_list("name", flat=True))
    return name in names


def is_assessment_team(user) -> bool:
    return user.is_superuser or _in_group(user, roles.SERVICE_ASSESSMENT_TEAM)


def is_plus_team(user) -> bool:
    return user.is_superuser or _in_group(user, roles.SERVICE_ASSESSMENT_PLUS_TEAM)


def is_assessor(user) -> bool:
    return _in_group(user, roles.ASSESSORS)


def is_delivery_team_member(user) -> bool:
    return _in_group(user, roles.DELIVERY_TEAM_MEMBERS)


def panel_role(user, report) -> str | None:
    if not user.is_authenticated:
        return None
    seat = report.assessment.panel_members.filter(user=user).values_list("role", flat=True).first()
    return seat


def is_on_panel(user, report) -> bool:
    return is_assessor(user) and panel_role(user, report) is not None


def is_lead_assessor(user, report) -> bool:
    return is_assessor(user) and panel_role(user, report) == PanelRole.LEAD


def team_role(user, report) -> str | None:
    if not user.is_authenticated:
        return None
    return report.assessment.service.team_members.filter(user=user).values_list("role", flat=True).first()


def is_on_delivery_team(user, report) -> bool:
    return is_delivery_team_member(user) and team_role(user, report) is not None


def is_responder(user, report) -> bool:
    """The service's product or delivery manager: the people who accept or challenge its report. Someone who
    also sat on its panel may not answer for the team about their own report."""
    return (
        is_delivery_team_member(user)
        and team_role(user, report) in DeliveryTeamRole.responders()
        and panel_role(user, report) is None
    )


PANEL_EDITS_IN = ReportStatus.editable_by_panel()
# The delivery team sees its report once shared with it, and from then on.
TEAM_SEES_FROM = ReportStatus.seen_by_delivery_team()


def can_view_report(user, report) -> bool:
    if user is None or isinstance(user, AnonymousUser):
        return report.status == ReportStatus.PUBLISHED and report.live
    if is_assessment_team(user) or is_plus_team(user) or is_on_panel(user, report):
        return True
    return report.status in TEAM_SEES_FROM and is_on_delivery_team(user, report)


def can_edit_report(user, report) -> bool:
    return (
        report.status in PANEL_EDITS_IN and is_on_panel(user, report) and panel_role(user, report) != PanelRole.OBSERVER
    )


def can_give_overall_rating(user, report) -> bool:
    return can_edit_report(user, report) and is_lead_assessor(user, report)


def may_edit(user, report, *, lead_only: bool = False) -> bool:
    """Whether this person may change the report now: the overall rating (`lead_only`) or the rest."""
    return can_give_overall_rating(user, report) if lead_only else can_edit_report(user, report)


def why_status_stops_edit(user, report, *, lead_only: bool = False) -> str | None:
    """Why the report's status, and nothing else, stops this person saving an edit (the lead submitted it while
    they typed), in words for them; None when they may edit now, or could not whatever the status."""
    if report.status in PANEL_EDITS_IN:
        return None
    if lead_only:
        could = is_lead_assessor(user, report)
    else:
        could = is_on_panel(user, report) and panel_role(user, report) != PanelRole.OBSERVER
    return ReportStatus(report.status).why_panel_cannot_edit if could else None


def may_post_edit(user, report, *, lead_only: bool = False) -> bool:
    """Whether a save from this person reaches its form. Opening the form needs `may_edit`; a save may also come
    from a panel member whose report has moved on since they opened it, who is shown the form again with what they
    typed and why it was not saved, instead of "You cannot access this page"."""
    return (
        may_edit(user, report, lead_only=lead_only)
        or why_status_stops_edit(user, report, lead_only=lead_only) is not None
    )


def why_read_only(user, report) -> str | None:
    """Why this person sees the report without edit links, in words for them; None when they may edit it."""
    if can_edit_report(user, report):
        return None
    role = panel_role(user, report)
    if role == PanelRole.OBSERVER:
        return "You are an observer on this panel, so you can read the report but not change it."
    if role is None or not is_on_panel(user, report):
        return "You are not on this assessment's panel, so you can read the report but not change it."
    return ReportStatus(report.status).why_panel_cannot_edit


# The panel's comments while it writes the report. Never the delivery team's: they are the panel's working notes.
def may_read_comments(user, report) -> bool:
    """The panel and the two central teams (superusers too) read the panel's comments on a report."""
    if not user.is_authenticated:
        return False
    return is_assessment_team(user) or is_plus_team(user) or is_on_panel(user, report)


def may_comment(user, report) -> bool:
    """Any panel member, observers included, comments, replies and resolves while the panel may change the report:
    a draft, or a challenged report being amended."""
    return report.status in PANEL_EDITS_IN and is_on_panel(user, report)


def why_comments_closed(user, report) -> str | None:
    """Why this panel member can no longer comment (the report moved on while they typed), in words for them; None
    when they may comment now, or never could."""
    if report.status in PANEL_EDITS_IN or not is_on_panel(user, report):
        return None
    return f"Your comment has not been saved. {ReportStatus(report.status).why_panel_cannot_edit}"


# The delivery team's questions about a shared report (clarification without a challenge).
def may_ask_clarification(user, report) -> bool:
    """The product or delivery manager asks while the report is shared with them, the time they have to respond."""
    return report.status == ReportStatus.SHARED and is_responder(user, report)


def may_answer_clarification(user) -> bool:
    """The service assessment team answers, having spoken to the panel or arranged a meeting."""
    return is_assessment_team(user)


def may_read_clarifications(user, report) -> bool:
    """Everyone who may see the report once shared reads its questions and answers: the delivery team (the SRO too),
    the panel and the two central teams. Never the public."""
    return user.is_authenticated and can_view_report(user, report)


def may_start_report(user, assessment) -> bool:
    """The lead assessor starts the report of an assessment. Reads the person's seats from `assessment.own_seats`
    when the caller has fetched them (the dashboard, for every row at once)."""
    seats = getattr(assessment, "own_seats", None)
    if seats is not None:
        return any(seat.user_id == user.pk and seat.role == PanelRole.LEAD for seat in seats)
    return assessment.panel_members.filter(user=user, role=PanelRole.LEAD).exists()


# Booking. The delivery team asks for its service's assessment (the service assessment team may ask for any
# service); the service assessment team answers.
def may_book_assessments(user) -> bool:
    """Whether this person has the booking pages, where they ask for their services' assessments."""
    return is_delivery_team_member(user)


def may_request_assessment(user, service) -> bool:
    return is_assessment_team(user) or (
        is_delivery_team_member(user) and service.team_members.filter(user=user).exists()
    )


def may_decide_booking(user) -> bool:
    # The admin's booking pages go by the model permission the team's group holds; the team itself too, since
    # that permission could be given to someone outside it.
    return user.has_perm("workflow.change_bookingrequest") and is_assessment_team(user)


# Follow-up support after a report is accepted. The delivery team asks the panel; the lead assessor or the service
# assessment team records whether it is arranged.
def may_see_follow_ups(user, report) -> bool:
    """The delivery team sees its panel and its follow-up requests once it has accepted the report."""
    return report.status in ReportStatus.accepted_by_delivery_team() and is_on_delivery_team(user, report)


def may_ask_follow_up(user, report) -> bool:
    return may_see_follow_ups(user, report)


def may_decide_follow_up(user, report) -> bool:
    return is_lead_assessor(user, report) or is_assessment_team(user)


# The admin's reports on every report: the audit history and the insights.
def may_see_audit(user) -> bool:
    return user.has_perm("workflow.view_reportpage")


def may_see_insights(user) -> bool:
    return user.has_perm("workflow.view_reportpage")


# People. The service assessment team gives and takes the roles of the process; only a superuser makes staff,
# superusers or members of either central team, so neither team can grant itself the other's powers.
PROCESS_ROLES = (roles.ASSESSORS, roles.DELIVERY_TEAM_MEMBERS)


def may_manage_people(user) -> bool:
    return user.is_active and user.has_perm("workflow.manage_people")


def manageable_people(user, people):
    """The accounts `user` may edit, of the queryset `people`: everyone for a superuser; for the service assessment
    team, the people of the process, never a superuser, a member of staff, a central team member or themselves."""
    if user.is_superuser:
        return people
    if not may_manage_people(user):
        return people.none()
    # Anyone holding more than the process roles (another group, a permission of their own) is an
    # administrator's to manage: editing them would be a way to reach what they hold.
    return (
        people.exclude(is_superuser=True)
        .exclude(is_staff=True)
        .exclude(pk__in=people.model.groups.through.objects.exclude(group__name__in=PROCESS_ROLES).values("user_id"))
        .exclude(pk__in=people.model.user_permissions.through.objects.values("user_id"))
        .exclude(pk=user.pk)
    )


def may_manage_person(user, person) -> bool:
    return manageable_people(user, type(person)._default_manager.filter(pk=person.pk)).exists()


def seatable_people(user, people, role: str):
    """Who `user` may seat on a panel (role: Assessors) or a service's delivery team (Delivery team members):
    people who hold that role and, for anyone but a superuser, people they manage, so never themselves or a
    member of either central team."""
    holders = people.filter(groups__name=role, is_active=True)
    return holders if user.is_superuser else manageable_people(user, holders)


# After publishing. The service assessment team corrects a published report (the panel's work is done and the
# delivery team has accepted it) and withdraws it; nobody else, ever.
def may_correct_reports(user) -> bool:
    """Whether this person has the correct and withdraw pages at all (a report's status aside)."""
    return is_assessment_team(user)


def may_correct_report(user, report) -> bool:
    return may_correct_reports(user) and report.status == ReportStatus.PUBLISHED and report.live


# The service's record: every assessment of a service, the grid of its ratings, its open actions and what must happen
# before its next booking.
def may_read_service_record(user, service) -> bool:
    """The service's delivery team, anyone seated on a panel of any of its assessments (a booked one not yet held
    included, so a new panel reads it first), and the two central teams (superusers too)."""
    if not user.is_authenticated:
        return False
    if is_assessment_team(user) or is_plus_team(user):
        return True
    if is_on_service_team(user, service):
        return True
    return is_assessor(user) and user.panel_seats.filter(assessment__service=service).exists()


def is_on_service_team(user, service) -> bool:
    return is_delivery_team_member(user) and service.pk in _teams_of(user)


def may_see_on_record(user, report, *, own_panels: set[int]) -> bool:
    """Whether a reader of the record (may_read_service_record) sees this report's ratings there. As can_view_report
    for the central teams, the report's own panel (`own_panels`: the ids of the service's assessments they sit on,
    fetched once for the whole record) and the delivery team, who see it once shared with them. A panel of another
    of the service's assessments sees it once the delivery team has accepted it, when its ratings are settled: what
    a new panel reads before the assessment."""
    if is_assessment_team(user) or is_plus_team(user):
        return True
    if is_assessor(user) and report.assessment_id in own_panels:
        return True
    if is_delivery_team_member(user) and report.assessment.service_id in _teams_of(user):
        return report.status in TEAM_SEES_FROM
    return report.status in ReportStatus.accepted_by_delivery_team()


def _teams_of(user) -> frozenset[int]:
    """The services whose delivery team the person is on, fetched once per request (as _in_group does groups)."""
    teams = getattr(user, "_service_ids_on_team", None)
    if teams is None:
        teams = user._service_ids_on_team = frozenset(user.delivery_teams.values_list("service_id", flat=True))
    return teams


# --- actions after the report: the delivery team's progress and evidence, and the review that closes them --------
# Withdrawing the report takes its public page down, not the acceptance: its actions stand, and are still worked.
def may_see_action_work(user, report) -> bool:
    """The delivery team (its SRO and members too) reads each action's state and thread once it has accepted."""
    return report.status in ReportStatus.accepted_by_delivery_team() and is_on_delivery_team(user, report)


def may_record_action_progress(user, report) -> bool:
    """The product or delivery manager, who answer for the team, record what was done and ask for a review."""
    return report.status in ReportStatus.accepted_by_delivery_team() and is_responder(user, report)


def may_review_actions(user, report) -> bool:
    """The lead assessor of the report's panel, or the service assessment team, accept the evidence or ask for more."""
    return report.status in ReportStatus.accepted_by_delivery_team() and (
        is_lead_assessor(user, report) or is_assessment_team(user)
    )
