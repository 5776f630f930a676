"""The email catalogue, the fake server's templates, and `check_notify_templates` against a fake Notify."""

import json
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from devtools.fake_notify import FakeNotifyServer, FakeTemplate
from notify import kinds
from notify.models import NotifyTemplates
from tests.notify_fixtures import TEMPLATES_JSON, project_templates, running_fake_notify, template_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


README = Path(__file__).resolve().parents[2] / "README.md"


def placeholders(template: dict) -> set[str]:
    return set(re.findall(r"\(\(([^()?]+)\)\)", template["subject"] + template["body"]))


def test_the_local_templates_take_exactly_the_personalisation_of_each_kind():
    templates = {item["key"]: item for item in json.loads(TEMPLATES_JSON.read_text())}

    assert set(templates) == set(kinds.KINDS)
    for key, kind in kinds.KINDS.items():
        assert placeholders(templates[key]) == set(kind.personalisation), key
        uuid.UUID(templates[key]["id"])


def test_the_readme_documents_every_email_and_its_template_id():
    readme = README.read_text()

    for key, kind in kinds.KINDS.items():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{key}`")), None)
        assert row is not None, key
        assert template_id(key) in row
        for name in kind.personalisation:
            assert f"(({name}))" in row, (key, name)


def run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("check_notify_templates", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + f"\nCommandError: {error}"
    return out.getvalue(), err.getvalue()


def test_check_passes_against_the_fake_with_the_projects_templates(fake_notify):
    out, err = run()

    assert err == ""
    assert out.count("  OK  ") == len(kinds.KINDS)
    assert "Every template exists and takes the personalisation sent." in out


def test_check_fails_clearly_when_a_template_is_missing(settings):
    with FakeNotifyServer(
        api_key=settings.NOTIFY_API_KEY, templates=project_templates(leave_out=("report_shared",))
    ) as server:
        settings.NOTIFY_BASE_URL = server.base_url
        out, err = run()

    assert f"Report shared with the team (report_shared): template {template_id('report_shared')} was not found" in err
    assert "CommandError: 1 problem with the Notify templates." in err


def test_check_fails_clearly_when_a_template_lacks_a_placeholder_or_wants_another(settings):
    templates = [t for t in project_templates() if t.id != template_id("report_shared")]
    templates.append(
        FakeTemplate(
            id=template_id("report_shared"),
            name="Report shared",
            subject="Report for ((service_name))",
            body="Dear ((name)), ((stage)) report of ((assessment_date)) at ((report_link)). Ref ((case_number)).",
        )
    )
    with FakeNotifyServer(api_key=settings.NOTIFY_API_KEY, templates=templates) as server:
        settings.NOTIFY_BASE_URL = server.base_url
        out, err = run()

    assert "lacks ((response_deadline)), so the email would leave out what the service sends for it." in err
    assert "needs ((case_number)), which the service does not send." in err
    assert "CommandError: 2 problems with the Notify templates." in err


def test_check_uses_the_ids_set_in_the_admin(fake_notify):
    NotifyTemplates.objects.create(report_returned=str(uuid.uuid4()))

    out, err = run()

    assert "Report returned to the panel (report_returned): template" in err
    assert "was not found" in err


def test_check_fails_when_no_template_id_is_set(fake_notify, settings):
    settings.NOTIFY_TEMPLATE_IDS = {}

    out, err = run()

    assert "Sign-in link (sign_in_link): no template id is set" in err
    assert f"CommandError: {len(kinds.KINDS)} problems" in err
