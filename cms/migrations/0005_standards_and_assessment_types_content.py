"""The standards and assessment types the service ships with. Every point there was is the GOV.UK Service
Standard's, so every existing report keeps its points; the NHS standard and the types are new content the team
can edit."""

import datetime

from django.db import migrations

GOV_UK = "GOV.UK Service Standard"
NHS = "NHS service standard"
NHS_GUIDANCE = "https://service-manual.nhs.uk/standards-and-technology/service-standard-points/"
NHS_POINTS = [
    (1, "Understand users and their needs in the context of health and care",
     "1-understand-users-and-their-needs-context-health-and-care"),
    (2, "Work towards solving a whole problem for users",
     "2-and-3-work-towards-solving-a-whole-problem-and-provide-a-joined-up-experience"),
    (3, "Provide a joined up experience across all channels",
     "2-and-3-work-towards-solving-a-whole-problem-and-provide-a-joined-up-experience"),
    (4, "Make the service simple to use", "4-make-the-service-simple-to-use"),
    (5, "Make sure everyone can use the service", "5-make-sure-everyone-can-use-the-service"),
    (6, "Create a team that includes multidisciplinary skills and perspectives",
     "6-create-a-team-that-includes-multidisciplinary-skills-and-perspectives"),
    (7, "Use agile ways of working", "7-use-agile-ways-of-working"),
    (8, "Iterate and improve frequently", "8-iterate-and-improve-frequently"),
    (9, "Create a secure service which protects people's privacy",
     "9-create-a-secure-service-which-protects-peoples-privacy"),
    (10, "Define what success looks like and be open about how your service is performing",
     "10-define-what-success-looks-like-and-be-open-about-how-your-service-is-performing"),
    (11, "Choose the right tools and technology", "11-choose-the-right-tools-and-technology"),
    (12, "Make new source code open", "12-make-new-source-code-open"),
    (13, "Use and contribute to open standards, common components and patterns",
     "13-use-and-contribute-to-open-standards-common-components-and-patterns"),
    (14, "Operate a reliable service", "14-operate-a-reliable-service"),
    (15, "Support a culture of care", "15-support-a-culture-of-care"),
    (16, "Make your service clinically safe", "16-make-your-service-clinically-safe"),
    (17, "Make your service interoperable", "17-make-your-service-interoperable"),
]
# (name, slug, stage name, scope, published, standard)
TYPES = [
    ("Service assessment", "assessment", "", "all", True, GOV_UK),
    ("Reassessment", "reassessment", "reassessment", "red", True, GOV_UK),
    ("Amber evidence review", "amber-evidence-review", "amber evidence review", "amber", True, GOV_UK),
    ("Peer review", "peer-review", "peer review", "all", False, GOV_UK),
    ("NHS service assessment", "nhs-assessment", "", "all", True, NHS),
]


def add_content(apps, schema_editor):
    Standard = apps.get_model("cms", "ServiceStandard")
    Point = apps.get_model("cms", "ServiceStandardPoint")
    AssessmentType = apps.get_model("cms", "AssessmentType")

    gov_uk, _ = Standard.objects.get_or_create(
        name=GOV_UK,
        version="2019",
        defaults={"effective_from": datetime.date(2019, 7, 1), "status": "published"},
    )
    Point.objects.filter(standard__isnull=True).update(standard=gov_uk)

    nhs, created = Standard.objects.get_or_create(
        name=NHS,
        version="1",
        defaults={"effective_from": datetime.date(2019, 7, 1), "status": "published"},
    )
    if created:
        for number, title, slug in NHS_POINTS:
            url = NHS_GUIDANCE + slug
            Point.objects.create(
                standard=nhs,
                number=number,
                title=title,
                # Points 2 and 3 share one guidance page, and a slug names one point of a standard.
                slug=f"point-{number}",
                service_manual_url=url,
                assessor_guidance=(
                    f'<p>Read <a href="{url}">the NHS service manual guidance for point {number}</a> and judge the '
                    "team's evidence in proportion to the phase and the context they work in.</p>"
                ),
            )

    standards = {GOV_UK: gov_uk, NHS: nhs}
    for order, (name, slug, stage, scope, published, standard) in enumerate(TYPES):
        AssessmentType.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "stage_suffix": stage,
                "scope": scope,
                "published": published,
                "standard": standards[standard],
                "sort_order": order,
            },
        )


def remove_content(apps, schema_editor):
    # Back to one standard of numbered points: the GOV.UK one's points stay, everything else added here goes.
    apps.get_model("cms", "AssessmentType").objects.all().delete()
    Standard = apps.get_model("cms", "ServiceStandard")
    apps.get_model("cms", "ServiceStandardPoint").objects.exclude(standard__name=GOV_UK, standard__version="2019").delete()
    Standard.objects.exclude(name=GOV_UK, version="2019").delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0004_standards_and_assessment_types")]

    operations = [migrations.RunPython(add_content, remove_content)]
