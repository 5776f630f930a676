"""Creates or updates the django-q2 schedules that send email; running it again changes nothing.

python manage.py setup_schedules
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.models import Schedule

DAILY_AT = datetime.time(7, 0)  # reminders go out at 7am, UK time

SCHEDULES = [
    {
        "name": "Send due emails",
        "func": "workflow.tasks.send_due_emails",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "Send scheduled reminders",
        "func": "workflow.tasks.send_scheduled_reminders",
        "schedule_type": Schedule.DAILY,
    },
]


def next_daily_run(now: datetime.datetime | None = None) -> datetime.datetime:
    local = timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(settings.TIME_ZONE))
    run = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


class Command(BaseCommand):
    help = "Creates or updates the schedules that send emails (idempotent)."

    def handle(self, *args, **options):
        for spec in SCHEDULES:
            fields = {key: value for key, value in spec.items() if key != "name"}
            schedule = Schedule.objects.filter(name=spec["name"]).first()
            if schedule is None:
                next_run = next_daily_run() if spec["schedule_type"] == Schedule.DAILY else timezone.now()
                Schedule.objects.create(name=spec["name"], next_run=next_run, repeats=-1, **fields)
                self.stdout.write(f"Created schedule: {spec['name']}")
                continue
            changed = {key: value for key, value in fields.items() if getattr(schedule, key) != value}
            if schedule.repeats != -1:
                changed["repeats"] = -1
            if changed:
                Schedule.objects.filter(pk=schedule.pk).update(**changed)
                self.stdout.write(f"Updated schedule: {spec['name']}")
            else:
                self.stdout.write(f"Schedule up to date: {spec['name']}")
