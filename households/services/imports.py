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
from ..models import HouseholdImport, ImportKind, ImportMode
from ..tasks import run_import


class MigrationRefused(DomainError):
    """The migration of an existing register chosen by someone who may not load one (403)."""

    status_code = 403
    default_code = "forbidden"


def import_kinds(*, actor) -> list[tuple[str, str]]:
    """The kinds of import `actor` may choose: applications always; the migration of an existing
    register only with households.migrate_register (the county administrator)."""
    return [
        (value, label)
        for value, label in ImportKind.choices
        if value != ImportKind.MIGRATION or actor.has_perm("households.migrate_register")
    ]


def import_start(*, actor, upload, mode: str, kind: str = ImportKind.APPLICATIONS) -> HouseholdImport:
    """Store the upload and queue the task once the transaction commits.

    `kind`: applications (the households are applicants and go through the entry procedure) or,
    for a county administrator only, the migration of an existing register (registered as they
    stand; logged by the run)."""
    ensure_can_write(actor)
    if not actor.has_perm("households.import_households"):
        raise DomainError(_("Your role may not import households."), code="forbidden")
    name = getattr(upload, "name", None) or "upload.xlsx"
    if mode not in ImportMode.values:
        raise DomainError(_("Choose an import mode."), field="mode")
    if kind not in ImportKind.values:
        raise DomainError(_("Choose the kind of import."), field="kind")
    if kind == ImportKind.MIGRATION and not actor.has_perm("households.migrate_register"):
        raise MigrationRefused(
            _(
                "Only the county administrator may load an existing register; import the rows as "
                "applications, which go through the entry procedure."
            ),
            field="kind",
        )
    region = (
        actor.region_id or Region.objects.filter(parent__isnull=True).values_list("code", flat=True).first()
    )
    if scope_depth(actor) is None or region is None:
        raise DomainError(_("Your account has no region."), code="forbidden")
    # Type, size and zip bounds are checked here, in the request: a refused file is never stored
    # or queued. Stored encrypted (it holds full ID numbers) and deleted after the retention period.
    path = uploads.store_upload(upload, kinds=uploads.TABLES, folder=import_folder(), field="file").path
    job = HouseholdImport(
        file=path, file_name=name[:200], mode=mode, kind=kind, created_by=actor, region_id=region
    )
    try:
        job.save()
    except Exception:
        uploads.delete_stored(path)
        raise
    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job
