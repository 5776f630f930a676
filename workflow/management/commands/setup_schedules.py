"""Creates or updates the django-q2 schedules that send email; running it again changes nothing.

python manage.py setup_schedules

"Send scheduled reminders" runs every hour and writes the day's emails from 7am UK time (workflow.tasks): a
daily schedule would have to be moved by an hour at each clock change, and misses a whole day when its one run
fails.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "Send due emails",
        "func": "notify.tasks.send_due_emails",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "Send scheduled reminders",
        "func": "workflow.tasks.send_scheduled_reminders",
        "schedule_type": Schedule.HOURLY,
    },
]


def next_hour(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next whole hour: UK time is a whole number of hours from UTC, so this is 7am UK time once a day."""
    now = now or timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)


class Command(BaseCommand):
    help = "Creates or updates the schedules that send emails (idempotent)."

    def handle(self, *args, **options):
        for spec in SCHEDULES:
            fields = {key: value for key, value in spec.items() if key != "name"}
            first_run = next_hour() if spec["schedule_type"] == Schedule.HOURLY else timezone.now()
            schedule = Schedule.objects.filter(name=spec["name"]).first()
            if schedule is None:
                Schedule.objects.create(name=spec["name"], next_run=first_run, repeats=-1, **fields)
                self.stdout.write(f"Created schedule: {spec['name']}")
                continue
            changed = {key: value for key, value in fields.items() if getattr(schedule, key) != value}
            if "schedule_type" in changed:
                # A daily schedule's next run may be nearly a day away, and at a time set in the wrong season.
                changed["next_run"] = first_run
            if schedule.repeats != -1:
                changed["repeats"] = -1
            if changed:
                Schedule.objects.filter(pk=schedule.pk).update(**changed)
                self.stdout.write(f"Updated schedule: {spec['name']}")
            else:
                self.stdout.write(f"Schedule up to date: {spec['name']}")
