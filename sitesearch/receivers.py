"""Keep cached search results in step with the search index.

Wagtail updates the index of a saved object in a background task (``modelsearch``'s
``insert_or_update_object_task``, run by ``manage.py db_worker``), after the write's own commit has
already replaced the versions of what shows it. A search page cached between the two would miss the
new text until the next change, so when that task has run the version of ``search`` is replaced:
the search pages depend on it, and no other page does.
"""

from django_tasks.signals import task_finished

from cms import dependency

INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"


def _index_updated(sender, task_result, **kwargs):
    if task_result.task.module_path == INDEX_TASK:
        dependency.changed(dependency.SEARCH)


def connect() -> None:
    task_finished.connect(_index_updated, dispatch_uid="sitesearch-index-updated")
