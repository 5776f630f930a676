"""Demo content for `make run`: a person in every role, services, and a report in every lifecycle state.
Running it again changes nothing that is already there."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from workflow import roles
from workflow.models import (
    Assessment,
    DeliveryTeamMember,
    DeliveryTeamRole,
    Department,
    PanelMember,
    PanelRole,
    Phase,
    Rating,
    ReportAction,
    ReportPage,
    ReportStatus,
    Service,
)
from workflow.services.reports import report_create

DEMO_PASSWORD = "demo-password-only-for-local-use"

# (username, first name, last name, group or None for a superuser)
PEOPLE = [
    ("admin", "Ada", "Admin", None),
    ("team", "Sam", "Okafor", roles.SERVICE_ASSESSMENT_TEAM),
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
TEAM = [
    ("product", DeliveryTeamRole.PRODUCT_MANAGER),
    ("delivery", DeliveryTeamRole.DELIVERY_MANAGER),
    ("sro", DeliveryTeamRole.SRO),
]

# (department, service, description, users)
SERVICES = [
    (
        "Department for Education",
        "Apply for teacher training",
        "Lets people find and apply for postgraduate teacher training courses in England.",
        "Graduates and career changers who want to teach, and the training providers who choose them.",
    ),
    (
        "Department for Education",
        "Get help with school costs",
        "Lets parents check whether they can get help with uniform, travel and meals.",
        "Parents and carers on low incomes, and local authority staff.",
    ),
    (
        "Department for Transport",
        "Report a pothole",
        "Lets people report a road defect to the right council.",
        "Drivers, cyclists and pedestrians; council highways teams.",
    ),
    (
        "HM Land Registry",
        "Search property boundaries",
        "Lets people see the registered extent of a piece of land.",
        "Home owners, conveyancers and surveyors.",
    ),
]

# (service, phase, days before today, report status, ratings for points 1–14 ("g", "a", "r"), reassessment of)
ASSESSMENTS = [
    ("Apply for teacher training", Phase.ALPHA, 400, ReportStatus.PUBLISHED, "gggrgggggggggg", None),
    ("Apply for teacher training", Phase.ALPHA, 300, ReportStatus.PUBLISHED, "g", Phase.ALPHA),
    ("Apply for teacher training", Phase.PRIVATE_BETA, 2, ReportStatus.DRAFT, "", None),
    ("Get help with school costs", Phase.DISCOVERY, 200, ReportStatus.PUBLISHED, "ggaggggaggggga", None),
    ("Get help with school costs", Phase.ALPHA, 6, ReportStatus.SUBMITTED, "gggggaggggggag", None),
    ("Report a pothole", Phase.PUBLIC_BETA, 9, ReportStatus.CHECKED, "ggggggggggggga", None),
    ("Report a pothole", Phase.PRIVATE_BETA, 120, ReportStatus.ACCEPTED, "gggggggagggggg", None),
    ("Search property boundaries", Phase.LIVE, 12, ReportStatus.SHARED, "ggggagggggrggg", None),
    ("Search property boundaries", Phase.PUBLIC_BETA, 160, ReportStatus.CHALLENGED, "gggaggggggggag", None),
]
LETTERS = {"g": Rating.GREEN, "a": Rating.AMBER, "r": Rating.RED}


class Command(BaseCommand):
    help = "Loads demo people, services, assessments and reports. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        roles.ensure_groups()
        people = {username: self._person(username, first, last, group) for username, first, last, group in PEOPLE}
        services = {row[1]: self._service(*row) for row in SERVICES}
        for service in services.values():
            for username, role in TEAM:
                DeliveryTeamMember.objects.get_or_create(
                    service=service, user=people[username], defaults={"role": role}
                )
        today = timezone.localdate()
        for service_name, phase, days_ago, status, letters, reassesses in ASSESSMENTS:
            service = services[service_name]
            earlier = (
                Assessment.objects.filter(service=service, phase=reassesses, reassessment_of=None).first()
                if reassesses
                else None
            )
            assessment, created = Assessment.objects.get_or_create(
                service=service,
                phase=phase,
                reassessment_of=earlier,
                defaults={"date": today - datetime.timedelta(days=days_ago)},
            )
            for username, role in PANEL:
                PanelMember.objects.get_or_create(assessment=assessment, user=people[username], defaults={"role": role})
            if not hasattr(assessment, "report"):
                self._report(assessment, status, letters)
        self.stdout.write(self.style.SUCCESS("Demo content ready. Demo sign-ins:"))
        for username, first_name, last_name, group in PEOPLE:
            self.stdout.write(f"  {username:<12} {first_name} {last_name}, {group or 'superuser'}")
        self.stdout.write(f"  Every demo person's password: {DEMO_PASSWORD}")

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
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        return user

    def _service(self, department_name, name, description, users):
        department, _ = Department.objects.get_or_create(name=department_name)
        service, _ = Service.objects.get_or_create(
            department=department, name=name, defaults={"description": description, "users": users}
        )
        return service

    def _report(self, assessment, status, letters):
        draft = report_create(assessment=assessment)
        # A reassessment rates fewer points than the letters given: those in scope take the letters in order.
        for rating, letter in zip(draft.ratings.all(), letters, strict=False):
            self._rate(rating, LETTERS[letter], assessment)
        if status == ReportStatus.DRAFT:
            return draft
        # The demo shows reports part-way through their life; real reports only move through transitions.
        overall = Rating.overall(r.rating for r in draft.ratings.all())
        ReportPage.objects.filter(pk=draft.pk).update(status=status, overall_rating=overall or "")
        report = ReportPage.objects.get(pk=draft.pk)
        if status == ReportStatus.PUBLISHED:
            report.save_revision().publish()
        return report

    def _rate(self, rating, value, assessment):
        rating.rating = value
        rating.done_well = (
            f"The team showed clear evidence for point {rating.number} in the {assessment.stage_label} phase."
        )
        rating.to_improve = (
            "" if value == Rating.GREEN else f"The team needs to strengthen its work on point {rating.number}."
        )
        rating.save()
        if value != Rating.GREEN:
            ReportAction.objects.get_or_create(
                rating=rating,
                description=f"Show how the team has addressed the gaps found in point {rating.number}.",
                defaults={"due_date": assessment.date + datetime.timedelta(days=91)},
            )
