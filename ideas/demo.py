"""Fictional ideas for the demo hub, added by ``seed_demo`` (see its docstring for the hook).

Four ideas by the demo's people, with supports and comments in their threads: one new, one under
review, one answered "not now" with a reason, and one taken forward into a project proposal (a
draft waiting in the hub's review workflow, crediting the idea's author, linked both ways).

Written directly rather than through ``ideas.services`` (as ``discussions.demo`` does): the rate
limits would make a seed wait, and the demo must not publish events or notify anyone. Everything
says "fiktiv". Idempotent: an idea is looked up by its title in the hub.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from wagtail.rich_text import RichText

from cms.management.commands.seed_demo import COORDINATOR_EMAIL, RESIDENT_EMAIL
from cms.markdown import markdown_html
from cms.models import HubPage
from discussions.models import ChangeType, Comment, Thread
from goals.models import Goal
from ideas.models import Idea, IdeaStatus, IdeaSupport
from partners.demo import APPROVED_PARTNERS, CONTACT_EMAIL
from partners.models import Partner
from projects.models import ProjectIndexPage, ProjectPage, ProjectStatus

PEOPLE = {
    "kari": COORDINATOR_EMAIL,
    "ola": RESIDENT_EMAIL,
    "per": CONTACT_EMAIL,
    "sigrid": "sigrid.fjellheim@fjordvik.example",
    "jonas": "jonas.bakke@fjordvik.example",
    "amina": "amina.haugen@fjordvik.example",
}


@dataclass(frozen=True)
class Spec:
    title: str
    who: str
    text: str
    goals: tuple[int, ...]
    supporters: tuple[str, ...]
    comments: tuple[tuple[str, str], ...] = ()
    status: str = IdeaStatus.NEW
    answer: str = ""
    days_ago: int = 3
    to_project: bool = False


IDEAS = [
    Spec(
        "Delesykler ved kaia (fiktiv)",
        "ola",
        "Et lite stativ med **delesykler** ved hurtigbåtkaia, så pendlerne kan sykle det siste stykket. Fiktiv idé.",
        (11, 13),
        ("sigrid", "jonas", "amina"),
        (("jonas", "Jeg ville brukt det hver dag."), ("amina", "Kanskje også el-sykler for bakkene?")),
        status=IdeaStatus.TAKEN_FORWARD,
        answer="Vi tar ideen videre sammen med en partner. Fiktivt svar.",
        days_ago=20,
        to_project=True,
    ),
    Spec(
        "Bytteskap på biblioteket (fiktiv)",
        "amina",
        "Et skap der folk kan bytte klær, bøker og leker. Fiktiv idé.",
        (12,),
        ("ola", "sigrid"),
        (("sigrid", "Fint for barnefamilier!"),),
        status=IdeaStatus.UNDER_REVIEW,
        answer="Vi undersøker plassen med biblioteket. Fiktivt svar.",
        days_ago=10,
    ),
    Spec(
        "Badstue på moloen (fiktiv)",
        "jonas",
        "En flytende badstue på moloen, åpen hele året. Fiktiv idé.",
        (3,),
        ("ola",),
        status=IdeaStatus.NOT_NOW,
        answer="Ikke nå: moloen skal repareres de neste to årene. Vi ser på det igjen etterpå. Fiktivt svar.",
        days_ago=30,
    ),
    Spec(
        "Skolehager for alle barneskoler (fiktiv)",
        "sigrid",
        "Hver barneskole får en liten hage der elevene dyrker grønnsaker. Fiktiv idé.",
        (2, 4),
        ("amina",),
        days_ago=2,
    ),
]


def seed_demo_extend(hub: HubPage, stdout) -> None:
    """Add fictional ideas with supports, comments, answers and one proposal to the demo hub."""
    users = get_user_model().objects.filter(email__in=PEOPLE.values())
    by_email = {user.email: user for user in users}
    people = {key: by_email[email] for key, email in PEOPLE.items() if email in by_email}
    now = timezone.now()
    made = sum(_idea(hub, spec, people=people, now=now) for spec in IDEAS)
    stdout.write(f"Ideas (fictional): {made} new ideas, at {hub.url}ideas/")


def _idea(hub, spec: Spec, *, people: dict, now) -> int:
    if spec.who not in people or Idea.objects.filter(hub=hub, title=spec.title).exists():
        return 0
    author = people[spec.who]
    posted = now - datetime.timedelta(days=spec.days_ago)
    thread = Thread.objects.create(hub=hub, title=spec.title, author=author)
    idea = Idea.objects.create(
        hub=hub, author=author, title=spec.title, text=spec.text, html=markdown_html(spec.text), thread=thread
    )
    idea.goals.set(Goal.objects.filter(number__in=spec.goals))
    IdeaSupport.objects.bulk_create(
        IdeaSupport(idea=idea, user=people[who]) for who in spec.supporters if who in people
    )
    for who, text in spec.comments:
        if who in people:
            _comment(thread, people[who], text)
    changes = {"created_at": posted}
    if spec.answer:
        changes.update(
            status=spec.status,
            answer=spec.answer,
            answer_html=markdown_html(spec.answer),
            answered_at=posted + datetime.timedelta(days=2),
            answered_by=people.get("kari"),
        )
    if spec.to_project and "per" in people:
        changes["project"] = _proposal(hub, idea, proposer=people["per"])
    Idea.objects.filter(pk=idea.pk).update(**changes)
    return 1


def _comment(thread: Thread, author, text: str) -> None:
    Thread.objects.filter(pk=thread.pk).update(last_seq=F("last_seq") + 1)
    seq = Thread.objects.filter(pk=thread.pk).values_list("last_seq", flat=True).get()
    comment = Comment.objects.create(
        thread=thread,
        author=author,
        body=text,
        html=markdown_html(text),
        seq=seq,
        last_change=ChangeType.COMMENT_CREATED,
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=comment.created_at)


def _proposal(hub, idea: Idea, *, proposer) -> ProjectPage | None:
    """A draft proposed from the idea by the demo partner contact, waiting in the review workflow."""
    index = ProjectIndexPage.objects.child_of(hub).first()
    lead = Partner.objects.filter(name=APPROVED_PARTNERS[0][0]).first()
    if index is None or lead is None:
        return None
    slug = "delesykler-ved-kaia"
    existing = ProjectPage.objects.child_of(index).filter(slug=slug).first()
    if existing is not None:
        return existing
    credit = f"Basert på ideen til {idea.author.display_name}: {idea.title}"
    page = ProjectPage(
        title=idea.title,
        slug=slug,
        summary="Delesykler ved hurtigbåtkaia for pendlere. Fiktivt forslag.",
        body=[("text", RichText(markdown_html(f"{credit}\n\n{idea.text}")))],
        primary_goal=Goal.objects.get(number=11),
        status=ProjectStatus.IDEA,
        lead_partner=lead,
        live=False,
        proposed_by=proposer,
        owner=proposer,
    )
    page.goals = list(Goal.objects.filter(number=13))
    index.add_child(instance=page)
    page.save_revision(user=proposer, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, proposer)
    return page
