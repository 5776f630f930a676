"""Two people acting on one report at the same moment, each on their own database connection."""

import threading

import pytest
from django.db import connection, connections

from workflow.models import ReportPage, ReportStatus, ReportStatusChange
from workflow.services.transitions import TransitionRefused, report_accept, report_challenge

from .cast import make_cast, report_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test-postgres)"),
]


def race(*actions):
    """Runs the actions in threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("attempt", range(5))
def test_accept_and_challenge_at_once_leave_exactly_one_outcome(attempt):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)

    outcomes = race(
        lambda: report_accept(report=ReportPage.objects.get(pk=report.pk), user=cast.product_manager),
        lambda: report_challenge(
            report=ReportPage.objects.get(pk=report.pk), user=cast.delivery_manager, reasons="Point 6 is wrong."
        ),
    )

    winners = [outcome for outcome in outcomes if isinstance(outcome, ReportPage)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, TransitionRefused)]
    assert len(winners) == 1 and len(refused) == 1, outcomes
    final = ReportPage.objects.get(pk=report.pk)
    assert final.status in (ReportStatus.PUBLISHED, ReportStatus.CHALLENGED)
    responses = ReportStatusChange.objects.filter(report=report, transition__in=["accept", "challenge"])
    assert responses.count() == 1
    assert final.live == (final.status == ReportStatus.PUBLISHED)


def test_two_accepts_at_once_publish_once():
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)

    outcomes = race(
        lambda: report_accept(report=ReportPage.objects.get(pk=report.pk), user=cast.product_manager),
        lambda: report_accept(report=ReportPage.objects.get(pk=report.pk), user=cast.delivery_manager),
    )

    assert sum(isinstance(outcome, ReportPage) for outcome in outcomes) == 1, outcomes
    assert ReportStatusChange.objects.filter(report=report, transition="publish").count() == 1
    assert ReportPage.objects.get(pk=report.pk).revisions.count() == 1
