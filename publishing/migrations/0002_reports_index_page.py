from django.db import migrations


def create_reports_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    ReportIndexPage = apps.get_model("publishing", "ReportIndexPage")
    home = Page.objects.get(depth=2, content_type__app_label="cms", content_type__model="homepage")
    index_type, _ = ContentType.objects.get_or_create(app_label="publishing", model="reportindexpage")
    last_child = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path").first()
    step = 4  # treebeard's steplen for Wagtail pages
    next_number = int(last_child.path[-step:], 36) + 1 if last_child else 1
    suffix = ""
    while next_number:
        next_number, digit = divmod(next_number, 36)
        suffix = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + suffix
    ReportIndexPage.objects.create(
        title="Service assessment reports",
        draft_title="Service assessment reports",
        slug="reports",
        content_type=index_type,
        path=home.path + suffix.rjust(step, "0"),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}reports/",
        live=True,
        locale_id=home.locale_id,
        intro="<p>Reports of service assessments against the Service Standard, newest first.</p>",
    )
    home.numchild += 1
    home.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("cms", "0002_service_standard_points_and_home_page"),
    ]

    operations = [migrations.RunPython(create_reports_index, migrations.RunPython.noop)]
