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


# The panel edits a draft; during a challenge it makes the changes agreed with the team.
PANEL_EDITS_IN = (ReportStatus.DRAFT, ReportStatus.CHALLENGED)
# The delivery team sees its report once shared with it, and from then on.
TEAM_SEES_FROM = (ReportStatus.SHARED, ReportStatus.ACCEPTED, ReportStatus.CHALLENGED, ReportStatus.PUBLISHED)


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
