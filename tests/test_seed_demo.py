import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from workflow import roles
from workflow.models import Assessment, ReportPage, ReportStatus

pytestmark = pytest.mark.django_db


def counts():
    return (
        get_user_model().objects.count(),
        Assessment.objects.count(),
        ReportPage.objects.count(),
        ReportPage.history.count(),
    )


def test_seed_demo_gives_a_report_in_every_state_and_a_person_in_every_role():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(ReportPage.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    published = ReportPage.objects.filter(status=ReportStatus.PUBLISHED)
    assert published.exists() and all(report.live for report in published)
    assert not ReportPage.objects.exclude(status=ReportStatus.PUBLISHED).filter(live=True).exists()
    assert Assessment.objects.exclude(reassessment_of=None).exists()
    User = get_user_model()
    for group in [
        roles.SERVICE_ASSESSMENT_TEAM,
        roles.SERVICE_ASSESSMENT_PLUS_TEAM,
        roles.ASSESSORS,
        roles.DELIVERY_TEAM_MEMBERS,
    ]:
        assert User.objects.filter(groups__name=group).exists(), group
    assert User.objects.filter(is_superuser=True).exists()


def test_seed_demo_is_idempotent():
    devnull = open("/dev/null", "w")  # noqa: SIM115
    call_command("seed_demo", stdout=devnull)
    before = counts()
    call_command("seed_demo", stdout=devnull)
    assert counts() == before
