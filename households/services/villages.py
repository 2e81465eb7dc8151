"""Poor villages (贫困村): a village leaves the list with its exit year."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.scoping import ensure_can_write
from core.transitions import transition

from ..models import PoorVillage, PoorVillageStatus


@transaction.atomic
def poor_village_exit(*, poor_village: PoorVillage, actor, year: int, note: str = "") -> PoorVillage:
    """退出: the village leaves the poor-village list in `year` (not before it was identified)."""
    ensure_can_write(actor, poor_village.village_id)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a year."), field="year") from None
    if year < poor_village.identified_year:
        raise DomainError(
            _("The exit year cannot be before the year the village was identified."), field="year"
        )
    return transition(
        poor_village,
        PoorVillageStatus.EXITED,
        actor=actor,
        note=(note or "").strip(),
        updates={"exit_year": year},
    )
