"""The change feed's bookkeeping (API /households/feed/, selectors.feed).

Every household row records the transaction that last wrote it (`change_xid`: PostgreSQL's xid8
as a bigint) — the insert's by a column default, every update's by a trigger, and a member's
insert, update or delete bumps its household once per statement (migration 0016). A household
that leaves a village (moved, or deleted) leaves a tombstone here, written by a trigger, so a
reader whose scope it left is told to delete it.
"""

from __future__ import annotations

from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


def current_xid() -> RawSQL:
    """The writing transaction's id (xid8, with its epoch) as a bigint, for a db_default."""
    return RawSQL("pg_current_xact_id()::text::bigint", [], output_field=models.BigIntegerField())


class HouseholdTombstone(models.Model):
    """A household that left a village: removed from the register, or moved to another village."""

    household_id = models.BigIntegerField(_("household"))  # no FK: the household may be gone
    village_code = models.CharField(_("village it left"), max_length=12)
    deleted = models.BooleanField(_("deleted"), default=False)  # False: moved to another village
    change_xid = models.BigIntegerField(editable=False, db_default=current_xid())
    at = models.DateTimeField(_("at"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("household tombstone")
        verbose_name_plural = _("household tombstones")
        ordering = ["change_xid", "id"]
        indexes = [models.Index(fields=["change_xid", "id"], name="household_tombstone_xid_idx")]

    def __str__(self) -> str:
        how = "deleted" if self.deleted else "moved"
        return f"{self.household_id} {how} from {self.village_code} (xid {self.change_xid})"
