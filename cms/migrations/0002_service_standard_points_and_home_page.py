from django.db import migrations

POINTS = [
    (1, "Understand users and their needs", "understand-user-needs"),
    (2, "Solve a whole problem for users", "solve-a-whole-problem"),
    (3, "Provide a joined-up experience across all channels", "join-up-across-channels"),
    (4, "Make the service simple to use", "make-the-service-simple-to-use"),
    (5, "Make sure everyone can use the service", "make-sure-everyone-can-use-the-service"),
    (6, "Have a multidisciplinary team", "have-a-multidisciplinary-team"),
    (7, "Use agile ways of working", "use-agile-ways-of-working"),
    (8, "Iterate and improve frequently", "iterate-and-improve-frequently"),
    (9, "Create a secure service which protects users' privacy", "create-a-secure-service"),
    (10, "Define what success looks like and publish performance data", "define-success-publish-performance-data"),
    (11, "Choose the right tools and technology", "choose-the-right-tools-and-technology"),
    (12, "Make new source code open", "make-new-source-code-open"),
    (13, "Use and contribute to open standards, common components and patterns", "use-common-standards-components-patterns"),
    (14, "Operate a reliable service", "operate-a-reliable-service"),
]


def add_points(apps, schema_editor):
    Point = apps.get_model("cms", "ServiceStandardPoint")
    for number, title, slug in POINTS:
        url = f"https://www.gov.uk/service-manual/service-standard/point-{number}-{slug}"
        Point.objects.update_or_create(
            number=number,
            defaults={
                "title": title,
                "slug": slug,
                "service_manual_url": url,
                "assessor_guidance": (
                    f'<p>Read <a href="{url}">the Service Manual guidance for point {number}</a> and judge the '
                    "team's evidence in proportion to the phase and the context they work in.</p>"
                ),
            },
        )


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("cms", "HomePage")
    GuidancePage = apps.get_model("cms", "GuidancePage")

    # wagtailcore's own migrations make a placeholder "Welcome" page; ours replaces it.
    Page.objects.filter(content_type__app_label="wagtailcore", content_type__model="page", depth=2).delete()
    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    guidance_type, _ = ContentType.objects.get_or_create(app_label="cms", model="guidancepage")
    root = Page.objects.get(depth=1)
    locale = apps.get_model("wagtailcore", "Locale").objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Service assessment reports",
        draft_title="Service assessment reports",
        slug="home",
        content_type=home_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=1,
        url_path="/home/",
        live=True,
        locale=locale,
        intro=(
            "<p>Services are assessed against the 14 points of the Service Standard at the end of each phase. "
            "Read the reports of past assessments, and how assessments work.</p>"
        ),
        body=[],
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    GuidancePage.objects.create(
        title="Guidance",
        draft_title="Guidance",
        slug="guidance",
        content_type=guidance_type,
        path=f"{home.path}0001",
        depth=3,
        numchild=0,
        url_path="/home/guidance/",
        live=True,
        locale=locale,
        summary="How service assessments work and what to expect from a report.",
        body=[],
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True, site_name="Service assessment reports")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(add_points, migrations.RunPython.noop),
        migrations.RunPython(create_home_page, migrations.RunPython.noop),
    ]
