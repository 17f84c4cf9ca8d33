"""A person's part in projects: the proposals they made and the progress reports they wrote."""

from projects.models import ProgressUpdate, ProjectPage


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    return {
        "proposals": [
            {"title": page.title, "live": page.live, "first_published_at": _iso(page.first_published_at)}
            for page in ProjectPage.objects.filter(proposed_by=user).order_by("pk")
        ],
        "progress_updates": [
            {"project": update.project.title, "reported_on": _iso(update.reported_on), "text": update.text}
            for update in ProgressUpdate.objects.filter(author=user).select_related("project").order_by("pk")
        ],
    }


def erase(user, *, remove_comment_text: bool) -> None:
    """Projects and reports belong to the partners; only the link to the person goes."""
    ProgressUpdate.objects.filter(author=user).update(author=None)
    ProjectPage.objects.filter(proposed_by=user).update(proposed_by=None)
