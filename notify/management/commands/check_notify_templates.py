"""Checks every configured GOV.UK Notify template: that it exists, is an email template, asks for no
personalisation that the service does not send, and uses all that it does send (a template without
((report_link)) would send an email without the link). Exits non-zero, naming each problem, if any is wrong.

    python manage.py check_notify_templates
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from notifications_python_client.errors import APIError

from notify import kinds
from notify.models import NotifyTemplates
from notify.outbox import describe, notify_client

PLACEHOLDER = "(({}))"


def _template_placeholders(template: dict) -> tuple[set[str], set[str]]:
    """(required, optional) placeholder names, from Notify's `personalisation` field of the template."""
    required, optional = set(), set()
    for name, details in (template.get("personalisation") or {}).items():
        (required if not isinstance(details, dict) or details.get("required", True) else optional).add(name)
    return required, optional


class Command(BaseCommand):
    help = "Checks that every configured Notify template exists and takes the personalisation the service sends."

    def handle(self, *args, **options):
        client = notify_client()
        if client is None:
            raise CommandError("NOTIFY_API_KEY is not set.")
        templates = NotifyTemplates.current()
        problems = []
        self.stdout.write(f"Checking {len(kinds.KINDS)} templates at {settings.NOTIFY_BASE_URL}")
        for kind in kinds.KINDS.values():
            found = self._check(client, kind, templates.template_id(kind.key))
            problems += [f"{kind.name} ({kind.key}): {problem}" for problem in found]
        if problems:
            for problem in problems:
                self.stderr.write(self.style.ERROR(problem))
            raise CommandError(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} with the Notify templates.")
        self.stdout.write(self.style.SUCCESS("Every template exists and takes the personalisation sent."))

    def _check(self, client, kind: kinds.EmailKind, template_id: str) -> list[str]:
        if not template_id:
            return ["no template id is set (Settings > Notify templates)."]
        try:
            template = client.get_template(template_id)
        except APIError as error:
            if error.status_code in (400, 404):
                return [f"template {template_id} was not found in Notify ({describe(error)})."]
            return [f"template {template_id} could not be fetched: {describe(error)}."]
        problems = []
        if template.get("type") != "email":
            problems.append(f"template {template_id} is a {template.get('type')} template, not an email template.")
        required, optional = _template_placeholders(template)
        sent = {kinds.normalise_placeholder(name) for name in kind.personalisation}
        missing = sorted(name for name in required if kinds.normalise_placeholder(name) not in sent)
        if missing:
            problems.append(
                f"template {template_id} needs "
                + ", ".join(PLACEHOLDER.format(name) for name in missing)
                + ", which the service does not send. It sends: "
                + ", ".join(PLACEHOLDER.format(name) for name in kind.personalisation)
                + "."
            )
        used = {kinds.normalise_placeholder(name) for name in required | optional}
        unused = [name for name in kind.personalisation if kinds.normalise_placeholder(name) not in used]
        if unused:
            problems.append(
                f"template {template_id} lacks "
                + ", ".join(PLACEHOLDER.format(name) for name in unused)
                + ", so the email would leave out what the service sends for it."
            )
        if not problems:
            self.stdout.write(f"  OK  {kind.name}: “{template.get('name', '')}” {template_id}")
        return problems
