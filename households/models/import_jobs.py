"""Excel import jobs: the uploaded file, its mode and progress (the job's status is claimed by households/tasks.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region, TimeStampedModel


class ImportMode(models.TextChoices):
    VALID_ROWS = "valid_rows", _("commit valid rows, report the others")
    ALL_OR_NOTHING = "all_or_nothing", _("all or nothing")


class ImportKind(models.TextChoices):
    """What the rows are: applications (申请, each household then goes through the entry procedure)
    or an existing register being migrated (registered as it stands: a county administrator's
    separate, logged mode)."""

    APPLICATIONS = "applications", _("applications (each goes through the entry procedure)")
    MIGRATION = "migration", _("migration of an existing register")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("finished")
    FAILED = "failed", _("failed")


def import_path(instance, filename: str) -> str:
    return f"households/imports/{timezone.now():%Y/%m}/{filename}"


class HouseholdImport(TimeStampedModel):
    """An Excel upload of households with members, processed by a Celery task."""

    file = models.FileField(_("file"), upload_to=import_path)
    file_name = models.CharField(_("file name"), max_length=200)
    mode = models.CharField(
        _("mode"), max_length=16, choices=ImportMode.choices, default=ImportMode.VALID_ROWS
    )
    kind = models.CharField(
        _("kind of import"), max_length=16, choices=ImportKind.choices, default=ImportKind.APPLICATIONS
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    households_created = models.PositiveIntegerField(_("households created"), default=0)
    members_created = models.PositiveIntegerField(_("members created"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_report = models.FileField(_("error report"), upload_to=import_path, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The uploader's region: every row must lie under it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-created_at"]
        permissions = [
            ("migrate_register", _("Can load an existing register (migration)")),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.FAILED) else 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))
