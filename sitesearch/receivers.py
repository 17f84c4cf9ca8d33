"""Keep the anonymous page cache in step with the search index.

Wagtail updates the index of a saved object in a background task (``modelsearch``'s
``insert_or_update_object_task``, run by ``manage.py db_worker``), after the write's own commit has
already replaced the content version. A search page cached between the two would miss the new text
until the next change, so the version is replaced again when that task has run.
"""

from django_tasks.signals import task_finished

from cms.page_cache import content_changed

INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"


def _index_updated(sender, task_result, **kwargs):
    if task_result.task.module_path == INDEX_TASK:
        content_changed()


def connect() -> None:
    task_finished.connect(_index_updated, dispatch_uid="sitesearch-index-updated")
