"""The guidance the home page sends people to, and the pages the footer and phase banner link to, as pages the team
edits in the CMS. Made here so every database, production's included, has them from the first migrate.

A page already at a slug (made by hand, or by an earlier run) is left as it is, so running this again changes
nothing. The reverse keeps the pages: by then the team may have edited them, and removing content is a decision for
the CMS, not a rollback."""

import json
import uuid

from django.db import migrations
from django.utils import timezone

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

TEAM_EMAIL = "[the service assessment team's email address]"


def heading(text, size="l"):
    return {"type": "heading", "value": {"text": text, "size": size}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def inset(html):
    return {"type": "inset_text", "value": html}


def warning(text):
    return {"type": "warning_text", "value": text}


def bullets(*items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


SERVICE_ASSESSMENTS = {
    "slug": "service-assessments",
    "title": "Service assessments",
    "summary": "For delivery teams: what happens after your assessment, what your ratings mean and what to do next.",
    "body": [
        paragraph(
            "<p>Your service is assessed against the 14 points of the "
            '<a href="https://www.gov.uk/service-manual/service-standard">Service Standard</a> at the end of each '
            "phase. Being assessed is a condition of Cabinet Office spend approval.</p>"
        ),
        heading("Get your assessment report"),
        paragraph(
            "<p>You’ll get an email with a link to your report up to 7 days after the assessment. It goes to your "
            "product manager, delivery manager and senior responsible owner (SRO).</p>"
        ),
        heading("What the report tells you"),
        paragraph(
            "<p>The report gives each of the 14 points of the Service Standard a green, amber or red rating, and "
            "gives the whole service an overall rating. For each point, it says what your team has done well and "
            "what it needs to improve.</p>"
            "<p>The panel takes into account the context your team works in, and judges each point in proportion "
            "to the phase your service is in.</p>"
            "<p>Each point rated amber or red comes with a list of actions for your team.</p>"
        ),
        heading("What each rating means"),
        heading("Green", "m"),
        paragraph(
            "<p>Your service meets this point of the Standard. There are no actions. If all 14 points are green, "
            "your service can move to the next phase.</p>"
            "<p>Green replaces the ‘met’ rating.</p>"
        ),
        heading("Amber", "m"),
        paragraph(
            "<p>Your service can move to the next phase while you work on the amber points. The report lists "
            "actions for each amber point.</p>"
            "<p>You should complete the amber actions within 3 months of accepting the report. You must complete "
            "all of them before you book your next assessment.</p>"
            "<p>Amber replaces the ‘not met’ and ‘met with conditions’ ratings.</p>"
        ),
        heading("Red", "m"),
        paragraph(
            "<p>Your service needs to pause. Your team must complete the actions for each red point and be "
            "reassessed against those points. Your service can only move to the next phase when it meets the "
            "Service Standard.</p>"
            "<p>Red replaces the ‘not met’ rating.</p>"
        ),
        inset(
            "<p>The overall rating is red if any point is red. Otherwise it is amber if any point is amber, and "
            "green if every point is green. The lead assessor can give a different overall rating, and the report "
            "then says why.</p>"
        ),
        heading("Accept or challenge the report"),
        paragraph(
            "<p>Once the report is shared with you, your product manager or delivery manager has 10 working days to "
            "accept or challenge it. Weekends and bank holidays in England and Wales do not count.</p>"
        ),
        heading("To accept the report", "m"),
        paragraph(
            '<p><a href="/sign-in/">Sign in</a> and accept the report from your dashboard. Accepting the report '
            "publishes it straight away.</p>"
        ),
        heading("To challenge the report", "m"),
        paragraph(
            "<p>Challenge the report from your dashboard and say why. The Service Assessment Plus team will set up "
            "a meeting between your team and the panel.</p>"
            "<p>You’ll need to agree any changes to the report with the panel before you accept it.</p>"
        ),
        heading("Get reassessed"),
        paragraph(
            "<p>If any point is rated red, your service must be reassessed against those points. Only the points "
            "that were red are reassessed.</p>"
            "<p>For each red point, your team needs to:</p>"
            + bullets(
                "focus on completing the actions",
                "book a reassessment",
                "show how you’ve completed the actions and now meet the Service Standard",
            )
            + '<p>You can <a href="/bookings/">ask for an assessment or a reassessment</a> when you’re signed in.</p>'
        ),
        heading("Complete your amber actions"),
        paragraph(
            "<p>Amber actions are due 3 months after you accept the report. We’ll email you 2 weeks before they’re "
            "due, and again if they become overdue.</p>"
            "<p>You cannot book your next assessment until all your amber actions are complete.</p>"
        ),
        heading("After you accept the report"),
        paragraph(
            "<p>Your report is published as soon as you accept it, in the "
            '<a href="/reports/">reports section</a> of this website. Anyone can read it.</p>'
            "<p>If you have actions to complete before your next assessment, the panel may offer to help, for "
            "example with a follow-up call.</p>"
        ),
        heading("Tell us how your assessment went"),
        paragraph(
            "<p>The day after your assessment, we’ll email you a link to a short feedback survey. It has 3 questions "
            "and takes about 2 minutes. Your answers help us improve service assessments.</p>"
            "<p>The link is personal to you and works once.</p>"
        ),
    ],
}

WRITING_A_REPORT = {
    "slug": "writing-an-assessment-report",
    "title": "Writing an assessment report",
    "summary": "For assessors: how the panel drafts the report, rates each point and submits it.",
    "body": [
        paragraph(
            "<p>The report shows how well the service meets each of the 14 points of the "
            '<a href="https://www.gov.uk/service-manual/service-standard">Service Standard</a>.</p>'
            "<p>For each point, give feedback and a red, amber or green (RAG) rating. The report also gives the "
            "service an overall rating. The lead assessor is responsible for the overall rating.</p>"
        ),
        heading("Draft the report together"),
        paragraph(
            "<p>During the assessment, work with the rest of the panel to gather your findings for each point, and "
            "any actions for the team.</p>"
            "<p>Do this in a way that suits you, for example in a shared document or your panel’s chat, before you "
            "add your final notes to the report.</p>"
            "<p>Everyone on the panel can edit the draft report in this service: "
            '<a href="/sign-in/">sign in</a> and open it from your dashboard. If someone else saves the report '
            "while you’re editing it, you’ll see their version beside yours, and your text is kept.</p>"
        ),
        heading("Rate each point"),
        paragraph(
            "<p>For each point, write:</p>"
            + bullets("what the team has done well", "what the team needs to improve, and why it matters")
            + "<p>Then give the point a rating. Take into account the context the team works in, and judge its "
            "evidence in proportion to the phase.</p>"
            "<p>Red, amber and green ratings replace ‘met’ and ‘not met’.</p>"
        ),
        heading("Green", "m"),
        paragraph("<p>The service meets this point. Do not add actions to a green point.</p>"),
        heading("Amber", "m"),
        paragraph(
            "<p>The service can move to the next phase, but the team must complete the actions within 3 months, "
            "and before it books its next assessment. Add at least one action.</p>"
        ),
        heading("Red", "m"),
        paragraph(
            "<p>The service must pause and be reassessed against this point before it can move to the next phase "
            "and get spend approval. Add at least one action.</p>"
        ),
        paragraph(
            "<p>Write each action so the team knows what to do and how to show it has been done. Service Standard "
            "points are described in the Service Manual: each point in the report form links to its guidance.</p>"
        ),
        heading("Reassessments", "m"),
        paragraph("<p>At a reassessment, you rate only the points that were red at the last assessment.</p>"),
        heading("Give the overall rating"),
        paragraph(
            "<p>The lead assessor gives the overall rating. The report form suggests one from the points:</p>"
            + bullets(
                "red if any point is red",
                "otherwise amber if any point is amber",
                "otherwise green",
            )
            + "<p>If you give a different overall rating, say why. The reason is part of the report.</p>"
        ),
        heading("Submit the report"),
        paragraph(
            "<p>The lead assessor reviews the report and submits it to the service assessment team. You can submit "
            "it when:</p>"
            + bullets(
                "every point is rated",
                "every amber and red point has at least one action",
                "no green point has an action",
                "there is an overall rating, with a reason if it differs from the suggested one",
            )
            + "<p>The delivery team should get the report within 7 days of the assessment, so submit it in good "
            "time for the service assessment team to check it.</p>"
        ),
        heading("What happens next"),
        paragraph(
            "<p>The service assessment team checks the report. If something needs changing, they return it to the "
            "lead assessor with a comment. Otherwise, they share it with the delivery team.</p>"
            "<p>The delivery team then has 10 working days to accept or challenge the report. When they accept it, "
            "it is published.</p>"
            "<p>If the team has actions to complete before its next assessment, it may get in touch with the panel, "
            "for example for a follow-up call or advice on a workshop.</p>"
            "<p>If the team challenges the report, or asks what a point in it means, the Service Assessment Plus "
            "team sets up a meeting with the panel. Any changes are agreed with the delivery team before the report "
            "is published.</p>"
            "<p>The day after the assessment, everyone on the panel is emailed a link to a short feedback survey.</p>"
            '<p>Read <a href="/guidance/service-assessments/">what the delivery team is told about assessments</a>, '
            'and <a href="/reports/">reports from earlier assessments</a>.</p>'
        ),
    ],
}

ACCESSIBILITY_STATEMENT = {
    "slug": "accessibility-statement",
    "title": "Accessibility statement",
    "summary": "How accessible this website is, and what to do if you have a problem using it.",
    "body": [
        paragraph(
            "<p>This statement applies to the Service assessment reports website. It is run by the service "
            "assessment team. We want as many people as possible to be able to use it. For example, you should be "
            "able to:</p>"
            + bullets(
                "change colours, contrast levels and fonts using browser or device settings",
                "zoom in up to 400% without the text spilling off the screen",
                "use the whole website using just a keyboard",
                "use the whole website using speech recognition software",
                "listen to the whole website using a screen reader",
            )
            + "<p>We’ve also made the text as simple as possible to understand.</p>"
            '<p><a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a> has advice on making your device easier '
            "to use if you have a disability.</p>"
        ),
        heading("How accessible this website is"),
        paragraph(
            "<p>The website uses the GOV.UK Design System, and every change is checked with automated accessibility "
            "tests. We do not know of any part of it that is not accessible. If you find one, please tell us.</p>"
        ),
        heading("Feedback and contact information"),
        paragraph(
            "<p>If you find a problem, or you need information on this website in a different format, such as "
            f"accessible PDF, large print, easy read, audio recording or braille, email {TEAM_EMAIL}.</p>"
            "<p>We’ll consider your request and get back to you within 5 working days.</p>"
        ),
        heading("Enforcement procedure"),
        paragraph(
            "<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector "
            "Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the ‘accessibility "
            "regulations’). If you’re not happy with how we respond to your complaint, contact the "
            '<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service (EASS)</a>.</p>'
        ),
        heading("Technical information about this website’s accessibility"),
        paragraph(
            "<p>We are committed to making this website accessible, in accordance with the Public Sector Bodies "
            "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>"
            "<p>We aim to meet the Web Content Accessibility Guidelines version 2.2 AA standard. The website has not "
            "yet been audited by accessibility specialists; we’ll update this statement when it has.</p>"
        ),
        heading("Preparation of this statement"),
        paragraph(
            "<p>This statement was prepared when the website was launched. It was last reviewed when the website "
            "was launched.</p>"
        ),
    ],
}

PRIVACY_NOTICE = {
    "slug": "privacy-notice",
    "title": "Privacy notice",
    "summary": "What personal data this service holds, why, and your rights.",
    "body": [
        paragraph(
            "<p>This notice explains how the service assessment team uses personal data in the Service assessment "
            "reports service. The department running the service is the data controller.</p>"
        ),
        heading("The personal data we hold"),
        paragraph(
            "<p>We hold the names and work email addresses of:</p>"
            + bullets(
                "assessors who sit on assessment panels",
                "members of the delivery teams of assessed services, such as product managers, delivery managers "
                "and senior responsible owners",
                "the service assessment team and the Service Assessment Plus team",
            )
            + "<p>We also keep:</p>"
            + bullets(
                "what you write in the service, such as reports, challenges and comments, with who wrote it and when",
                "your answers to the feedback survey, with the assessment they are about",
                "a record of the emails we send you",
                "the internet address a sign-in attempt came from, when the password was wrong",
            )
        ),
        heading("Why we hold it"),
        paragraph(
            "<p>We use this data to run service assessments: to let you sign in, to email you about reports and "
            "deadlines, to keep a record of who changed what, and to improve assessments.</p>"
            "<p>Our lawful basis is that we need it to perform a task in the public interest: assessing government "
            "services against the Service Standard.</p>"
            "<p>Published reports name the service and its department. They do not name the panel or the delivery "
            "team.</p>"
        ),
        heading("Who we share it with"),
        paragraph(
            '<p>We send emails through <a href="https://www.notifications.service.gov.uk/">GOV.UK Notify</a>, which '
            "processes your name and email address for us. We do not share your data with anyone else, and we do "
            "not use it for marketing.</p>"
        ),
        heading("How long we keep it"),
        paragraph(
            "<p>We keep your account while you take part in assessments. Reports and their history are kept as a "
            "record of government decisions. When you no longer need an account, ask us to remove it.</p>"
        ),
        heading("Your rights"),
        paragraph(
            "<p>You have the right to:</p>"
            + bullets(
                "know what data we hold about you and get a copy of it",
                "ask us to correct it",
                "ask us to delete it or to stop using it, where the law allows",
                "object to how we use it",
            )
            + f"<p>To ask about any of these, email {TEAM_EMAIL}.</p>"
        ),
        heading("Complaints"),
        paragraph(
            "<p>If you’re not happy with how we use your data, contact us first. You can also complain to the "
            '<a href="https://ico.org.uk/make-a-complaint/">Information Commissioner’s Office (ICO)</a>.</p>'
        ),
    ],
}

COOKIES = {
    "slug": "cookies",
    "title": "Cookies",
    "summary": "The cookies this website uses.",
    "body": [
        paragraph(
            "<p>Cookies are small files saved on your phone, tablet or computer when you visit a website.</p>"
            "<p>We only use cookies that this website needs to work. We do not use cookies to collect analytics or "
            "to track you, so we do not ask you to accept cookies.</p>"
            "<p>If you only read reports and guidance, we do not set any cookies.</p>"
        ),
        heading("Essential cookies"),
        heading("sessionid", "m"),
        paragraph("<p>Keeps you signed in. It expires when you sign out, or after 2 weeks.</p>"),
        heading("csrftoken", "m"),
        paragraph(
            "<p>Protects the forms you fill in from being sent by another website pretending to be you. It expires "
            "after 1 year.</p>"
        ),
        heading("messages", "m"),
        paragraph(
            "<p>Shows you a message after you do something, such as saving a report. It is deleted once you have "
            "seen the message.</p>"
        ),
    ],
}

FEEDBACK = {
    "slug": "feedback",
    "title": "Give feedback on this service",
    "summary": "Help us improve service assessments and this website.",
    "body": [
        heading("If you took part in an assessment"),
        paragraph(
            "<p>The day after an assessment, we email everyone on the panel and the delivery team a link to a short "
            "feedback survey. It has 3 questions and takes about 2 minutes.</p>"
            "<p>Use the link in that email. It is personal to you, so your answers are tied to your assessment, and "
            "it works once.</p>"
        ),
        heading("Anything else"),
        paragraph(
            "<p>To tell us about a problem with this website, or anything else about service assessments or the "
            f"reports, email {TEAM_EMAIL}.</p>"
        ),
    ],
}

GUIDANCE = [SERVICE_ASSESSMENTS, WRITING_A_REPORT]
UNDER_HOME = [ACCESSIBILITY_STATEMENT, PRIVACY_NOTICE, COOKIES, FEEDBACK]


def _with_ids(body):
    return [{**block, "id": str(uuid.uuid4())} for block in body]


def _child_path(Page, parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEPLEN, "0")


def _revision_content(page, body_json, content_type_id, now):
    """What Wagtail stores for a page revision, so the editor opens these pages like any other."""
    stamp = now.isoformat()
    return {
        "pk": page.pk,
        "path": page.path,
        "depth": page.depth,
        "numchild": page.numchild,
        "translation_key": str(page.translation_key),
        "locale": page.locale_id,
        "latest_revision": None,
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": stamp,
        "last_published_at": stamp,
        "live_revision": None,
        "go_live_at": None,
        "expire_at": None,
        "expired": False,
        "locked": False,
        "locked_at": None,
        "locked_by": None,
        "title": page.title,
        "draft_title": page.draft_title,
        "slug": page.slug,
        "content_type": content_type_id,
        "url_path": page.url_path,
        "owner": None,
        "seo_title": "",
        "show_in_menus": False,
        "search_description": "",
        "latest_revision_created_at": stamp,
        "alias_of": None,
        "summary": page.summary,
        "body": body_json,
        "wagtail_admin_comments": [],
    }


def _add_guidance_page(apps, parent, spec):
    """The page at `spec["slug"]` under `parent`: the one already there, or a new live page with its revision."""
    Page = apps.get_model("wagtailcore", "Page")
    existing = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, slug=spec["slug"]).first()
    if existing is not None:
        return existing
    ContentType = apps.get_model("contenttypes", "ContentType")
    GuidancePage = apps.get_model("cms", "GuidancePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    guidance_type, _ = ContentType.objects.get_or_create(app_label="cms", model="guidancepage")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    now = timezone.now()
    body_json = json.dumps(_with_ids(spec["body"]))
    page = GuidancePage.objects.create(
        title=spec["title"],
        draft_title=spec["title"],
        slug=spec["slug"],
        content_type=guidance_type,
        path=_child_path(Page, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{spec['slug']}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        latest_revision_created_at=now,
        locale_id=parent.locale_id,
        summary=spec["summary"],
        body=body_json,
    )
    revision = Revision.objects.create(
        content_type=guidance_type,
        base_content_type=page_type,
        object_id=str(page.pk),
        created_at=now,
        object_str=page.title,
        content=_revision_content(page, body_json, guidance_type.pk, now),
    )
    GuidancePage.objects.filter(pk=page.pk).update(latest_revision=revision, live_revision=revision)
    Page.objects.filter(pk=parent.pk).update(
        numchild=Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count()
    )
    parent.refresh_from_db()
    return page


def _home_page(apps):
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("cms", "HomePage")
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    home = HomePage.objects.filter(pk=site.root_page_id).first() if site else None
    return home or HomePage.objects.order_by("path").first()


def create_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    home = _home_page(apps)
    if home is None:
        return
    home = Page.objects.get(pk=home.pk)
    guidance = _add_guidance_page(
        apps,
        home,
        {
            "slug": "guidance",
            "title": "Guidance",
            "summary": "How service assessments work and what to expect from a report.",
            "body": [],
        },
    )
    guidance = Page.objects.get(pk=guidance.pk)
    for spec in GUIDANCE:
        _add_guidance_page(apps, guidance, spec)
    for spec in UNDER_HOME:
        _add_guidance_page(apps, Page.objects.get(pk=home.pk), spec)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_service_standard_points_and_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_pages, migrations.RunPython.noop),
    ]
