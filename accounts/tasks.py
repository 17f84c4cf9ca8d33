"""Background work for accounts: building a person's data export and telling them it is ready."""

import logging

from django_tasks import task

from accounts import emails, services
from accounts.models import DataExport

logger = logging.getLogger(__name__)


@task()
def data_export_build(export_id: int) -> bool:
    data_export = DataExport.objects.select_related("user").filter(pk=export_id, ready_at__isnull=True).first()
    if data_export is None:
        return False
    services.data_export_build(data_export=data_export)
    emails.data_export_ready_send(data_export)
    return True
