"""Fictional discussions for the demo hub, added by ``seed_demo`` (see its docstring for the hook).

The hub's forum with three topics (one pinned welcome from the coordinator), and comments on a few
demo projects' threads, by the demo accounts of the other demo modules and three more fictional
people. The demo shows a reply with an @mention, an edited comment (its earlier version kept for
moderators) and a comment with an open report waiting in the coordinator's moderation queue.

Written directly rather than through ``discussions.services``: the rate limits would make a seed
wait between comments, and the demo must not publish events or notify anyone. Each change still
takes its thread's next sequence number, as the services do, so live updates resume correctly
from the demo data. Everything says "fiktiv"; addresses use the reserved ``.example`` domain and
the extra people cannot log in.

Idempotent: a topic is looked up by its title in the hub, and a project thread that already has
comments is left alone.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from wagtail.models import Site

from cms.management.commands.seed_demo import COORDINATOR_EMAIL, RESIDENT_EMAIL
from cms.models import HubPage, NavigationSettings
from discussions.hub_hooks import forum_ensure
from discussions.models import (
    ChangeType,
    Comment,
    CommentReport,
    CommentRevision,
    ForumIndexPage,
    ReportReason,
    Thread,
)
from discussions.rendering import Mentionable, render_comment
from discussions.services import project_thread_ensure
from partners.demo import CONTACT_EMAIL
from projects.models import ProjectPage

# Three more fictional people, besides the demo coordinator, resident and partner contact.
PEOPLE = {
    "sigrid": ("sigrid.fjellheim@fjordvik.example", "Sigrid Fjellheim (fiktiv)"),
    "jonas": ("jonas.bakke@fjordvik.example", "Jonas Bakke (fiktiv)"),
    "amina": ("amina.haugen@fjordvik.example", "Amina Haugen (fiktiv)"),
}
# People the other demo modules make (skipped if a module did not run).
OTHERS = {"kari": COORDINATOR_EMAIL, "ola": RESIDENT_EMAIL, "per": CONTACT_EMAIL}


@dataclass(frozen=True)
class Line:
    """One comment: who, what, how many hours ago, and what happened to it afterwards."""

    who: str
    text: str
    hours_ago: float
    reply_to: int | None = None  # index of an earlier line in the same thread
    earlier_text: str | None = None  # the comment was edited: this was its first wording
    reported_by: str | None = None  # someone reported it (an open report)
    report_note: str = ""


@dataclass(frozen=True)
class Topic:
    title: str
    who: str
    lines: tuple[Line, ...]
    pinned: bool = False


@dataclass(frozen=True)
class ProjectTalk:
    slug: str
    lines: tuple[Line, ...] = field(default=())


TOPICS = [
    Topic(
        "Velkommen til forumet (fiktiv)",
        "kari",
        (
            Line(
                "kari",
                "Her kan alle med bekreftet e-postadresse diskutere bærekraft i Fjordvik.\n\n"
                "* Hold en vennlig tone.\n* Meld fra om innlegg som bryter reglene.\n\n"
                "*Fiktive demodata.*",
                24 * 20,
            ),
        ),
        pinned=True,
    ),
    Topic(
        "Sykkelparkering ved hurtigbåtkaia (fiktiv)",
        "sigrid",
        (
            Line(
                "sigrid",
                "Det er altfor få sykkelstativer ved hurtigbåtkaia. Kan framtidslaben ta dette opp med kommunen?",
                24 * 6,
            ),
            Line("jonas", "Enig! Særlig om morgenen er **alt** fullt før klokka sju.", 24 * 6 - 3),
            Line(
                "ola",
                "@Sigrid Fjellheim (fiktiv) jeg kan bli med og telle stativer en morgen neste uke.",
                24 * 5,
                reply_to=0,
            ),
            Line("kari", "Takk for innspillet! Vi tar det med til neste møte med kommunen.", 24 * 4),
        ),
    ),
    Topic(
        "Byttedag for klær og utstyr i høst? (fiktiv)",
        "amina",
        (
            Line(
                "amina",
                "Hvem vil være med og arrangere en byttedag for klær, sportsutstyr og leker i oktober?",
                24 * 3,
                earlier_text="Hvem vil være med og arrangere en byttedag for klær i oktober?",
            ),
            Line("per", "Delelageret på Nordsida kan låne ut lokalene våre en lørdag.", 24 * 2),
            Line("sigrid", "Jeg tar med bord og kleshengere!", 20, reply_to=0),
        ),
    ),
]

PROJECT_TALKS = [
    ProjectTalk(
        "hele-fisken",
        (
            Line("ola", "Spennende! Kommer fiskekakene av avskjæret til torget også?", 24 * 9),
            Line("per", "Ja, fra våren av. Følg med her, så sier vi fra.", 24 * 8, reply_to=0),
        ),
    ),
    ProjectTalk(
        "sol-pa-kaia",
        (
            Line("jonas", "Hvor mye av strømmen fra panelene bruker kaia selv?", 24 * 2),
            Line(
                "amina",
                "Glem dette – kjøp billige solceller hos meg i stedet: https://billig-sol.example",
                10,
                reported_by="jonas",
                report_note="Ser ut som reklame for en nettbutikk.",
            ),
        ),
    ),
    ProjectTalk(
        "ombruksbanken",
        (Line("amina", "Kan privatpersoner også hente materialer, eller bare byggefirmaer?", 30),),
    ),
]


def seed_demo_extend(hub: HubPage, stdout) -> None:
    """Add the hub's forum, fictional topics and comments on a few demo projects to the demo hub."""
    forum = forum_ensure(hub=hub) or ForumIndexPage.objects.child_of(hub).first()
    if forum is None:
        stdout.write("Discussions (fictional): the hub has no forum and its slug is taken; skipped.")
        return
    _navigation_link(hub, forum)
    people = _people()
    now = timezone.now()
    topics = sum(_topic(hub, spec, people=people, now=now) for spec in TOPICS)
    talks = 0
    for spec in PROJECT_TALKS:
        project = ProjectPage.objects.descendant_of(hub).live().filter(slug=spec.slug).first()
        if project is not None:
            talks += _talk(project_thread_ensure(project), spec.lines, people=people, now=now)
    stdout.write(f"Discussions (fictional): {topics} new forum topics and comments on {talks} projects, at {forum.url}")


def _people() -> dict:
    """The demo's people by short name: the other modules' accounts and three more of our own."""
    user_model = get_user_model()
    people = {}
    for key, (email, name) in PEOPLE.items():
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(email=email, password=None, display_name=name)
            user_model.objects.filter(pk=user.pk).update(date_joined=timezone.now() - datetime.timedelta(days=60))
        people[key] = user
    for key, email in OTHERS.items():
        user = user_model.objects.filter(email=email).first()
        if user is not None:
            people[key] = user
    return people


def _navigation_link(hub: HubPage, forum: ForumIndexPage) -> None:
    site = hub.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    navigation = NavigationSettings.for_site(site)
    pages = {getattr(block.value.get("page"), "pk", None) for block in navigation.links}
    if forum.pk not in pages:
        navigation.links.append(("link", {"label": "Forum", "page": forum, "url": ""}))
        navigation.save()


def _topic(hub: HubPage, spec: Topic, *, people: dict, now) -> int:
    """Open the topic with its comments unless it is there already; 1 if it was opened now."""
    if Thread.objects.filter(hub=hub, project=None, title=spec.title).exists():
        return 0
    if spec.who not in people or spec.lines[0].who not in people:
        return 0
    thread = Thread.objects.create(hub=hub, title=spec.title, author=people[spec.who], pinned=spec.pinned)
    Thread.objects.filter(pk=thread.pk).update(created_at=now - datetime.timedelta(hours=spec.lines[0].hours_ago))
    _write(thread, spec.lines, people=people, now=now)
    return 1


def _talk(thread: Thread, lines, *, people: dict, now) -> int:
    if thread.comments.exists() or not any(line.who in people for line in lines):
        return 0
    _write(thread, lines, people=people, now=now)
    return 1


def _next_seq(thread: Thread) -> int:
    Thread.objects.filter(pk=thread.pk).update(last_seq=F("last_seq") + 1)
    return Thread.objects.filter(pk=thread.pk).values_list("last_seq", flat=True).get()


def _write(thread: Thread, lines, *, people: dict, now) -> None:
    """The thread's comments, oldest first, each with the thread's next sequence number (a line by
    someone another demo module did not create is left out)."""
    written: dict[int, Comment] = {}
    for number, line in enumerate(lines):
        author = people.get(line.who)
        if author is None:
            continue
        mentionable = [Mentionable(user_id=c.author.pk, name=c.author.display_name) for c in written.values()]
        rendered = render_comment(line.text, mentionable=mentionable)
        created_at = now - datetime.timedelta(hours=line.hours_ago)
        comment = Comment.objects.create(
            thread=thread,
            author=author,
            reply_to=written.get(line.reply_to) if line.reply_to is not None else None,
            body=line.text,
            html=rendered.html,
            seq=_next_seq(thread),
            last_change=ChangeType.COMMENT_CREATED,
        )
        comment.mentions.set(rendered.mentioned_user_ids - {author.pk})
        fields = {"created_at": created_at}
        if line.earlier_text is not None:
            edited_at = created_at + datetime.timedelta(minutes=12)
            CommentRevision.objects.create(comment=comment, body=line.earlier_text, written_at=created_at)
            CommentRevision.objects.filter(comment=comment).update(replaced_at=edited_at)
            fields.update(edited_at=edited_at, seq=_next_seq(thread), last_change=ChangeType.COMMENT_EDITED)
        Comment.objects.filter(pk=comment.pk).update(**fields)
        if line.reported_by in people:
            report = CommentReport.objects.create(
                comment=comment, reporter=people[line.reported_by], reason=ReportReason.SPAM, note=line.report_note
            )
            CommentReport.objects.filter(pk=report.pk).update(created_at=created_at + datetime.timedelta(hours=1))
        written[number] = comment
    latest = max(now - datetime.timedelta(hours=line.hours_ago) for line in lines if line.who in people)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=latest)
