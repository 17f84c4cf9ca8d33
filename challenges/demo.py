"""Fictional challenges for the demo hub, added by ``seed_demo`` (``seed_demo_extend``, after the
partners and projects demos: INSTALLED_APPS order).

Two challenges: one in the market dialogue (with a published question and answer, a document (a
one-page PDF written here), a dialogue meeting that is an event of the hub, and a series of
one-to-one meetings with one booked), one awarded to
a demo partner, its project being one of the demo projects with outcomes, so the page shows the
effect achieved. Written with the ORM rather than the services: demo data must not notify anyone.
Idempotent: each challenge is looked up by slug in the hub. Everything says "fiktiv".
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from challenges.models import (
    Challenge,
    ChallengeDocument,
    Criterion,
    DecisionAction,
    DecisionLogEntry,
    Declaration,
    DialogueMeeting,
    Evaluator,
    MeetingSlot,
    Phase,
    PhaseDate,
    Publication,
    Question,
    Requirement,
    RequirementAnswer,
    Score,
    SlotBooking,
    SlotSeries,
    Submission,
)
from goals.models import Goal
from partners.demo import CONTACT_EMAIL
from partners.models import Partner, PartnerKind, PartnershipStatus

DIALOGUE_SLUG = "trygg-skolevei-i-morketida"
AWARDED_SLUG = "mindre-matsvinn-pa-sykehjemmene"


def _coordinator(hub):
    return hub.coordinators_group.user_set.order_by("pk").first() if hub.coordinators_group else None


def _dates(challenge, phases, today):
    for n, phase in enumerate(phases):
        PhaseDate.objects.get_or_create(
            challenge=challenge,
            phase=phase,
            defaults={"starts_on": today - datetime.timedelta(days=30 * (len(phases) - n))},
        )


def _dialogue(hub, coordinator, today):
    challenge, created = Challenge.objects.get_or_create(
        hub=hub,
        slug=DIALOGUE_SLUG,
        defaults={
            "title": "Trygg skolevei i mørketida (fiktiv)",
            "summary": "Barn går til skolen i mørket. "
            "Vi vil vite hvordan flere kan gå og sykle trygt. Fiktive demodata.",
            "need": (
                "Mange barn i Fjordvik går eller sykler til skolen i mørke om vinteren. Foreldre kjører dem "
                "heller, og det gir **mer trafikk** rundt skolene.\n\nVi ønsker løsninger som gjør skoleveien "
                "tryggere og synligere, uten store veianlegg. Fiktive demodata."
            ),
            "owner_unit": "Oppvekst og skole (fiktiv)",
            "why": "Flere barn som går og sykler gir bedre helse og mindre utslipp.",
            "primary_goal": Goal.objects.filter(number=11).first(),
            "budget_min": 200_000,
            "budget_max": 800_000,
            "phase": Phase.DIALOGUE,
            "publication": Publication.PUBLISHED,
            "notice_id": "2026-100001",
            "submission_deadline": timezone.now() + datetime.timedelta(days=45),
            "created_by": coordinator,
        },
    )
    if not created:
        return challenge
    for n, text in enumerate(["Virker i mørke og snø", "Kan brukes av barn fra 6 år", "Krever ikke ny vei"]):
        Requirement.objects.create(challenge=challenge, text=text, sort_order=n)
    Criterion.objects.bulk_create(
        [
            Criterion(challenge=challenge, name="Kvalitet", weight=60),
            Criterion(challenge=challenge, name="Pris", weight=40),
        ]
    )
    _dates(challenge, [Phase.NEED, Phase.DIALOGUE], today)
    _document(challenge, "Behovsbeskrivelse (fiktiv)", "Trygg skolevei i morketida - fiktive demodata.")
    Question.objects.create(
        challenge=challenge,
        text="Hvor mange skoler gjelder behovet?",
        anonymous=True,
        answer="Fire barneskoler i sentrum og på Nordsida (fiktivt).",
        published_at=timezone.now(),
    )
    return challenge


def _pdf(line: str) -> bytes:
    """A one-page PDF with one line of (ASCII) text: enough for a demo document."""
    stream = f"BT /F1 14 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _document(challenge, title: str, line: str) -> None:
    from wagtail.documents import get_document_model

    content = _pdf(line)
    document = get_document_model()(title=title)
    if challenge.hub.collection_id:
        document.collection_id = challenge.hub.collection_id
    document.file.save("behovsbeskrivelse-fiktiv.pdf", ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    ChallengeDocument.objects.create(challenge=challenge, document=document, sort_order=0)


def _awarded(hub, coordinator, today):
    if Challenge.objects.filter(hub=hub, slug=AWARDED_SLUG).exists():
        return Challenge.objects.get(hub=hub, slug=AWARDED_SLUG)
    from projects.models import Outcome

    partners = list(
        Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED)
        .exclude(organisation_number="")
        .order_by("pk")[:2]
    )
    if len(partners) < 2 or coordinator is None:
        return None
    project_id = (
        Outcome.objects.filter(project__live=True, project__path__startswith=hub.path)
        .values_list("project_id", flat=True)
        .first()
    )
    contact = get_user_model().objects.filter(email=CONTACT_EMAIL).first()
    challenge = Challenge.objects.create(
        hub=hub,
        slug=AWARDED_SLUG,
        title="Mindre matsvinn på sykehjemmene (fiktiv)",
        summary="Sykehjemmene kaster mye mat. "
        "Vi søkte løsninger som gir mindre svinn og bedre måltider. Fiktive demodata.",
        need="Kjøkkenene på sykehjemmene lager mat til flere enn som spiser. Vi trenger en bedre måte å "
        "bestille og tilpasse porsjoner på. Fiktive demodata.",
        owner_unit="Helse og omsorg (fiktiv)",
        primary_goal=Goal.objects.filter(number=12).first(),
        budget_max=500_000,
        phase=Phase.IN_USE,
        publication=Publication.PUBLISHED,
        notice_id="2025-200002",
        submission_deadline=timezone.now() - datetime.timedelta(days=120),
        created_by=coordinator,
        project_id=project_id,
    )
    requirement = Requirement.objects.create(challenge=challenge, text="Kan brukes av kjøkkenpersonalet uten opplæring")
    criteria = [
        Criterion.objects.create(challenge=challenge, name="Effekt på svinn", weight=70),
        Criterion.objects.create(challenge=challenge, name="Pris", weight=30),
    ]
    Evaluator.objects.create(challenge=challenge, user=coordinator)
    submissions = []
    for partner, maturity, price in zip(partners, ("pilot", "prototype"), ("300 000 kr", "150 000 kr"), strict=True):
        submission = Submission.objects.create(
            challenge=challenge,
            submitter=contact,
            partner=partner,
            organisation_number=partner.organisation_number,
            organisation_name=partner.name,
            description="Fiktivt løsningsforslag.",
            maturity=maturity,
            price_indication=price,
        )
        RequirementAnswer.objects.create(submission=submission, requirement=requirement, text="Ja, fiktivt.")
        Declaration.objects.create(submission=submission, evaluator=coordinator, conflict=False)
        submissions.append(submission)
    for submission, values in zip(submissions, ((9, 6), (6, 8)), strict=True):
        for criterion, value in zip(criteria, values, strict=True):
            Score.objects.create(
                submission=submission, criterion=criterion, evaluator=coordinator, value=value, justification="Fiktivt."
            )
    winner = submissions[0]
    challenge.awarded_submission = winner
    challenge.award_summary = (
        "Bestillingsapp og porsjonsvekter på to sykehjem, med måling av svinn hver måned (fiktivt)."
    )
    challenge.save(update_fields=["awarded_submission", "award_summary"])
    DecisionLogEntry.objects.create(
        challenge=challenge,
        actor=coordinator,
        action=DecisionAction.AWARDED,
        submission=winner,
        reasons="Størst forventet effekt på svinn til en rimelig pris (fiktivt).",
        data={"ranking": [{"submission": winner.pk, "total": str(Decimal("8.10"))}]},
    )
    _dates(
        challenge, [Phase.NEED, Phase.DIALOGUE, Phase.COMPETITION, Phase.EVALUATION, Phase.AWARDED, Phase.IN_USE], today
    )
    return challenge


def _dialogue_meetings(hub, challenge, coordinator) -> None:
    """A dialogue conference (an event of the hub) and six one-to-one meetings, one booked by the
    first approved demo partner's contact. Each looked up before it is made."""
    from events.models import OSLO, Event, EventKind, EventStatus

    day = timezone.localtime(timezone.now(), OSLO).date()

    def at(days, hour):
        return datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time(hour), tzinfo=OSLO)

    event, _created = Event.objects.get_or_create(
        hub=hub,
        title="Dialogkonferanse: trygg skolevei (fiktiv)",
        defaults={
            "kind": EventKind.MARKET_DIALOGUE,
            "description": "Vi presenterer behovet og svarer på spørsmål. *Fiktive demodata.*",
            "starts_at": at(14, 9),
            "ends_at": at(14, 12),
            "address": "Rådhuset, Torget 2 (fiktiv)",
            "step_free_access": True,
            "capacity": 40,
            "status": EventStatus.PUBLISHED,
            "published_at": timezone.now(),
            "created_by": coordinator,
        },
    )
    DialogueMeeting.objects.get_or_create(event=event, defaults={"challenge": challenge})
    series, created = SlotSeries.objects.get_or_create(
        challenge=challenge,
        title="En-til-en-møter med leverandører (fiktiv)",
        defaults={
            "starts_at": at(21, 9),
            "slot_minutes": 30,
            "pause_minutes": 10,
            "slot_count": 6,
            "place": "Rådhuset, møterom 3 (fiktiv)",
            "booking_closes_at": at(20, 9),
            "created_by": coordinator,
        },
    )
    if created:
        step = datetime.timedelta(minutes=series.slot_minutes + series.pause_minutes)
        MeetingSlot.objects.bulk_create(
            MeetingSlot(series=series, starts_at=series.starts_at + n * step) for n in range(series.slot_count)
        )
    partner = (
        Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED)
        .exclude(organisation_number="")
        .exclude(kind=PartnerKind.PUBLIC_SECTOR)  # a supplier, not the buyer
        .order_by("pk")
        .first()
    )
    contact = get_user_model().objects.filter(email=CONTACT_EMAIL).first()
    if partner is not None and contact is not None and not series.bookings.exists():
        SlotBooking.objects.create(
            slot=series.slots.order_by("starts_at")[1],
            series=series,
            booker=contact,
            partner=partner,
            organisation_number=partner.organisation_number,
            organisation_name=partner.name,
        )


def seed_demo_extend(hub, stdout) -> None:
    coordinator = _coordinator(hub)
    today = timezone.localdate()
    dialogue = _dialogue(hub, coordinator, today)
    _dialogue_meetings(hub, dialogue, coordinator)
    awarded = _awarded(hub, coordinator, today)
    stdout.write(f"Demo challenges: {dialogue.title}" + (f", {awarded.title}" if awarded else ""))
