"""Set-up helpers for the admin and demo tests of projects: pages saved directly, no services."""

import datetime

from wagtail.users.models import UserProfile

from goals.models import Goal
from projects.models import ProjectIndexPage, ProjectPage


def in_english(user):
    """Wagtail's admin speaks each user's own language; tests read the English msgids."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def project_index_create(hub, **fields) -> ProjectIndexPage:
    fields.setdefault("title", "Prosjekter")
    fields.setdefault("slug", "projects")
    index = ProjectIndexPage(**fields)
    hub.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()
    return index


def project_create(index, *, title, last_reported_at=None, live=True, lead_partner=None, **fields) -> ProjectPage:
    """A project page under ``index``; published unless ``live`` is false (then a draft)."""
    fields.setdefault("summary", f"Om {title}.")
    fields.setdefault("primary_goal", Goal.objects.get(number=fields.pop("goal_number", 13)))
    page = ProjectPage(title=title, last_reported_at=last_reported_at, lead_partner=lead_partner, **fields)
    if not live:
        page.live = False
    index.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def months_ago(today: datetime.date, months: int) -> datetime.date:
    total = today.year * 12 + today.month - 1 - months
    return datetime.date(total // 12, total % 12 + 1, min(today.day, 28))
