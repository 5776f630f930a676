"""A service, its assessment, and a person in every role around it, with reports driven to any status
through the real transition services (no status is ever set by hand)."""

from dataclasses import dataclass

from django.test import Client

from workflow import roles
from workflow.models import (
    DeliveryTeamRole,
    PanelRole,
    Rating,
    ReportAction,
    ReportPage,
    ReportStatus,
)
from workflow.services import transitions
from workflow.services.reports import report_create

from .factories import AssessmentFactory, DeliveryTeamMemberFactory, PanelMemberFactory, ServiceFactory, UserFactory

LETTERS = {"g": Rating.GREEN, "a": Rating.AMBER, "r": Rating.RED}


@dataclass
class Cast:
    assessment: object
    lead: object
    researcher: object
    observer: object
    assessor_not_on_panel: object
    assessment_team: object
    plus: object
    product_manager: object
    delivery_manager: object
    sro: object
    other_service_product_manager: object
    superuser: object


def make_cast(**assessment_fields) -> Cast:
    assessment = AssessmentFactory(**assessment_fields)
    service = assessment.service

    def assessor(role):
        user = UserFactory(groups=[roles.ASSESSORS])
        if role:
            PanelMemberFactory(assessment=assessment, user=user, role=role)
        return user

    def delivery_team_member(role, on_service=service):
        user = UserFactory(groups=[roles.DELIVERY_TEAM_MEMBERS])
        DeliveryTeamMemberFactory(service=on_service, user=user, role=role)
        return user

    return Cast(
        assessment=assessment,
        lead=assessor(PanelRole.LEAD),
        researcher=assessor(PanelRole.USER_RESEARCH),
        observer=assessor(PanelRole.OBSERVER),
        assessor_not_on_panel=assessor(None),
        assessment_team=UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]),
        plus=UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM]),
        product_manager=delivery_team_member(DeliveryTeamRole.PRODUCT_MANAGER),
        delivery_manager=delivery_team_member(DeliveryTeamRole.DELIVERY_MANAGER),
        sro=delivery_team_member(DeliveryTeamRole.SRO),
        other_service_product_manager=delivery_team_member(
            DeliveryTeamRole.PRODUCT_MANAGER, on_service=ServiceFactory()
        ),
        superuser=UserFactory(is_superuser=True, is_staff=True),
    )


def rate(report: ReportPage, letters: str = "g" * 14, *, overall: str | None = None) -> ReportPage:
    """Rates the points in scope in order, adds an action to each amber and red point, sets the overall."""
    for rating, letter in zip(report.ratings.all(), letters, strict=False):
        rating.rating = LETTERS[letter]
        rating.done_well = f"Good work on point {rating.number}."
        rating.to_improve = "" if letter == "g" else f"More work on point {rating.number}."
        rating.save()
        if letter != "g":
            ReportAction.objects.create(rating=rating, description=f"Fix point {rating.number}.")
    ReportPage.objects.filter(pk=report.pk).update(
        overall_rating=overall or Rating.overall(LETTERS[letter] for letter in letters) or ""
    )
    return ReportPage.objects.get(pk=report.pk)


# Each status and the steps that reach it from a rated draft.
PATH_TO = {
    ReportStatus.DRAFT: [],
    ReportStatus.SUBMITTED: ["submit"],
    ReportStatus.CHECKED: ["submit", "check"],
    ReportStatus.SHARED: ["submit", "check", "share"],
    ReportStatus.CHALLENGED: ["submit", "check", "share", "challenge"],
    ReportStatus.PUBLISHED: ["submit", "check", "share", "accept"],
}


def report_in(status: str, cast: Cast, letters: str = "gggggagggggggg") -> ReportPage:
    """A report for the cast's assessment, rated, then moved to `status` by the real transitions."""
    report = rate(report_create(assessment=cast.assessment), letters)
    actor = {
        "submit": cast.lead,
        "check": cast.assessment_team,
        "share": cast.assessment_team,
        "challenge": cast.product_manager,
        "accept": cast.product_manager,
    }
    for step in PATH_TO[status]:
        comment = "We disagree with point 6." if step == "challenge" else ""
        report = transitions.report_transition(report=report, name=step, user=actor[step], comment=comment)
    return ReportPage.objects.get(pk=report.pk)


def signed_in(user) -> Client:
    """A test client signed in as this person, without going through a sign-in page."""
    client = Client()
    client.force_login(user)
    return client
