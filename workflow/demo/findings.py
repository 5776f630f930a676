"""What the demo's panels found, point by point, written the way real panels write: specific to the service, its
users and its phase ("The team tested with 42 anglers, 9 of them with access needs"), never "clear evidence for
point 1".

Each point has several findings of each kind. A report picks its own by `variant` and fills them in with its
service's `Setting` and numbers of its own, so no two demo reports read the same."""

import random
from dataclasses import dataclass

from workflow.models import Phase, Rating


@dataclass(frozen=True)
class Setting:
    """What a panel would know about a service after a day with its team, for the findings to name."""

    who: str  # the users, as a plural: "anglers"
    who_also: str  # the other people the service changes things for: "licensing officers"
    task: str  # what users come to do: "buy a fishing licence"
    offline: str  # the other way of doing it: "buying a licence at a Post Office counter"
    support: str  # who helps people who get stuck
    partner: str  # who else shapes the journey
    legacy: str  # the system the service depends on and cannot change
    stack: str
    hosting: str
    common: str  # the common components it uses
    login: str
    measure: str  # what success means for it
    data: str  # the personal data it holds, as a plural
    tricky: str  # the question users find hardest
    pattern: str  # the design problem it worked on
    peak: str  # when most people use it at once
    out_of_scope: str  # what the team decided not to do yet


@dataclass(frozen=True)
class Finding:
    text: str
    stage: str = ""  # "early": discovery and alpha only; "late": beta and live only; "": any phase
    # Findings about the same thing, one praising it and one finding it wanting, never go in one report together.
    topic: str = ""


def early(text: str, topic: str = "") -> Finding:
    return Finding(text, "early", topic)


def late(text: str, topic: str = "") -> Finding:
    return Finding(text, "late", topic)


def on(topic: str, text: str) -> Finding:
    return Finding(text, topic=topic)


@dataclass(frozen=True)
class PointFindings:
    done_well: tuple[Finding | str, ...]
    to_improve: tuple[Finding | str, ...]
    actions: tuple[Finding | str, ...]


@dataclass(frozen=True)
class Written:
    """What a panel wrote about one point."""

    done_well: str
    to_improve: str = ""
    actions: tuple[str, ...] = ()


EARLY_PHASES = {Phase.DISCOVERY, Phase.ALPHA}
THING = {Phase.DISCOVERY: "the ideas it tested", Phase.ALPHA: "the prototype"}
SINCE = {
    Phase.DISCOVERY: "since the discovery began",
    Phase.ALPHA: "since discovery",
    Phase.PRIVATE_BETA: "since the alpha assessment",
    Phase.PUBLIC_BETA: "since the private beta opened",
    Phase.LIVE: "since the public beta opened",
}
NEXT_STEP = {
    Phase.DISCOVERY: "moving to alpha",
    Phase.ALPHA: "moving to beta",
    Phase.PRIVATE_BETA: "opening the public beta",
    Phase.PUBLIC_BETA: "going live",
    Phase.LIVE: "the next live assessment",
}

POINTS: dict[int, PointFindings] = {
    1: PointFindings(
        done_well=(
            "The team has carried out {rounds} rounds of research with {participants} {who}, {access_needs} of them "
            "with access needs, and could show how each round changed {thing}.",
            on(
                "others",
                "The team has spoken to {who_also} as well as {who}, and keeps the needs of both on one journey map "
                "that the whole team uses to plan its work.",
            ),
            "The personas of {who} are grounded in evidence: each links to the research sessions behind it, and the team "
            "dropped one when later research stopped supporting it.",
            "Research is a team sport here: the developers and the product manager have each observed at least "
            "{observed} research sessions with {who} {since}.",
            early(
                "The team recruited {who} through {partner} as well as a recruitment agency, which brought in people "
                "the department has never heard from before."
            ),
            late(
                "The team goes on learning from real use: it reviews feedback from {who} every sprint and follows up "
                "the themes with research."
            ),
        ),
        to_improve=(
            on(
                "confident",
                "The team has mostly recruited {who} who are confident online. It needs to hear from people who would "
                "otherwise rely on {offline}.",
            ),
            on(
                "others",
                "Research so far has been with {who}; the team has not yet spoken to {who_also}, whose work changes "
                "when the service changes.",
            ),
            "Findings are kept in slide decks that are hard to search. A research library would help insights "
            "survive changes to the team.",
        ),
        actions=(
            on(
                "confident",
                "Carry out a round of research with {who} who currently rely on {offline}, and show what changed as a "
                "result.",
            ),
            on("others", "Plan research with {who_also} and add their needs to the journey map."),
        ),
    ),
    2: PointFindings(
        done_well=(
            on(
                "journey",
                "The team has mapped the whole journey, from when {who} first find out they need to {task} to when "
                "they get an outcome, and knows which parts are outside its control.",
            ),
            "The team has worked with {partner} to understand where {who} get stuck before they reach GOV.UK, and "
            "has agreed which guidance will change.",
            "The service name, “{name}”, uses the words {who} used in research, and the team tested it against two "
            "alternatives.",
            "The team has a clear, evidenced scope: it decided not to {out_of_scope} in this phase, and explained why.",
        ),
        to_improve=(
            on(
                "journey",
                "The journey map stops at the confirmation page. The team needs to understand what happens to {who} "
                "after that, including how long they wait and how they hear the outcome.",
            ),
            on(
                "owner",
                "It is not clear who owns the problem end to end: decisions about {legacy} are made by another team, and "
                "that slows this one down.",
            ),
            early(
                "The team has looked at one way of solving the problem. It should test at least one riskier idea "
                "before settling on this one."
            ),
        ),
        actions=(
            on(
                "journey",
                "Extend the journey map past the confirmation page, and agree with {who_also} who owns each step.",
            ),
            on("owner", "Agree an owner for the end-to-end journey, and record which decisions sit with other teams."),
        ),
    ),
    3: PointFindings(
        done_well=(
            on(
                "support",
                "The team has worked with {support} so that staff see what {who} see online, and staff took part in "
                "the research.",
            ),
            "{who_also_cap} took part in design sessions, and the team changed the screens they use after watching "
            "them at work.",
            on(
                "offline",
                "There is a clear route for people who cannot use the online service: {offline} stays, and the team "
                "has tested the guidance that points to it.",
            ),
        ),
        to_improve=(
            on("offline", "The team has not yet looked at {offline}, and does not know how many people use it or why."),
            late(
                "Staff at {support} were not told about the last two releases; the team needs a way to keep them up "
                "to date.",
                "support",
            ),
            on(
                "letters",
                "Emails and letters sent to {who} have not been reviewed alongside the online journey, and some use "
                "different words for the same thing.",
            ),
        ),
        actions=(
            on("offline", "Test {offline} with at least 5 people who use it, and share what was found with {support}."),
            on(
                "letters",
                "Review every letter, email and text message sent during the journey and make the words match the "
                "online service.",
            ),
        ),
    ),
    4: PointFindings(
        done_well=(
            on(
                "design system",
                "The team uses the GOV.UK Design System and tested {thing} with {participants} {who}; {completion}% "
                "finished the journey unaided in the last round.",
            ),
            "Question pages follow the one-thing-per-page pattern, and the team removed {removed} questions after "
            "research showed the answers could be found in {legacy}.",
            on(
                "wording",
                "The content designer rewrote the guidance in plain English, and tested the words {who} use for {tricky}.",
            ),
            "The team has tested the start page, the confirmation page and the emails {who} get, not only the form.",
        ),
        to_improve=(
            on(
                "wording",
                "Several participants misread the question about {tricky}. The team should test other wording "
                "before {next_step}.",
            ),
            on(
                "mobile",
                "The team has not tested on mobile phones, though {mobile}% of visits to the current guidance come from "
                "them.",
            ),
            on(
                "design system",
                "Error messages do not follow the Design System pattern, and several just say “Invalid input”.",
            ),
        ),
        actions=(
            on("wording", "Test other wording for the question about {tricky}, and show the results."),
            on("mobile", "Test the whole journey on mobile phones with at least 5 {who}."),
            on(
                "design system",
                "Rewrite the error messages following the GOV.UK Design System's guidance, and test them.",
            ),
        ),
    ),
    5: PointFindings(
        done_well=(
            on(
                "assistive technology",
                "The team tested with {access_needs} {who} with access needs, including screen reader, screen "
                "magnifier and voice control users, and fixed what they found.",
            ),
            late(
                "An accessibility audit by the department's central team found {audit_issues} issues; all but "
                "{open_issues} are fixed, and the rest are listed in the accessibility statement.",
                "statement",
            ),
            on(
                "assisted digital",
                "The team has planned assisted digital support: {support} can complete the journey with people over "
                "the phone, and this has been tested.",
            ),
            on(
                "assistive technology",
                "Developers check each change with a screen reader, and automated accessibility checks run on every "
                "pull request to the {stack} code.",
            ),
            "The team chose GOV.UK Design System components for every page, and checked the few custom ones, such as "
            "the one for {pattern}, against WCAG 2.2 AA with the department's accessibility specialist.",
        ),
        to_improve=(
            on(
                "assistive technology",
                "The team has not yet tested with users of assistive technology, and has no plan to.",
            ),
            late("The service has no accessibility statement yet.", "statement"),
            on(
                "assisted digital",
                "The team does not know how many {who} need help to use an online service, or who will give it.",
            ),
        ),
        actions=(
            on(
                "statement",
                "Commission an accessibility audit before {next_step}, and publish an accessibility statement.",
            ),
            on(
                "assistive technology",
                "Test with at least 5 users of assistive technology, including screen reader users, and fix what they "
                "find.",
            ),
            on(
                "assisted digital",
                "Find out how many {who} need help to go online, and agree with {support} how it will be given.",
            ),
        ),
    ),
    6: PointFindings(
        done_well=(
            on(
                "roles",
                "The team has every role the Service Manual describes for this phase, including a full-time user "
                "researcher and a content designer who has written for {who} before.",
            ),
            on(
                "contractors",
                "The team behind “{name}” is a stable mix of civil servants and supplier staff who share knowledge by pairing; "
                "{hires} civil servant developers have joined this year.",
            ),
            "The service owner comes to show and tells and has the authority to make decisions about the whole "
            "service, {legacy} included.",
            "Everyone on the team, developers included, has spent a day with {who_also} to see the service from their "
            "side.",
        ),
        to_improve=(
            on(
                "roles",
                "The team has had no content designer for {gap} weeks, and the developers have been writing the content.",
            ),
            on(
                "contractors",
                "Most of the team are contractors whose contracts end soon after {next_step}, and there is no plan "
                "for handing over.",
            ),
            on(
                "roles",
                "The performance analyst is shared with three other services and has had little time for this one.",
            ),
        ),
        actions=(
            on(
                "roles",
                "Recruit a content designer, or agree cover from the department's content community, before {next_step}.",
            ),
            on(
                "contractors",
                "Write a plan, with dates, for handing knowledge over from contractors to permanent staff.",
            ),
        ),
    ),
    7: PointFindings(
        done_well=(
            "The team works in {sprint}-week sprints with retrospectives, and showed how one of them changed the way it "
            "plans research with {who}.",
            "Show and tells every fortnight are open to {who_also}, and recorded for those who cannot come.",
            on(
                "planning",
                "The product manager keeps one backlog, prioritised against what research with {who} found and the "
                "service's goals.",
            ),
        ),
        to_improve=(
            on(
                "governance",
                "Governance still asks for a full business case at every stage; the team should agree a lighter "
                "approach with the service owner.",
            ),
            on(
                "planning",
                "The roadmap does not look beyond the next three sprints, so {who_also} cannot plan around it.",
            ),
        ),
        actions=(
            on(
                "governance",
                "Agree with the service owner a way of governing the service that fits agile delivery, and show it.",
            ),
        ),
    ),
    8: PointFindings(
        done_well=(
            "The team has changed {thing} {iterations} times {since}, and could show what changed "
            "each time and what {who} said that led to it.",
            "The team keeps a design history with the research behind each change, including the ideas for {pattern} "
            "it dropped.",
            late(
                "The team releases to production {releases}, with larger changes behind feature flags, so {who} never see half-finished work."
            ),
            early(
                "The team tested paper sketches before building anything, then threw away two prototypes that did "
                "not work for {who}."
            ),
        ),
        to_improve=(
            on(
                "after",
                "Most changes have been to the question pages; the team has not yet iterated the confirmation and "
                "status pages.",
            ),
            late("The team is not yet using analytics to find where {who} drop out.", "feedback"),
            on("feedback", "The team has no way yet to hear from {who} once they have used the service."),
        ),
        actions=(
            on("feedback", "Set up analytics and a feedback route, and use them to choose the next changes."),
            on("after", "Iterate the confirmation and status pages, using research with {who}."),
        ),
    ),
    9: PointFindings(
        done_well=(
            on(
                "dpia",
                "The team did threat modelling with the department's security team, covering the {data} it holds, and "
                "the data protection impact assessment is signed off by the data protection officer.",
            ),
            on(
                "retention",
                "Personal data is kept only as long as needed: the team agreed with the information asset owner to "
                "keep {data} no longer than {retention}.",
            ),
            "The team uses {login} rather than building its own sign-in, and has worked through the risks of fraud "
            "with {data} with the counter-fraud team.",
            late(
                "An IT health check of the {stack} service found no critical issues, and the two high ones are fixed.",
                "health check",
            ),
        ),
        to_improve=(
            on(
                "dpia",
                "The data protection impact assessment is still a draft and does not cover the data shared with "
                "{legacy}.",
            ),
            late("The team has not yet had an IT health check.", "health check"),
            on("retention", "The team has not decided how long to keep {data}."),
        ),
        actions=(
            on(
                "dpia", "Finish the data protection impact assessment and have the data protection officer sign it off."
            ),
            on(
                "health check",
                "Commission an IT health check and fix its critical and high findings before {next_step}.",
            ),
            on(
                "retention",
                "Agree with the information asset owner how long {data} are kept, and delete them after that.",
            ),
        ),
    ),
    10: PointFindings(
        done_well=(
            on("measure", "The team has defined success as {measure}, and has a baseline from the current service."),
            late(
                "The team reports cost per transaction, user satisfaction, completion rate and digital take-up on a "
                "dashboard the service owner reviews weekly, with {measure}.",
                "publish",
            ),
            on(
                "analytics",
                "A performance analyst has set up analytics with consent, and the team has already used the data to "
                "move the question about {tricky} earlier.",
            ),
            "The team shows what it has learned from the numbers it has at every show and tell, which {who_also} attend.",
        ),
        to_improve=(
            on("measure", "The team has not agreed how it will measure {measure}, or what to compare it with."),
            late("The team does not yet publish any performance data.", "publish"),
            on("analytics", "Analytics count page views but not where {who} drop out."),
        ),
        actions=(
            on(
                "measure",
                "Agree the measures of success with the service owner, with a baseline for each, and show how they will "
                "be collected.",
            ),
            late(
                "Publish performance data for the service, including completion rate and user satisfaction.", "publish"
            ),
        ),
    ),
    11: PointFindings(
        done_well=(
            "The team chose {stack}, which the department already supports, and hosts the service on {hosting}.",
            on(
                "costs",
                "The team explained clearly why it built the {stack} front end but bought the payments and case management "
                "parts, and what each will cost to run.",
            ),
            late(
                "Every change goes through a pipeline with automated tests; a change reaches production about "
                "{deploy_minutes} minutes after it is merged."
            ),
            early(
                "The technical spikes answered the riskiest question first: whether {legacy} can be reached through "
                "an API."
            ),
        ),
        to_improve=(
            on(
                "legacy",
                "The service depends on {legacy}, which the team cannot change. It needs a plan for when that system is "
                "replaced.",
            ),
            on("costs", "The team has not costed running the service once the supplier's contract ends."),
        ),
        actions=(
            on(
                "legacy",
                "Write down the dependency on {legacy}, its risks, and how the service will cope if it changes.",
            ),
        ),
    ),
    12: PointFindings(
        done_well=(
            on(
                "open",
                "The {stack} code is in the open on GitHub under the MIT licence, and the team checks every commit for "
                "secrets.",
            ),
            on(
                "open",
                "The team has coded in the open from the start, with a README that explains how to run the service "
                "locally with test data for {who}.",
            ),
            "Developers review each other's changes, and automated scanning keeps secrets, and personal data such as "
            "{data}, out of the repository.",
            "The team has agreed with the department's security team which parts of the code must stay private: "
            "the fraud rules and nothing else, not even the {stack} code around them.",
        ),
        to_improve=(
            on("open", "The code is still in a private repository; the team plans to open it “once it is tidier”."),
            on("open", "Code that is not sensitive, such as the front end, is held back along with the fraud rules."),
        ),
        actions=(
            on(
                "open",
                "Open the source code, keeping only configuration and fraud rules private, and explain what is private "
                "and why.",
            ),
        ),
    ),
    13: PointFindings(
        done_well=(
            on(
                "components",
                "The service uses {common} rather than building its own, so {who} meet pages they know from other services.",
            ),
            on("sharing", "The team shared its research on {pattern} on the GOV.UK Design System backlog."),
            "Data is exchanged with {legacy} through an API that follows the government's API technical and data "
            "standards.",
        ),
        to_improve=(
            on(
                "components",
                "The team built its own address lookup instead of using the Ordnance Survey Places API available "
                "under the Public Sector Geospatial Agreement.",
            ),
            on(
                "sharing",
                "The team has not shared what it learned about {tricky} with the cross-government design community.",
            ),
        ),
        actions=(
            on("sharing", "Share the team's research on {tricky} on the GOV.UK Design System backlog."),
            on(
                "components",
                "Replace the bespoke address lookup with the Ordnance Survey Places API, or explain why it cannot.",
            ),
        ),
    ),
    14: PointFindings(
        done_well=(
            late(
                "The service has been available {uptime}% of the time in the last 3 months, with alerts that reach "
                "the developer on call and {support}.",
                "support",
            ),
            late("The team has load tested the service at {load} times the expected peak, around {peak}.", "peak"),
            "There is a plan for when {legacy} is unavailable: people can still finish what they came to do, and are "
            "told when to expect an answer.",
            early(
                "The team has already talked to the live service team about support, and knows the busiest time "
                "will be {peak}.",
                "peak",
            ),
        ),
        to_improve=(
            on("support", "There is no out-of-hours support yet, though the service will be open at any time of day."),
            late("The team has not tested restoring the service from a backup.", "backup"),
            on(
                "peak",
                "The team has not planned for {peak}, when more {who} will use the service at once than at any other "
                "time.",
            ),
        ),
        actions=(
            on(
                "support",
                "Agree the support model, out of hours included, with the live service team before {next_step}.",
            ),
            late("Test restoring the service from a backup, and write down how long it takes.", "backup"),
            late("Load test the service at twice the expected peak and fix what fails.", "peak"),
        ),
    ),
}

RED_FIRST = "The service must be reassessed on this point before {next_step}."


def _numbers(key: str) -> dict[str, object]:
    """A report's own numbers, the same every time the demo is loaded."""
    rng = random.Random(key)  # noqa: S311 (demo text, not a secret)
    return {
        "rounds": rng.randint(3, 9),
        "participants": rng.randint(18, 64),
        "access_needs": rng.randint(5, 12),
        "observed": rng.randint(3, 8),
        "completion": rng.randint(78, 96),
        "removed": rng.randint(3, 9),
        "mobile": rng.randint(55, 78),
        "audit_issues": rng.randint(8, 23),
        "open_issues": rng.randint(1, 3),
        "hires": rng.choice(["two", "three"]),
        "gap": rng.randint(4, 10),
        "sprint": rng.choice([1, 2, 2]),
        "iterations": rng.randint(6, 19),
        "releases": rng.choice(["several times a week", "most days", "at least once a week"]),
        "retention": rng.choice(["2 years", "6 years", "14 months"]),
        "deploy_minutes": rng.randint(12, 40),
        "uptime": rng.choice(["99.95", "99.9", "99.97"]),
        "load": rng.choice(["2", "3", "4"]),
    }


def _eligible(findings: tuple[Finding | str, ...], phase: str, *, avoiding: set[str] = frozenset()) -> list[Finding]:
    stage = "early" if phase in EARLY_PHASES else "late"
    found = [Finding(f) if isinstance(f, str) else f for f in findings]
    return [f for f in found if f.stage in ("", stage) and not (f.topic and f.topic in avoiding)]


def _pick(findings: list[Finding], start: int, count: int) -> list[Finding]:
    return [findings[(start + offset) % len(findings)] for offset in range(min(count, len(findings)))]


def _topics(findings: list[Finding]) -> set[str]:
    return {f.topic for f in findings if f.topic}


def write(setting: Setting, *, service: str, phase: str, number: int, rating: str, variant: int) -> Written:
    """What a panel wrote about one point of one report. `variant` picks the findings: two reports of one service whose
    variants are 7 apart never pick the same ones for a point, as no point has 7 of a kind."""
    values = {
        **setting.__dict__,
        **_numbers(f"{service}/{phase}/{variant}"),
        "who_also_cap": setting.who_also[:1].upper() + setting.who_also[1:],
        "name": service,
        "thing": THING.get(phase, "the service"),
        "next_step": NEXT_STEP[phase],
        "since": SINCE[phase],
    }
    point = POINTS[number]
    start = variant + number
    if rating == Rating.GREEN:
        done_well = _pick(_eligible(point.done_well, phase), start, 2)
        # Panels still say what could be better on a green point, though not on every one.
        wanting = _eligible(point.to_improve, phase, avoiding=_topics(done_well))
        to_improve = _pick(wanting, start, 1) if wanting and (variant + number) % 3 == 0 else []
        actions = []
    else:
        # The gaps come first, as they decide the rating; the praise must not contradict them.
        to_improve = _pick(_eligible(point.to_improve, phase), start, 2)
        done_well = _pick(_eligible(point.done_well, phase, avoiding=_topics(to_improve)), start, 2)
        # The actions answer the gaps found, where the findings have one for them.
        possible = _eligible(point.actions, phase)
        gaps = _topics(to_improve)
        possible = [f for f in possible if f.topic in gaps] + [f for f in possible if f.topic not in gaps]
        actions = possible[: 2 if rating == Rating.RED else 1]
        if rating == Rating.RED:
            to_improve = [Finding(RED_FIRST), *to_improve]
    return Written(
        done_well="\n".join(f.text for f in done_well).format(**values),
        to_improve="\n".join(f.text for f in to_improve).format(**values),
        actions=tuple(f.text.format(**values) for f in actions),
    )
