"""Starting an Excel import of households: checked and stored in the request, run by a worker.

The import itself (read, check, write) is `households.imports`; the worker's task that claims and
runs a job is `households.tasks.run_import`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core import uploads
from core.exceptions import DomainError
from core.models import Region
from core.scoping import ensure_can_write, scope_depth

from ..imports import import_folder
from ..models import HouseholdImport, ImportMode
from ..tasks import run_import


def import_start(*, actor, upload, mode: str) -> HouseholdImport:
    """Store the upload and queue the task once the transaction commits."""
    ensure_can_write(actor)
    if not actor.has_perm("households.import_households"):
        raise DomainError(_("Your role may not import households."), code="forbidden")
    name = getattr(upload, "name", None) or "upload.xlsx"
    if mode not in ImportMode.values:
        raise DomainError(_("Choose an import mode."), field="mode")
    region = (
        actor.region_id or Region.objects.filter(parent__isnull=True).values_list("code", flat=True).first()
    )
    if scope_depth(actor) is None or region is None:
        raise DomainError(_("Your account has no region."), code="forbidden")
    # Type, size and zip bounds are checked here, in the request: a refused file is never stored
    # or queued. Stored encrypted (it holds full ID numbers) and deleted after the retention period.
    path = uploads.store_upload(upload, kinds=uploads.SPREADSHEETS, folder=import_folder(), field="file").path
    job = HouseholdImport(file=path, file_name=name[:200], mode=mode, created_by=actor, region_id=region)
    try:
        job.save()
    except Exception:
        uploads.delete_stored(path)
        raise
    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job
