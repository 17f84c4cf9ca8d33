"""Wagtail's publish signal gives every published project its discussion thread."""

from wagtail.signals import page_published


def project_thread_on_publish(sender, instance, **kwargs):
    from discussions.services import project_thread_ensure

    project_thread_ensure(instance)


def connect() -> None:
    from projects.models import ProjectPage

    page_published.connect(project_thread_on_publish, sender=ProjectPage, dispatch_uid="discussions_project_thread")
