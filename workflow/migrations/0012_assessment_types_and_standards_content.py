"""Every existing assessment was against the GOV.UK Service Standard's 14 points: a service assessment, or a
reassessment of red points if it followed another. Booking requests keep what they asked for the same way."""

from django.db import migrations

GOV_UK = "GOV.UK Service Standard"


def fill_in(apps, schema_editor):
    AssessmentType = apps.get_model("cms", "AssessmentType")
    Standard = apps.get_model("cms", "ServiceStandard")
    Assessment = apps.get_model("workflow", "Assessment")
    HistoricalAssessment = apps.get_model("workflow", "HistoricalAssessment")
    BookingRequest = apps.get_model("workflow", "BookingRequest")
    HistoricalBookingRequest = apps.get_model("workflow", "HistoricalBookingRequest")

    gov_uk = Standard.objects.get(name=GOV_UK, version="2019")
    first = AssessmentType.objects.get(slug="assessment")
    reassessment = AssessmentType.objects.get(slug="reassessment")

    for model in (Assessment, HistoricalAssessment):
        model.objects.filter(follows__isnull=True).update(type=first, standard=gov_uk)
        model.objects.filter(follows__isnull=False).update(type=reassessment, standard=gov_uk)
    for model in (BookingRequest, HistoricalBookingRequest):
        model.objects.filter(kind="reassessment").update(type=reassessment)
        model.objects.exclude(kind="reassessment").update(type=first)


def back_to_kinds(apps, schema_editor):
    for name in ("BookingRequest", "HistoricalBookingRequest"):
        model = apps.get_model("workflow", name)
        model.objects.filter(type__scope="red").update(kind="reassessment")
        model.objects.exclude(type__scope="red").update(kind="assessment")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_standards_and_assessment_types_content"),
        ("workflow", "0011_assessment_types_and_standards"),
    ]

    operations = [migrations.RunPython(fill_in, back_to_kinds)]
