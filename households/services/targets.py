"""Recording the year's targets (issue 18.5): the city's by an administrator, a county's by its county
administrator. Recording again for the same region and year changes the row; its history keeps
every earlier value (who, when, before, after)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Region, RegionLevel, Role
from core.scoping import ensure_can_write

from ..models import ACHIEVED_FIELDS, TARGET_FIELDS, ExitTarget

MAX_FIGURE = 10_000_000


def _number(value, field: str, label: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("%(field)s: enter a whole number.") % {"field": label}, field=field) from None
    if not 0 <= number <= MAX_FIGURE:
        raise DomainError(
            _("%(field)s: enter a number from 0 to %(max)s.") % {"field": label, "max": f"{MAX_FIGURE:,}"},
            field=field,
        )
    return number


@transaction.atomic
def exit_target_record(
    *, region_code: str, year, actor, figures: dict, source: str = "", note: str = ""
) -> ExitTarget:
    """Record (or change) `region_code`'s targets for `year`. `figures`: any of people, households,
    villages (the targets) and, for a past year only, achieved_people, achieved_households,
    achieved_villages (results the region reported, with their `source`). Refused, nothing changes."""
    if not actor.has_perm("households.record_exit_target"):
        raise DomainError(_("Your role may not record the year's targets."), code="forbidden")
    region = Region.objects.filter(code=str(region_code or "")).first()
    if region is None or region.level not in (RegionLevel.CITY, RegionLevel.COUNTY):
        raise DomainError(_("Region: choose the city or one of its counties."), field="region")
    ensure_can_write(actor, region.code)
    if region.level == RegionLevel.CITY and not (actor.is_superuser or actor.has_role(Role.ADMIN)):
        raise DomainError(_("Region: the city's targets are recorded by an administrator."), field="region")
    year = _number(year, "year", _("Year"))
    if year is None or not 2000 <= year <= 2100:
        raise DomainError(_("Year: enter a year from 2000 to 2100."), field="year")
    labels = {f: str(ExitTarget._meta.get_field(f).verbose_name) for f in (*TARGET_FIELDS, *ACHIEVED_FIELDS)}
    values = {f: _number(figures.get(f), f, labels[f]) for f in (*TARGET_FIELDS, *ACHIEVED_FIELDS)}
    if all(v is None for v in values.values()):
        raise DomainError(_("People to exit poverty: enter at least one target."), field="people")
    recorded = [f for f in ACHIEVED_FIELDS if values[f] is not None]
    this_year = timezone.localdate().year
    if recorded and year >= this_year:
        raise DomainError(
            _("%(field)s: results of %(year)s and later are counted from the register; record results only for a past year.")
            % {"field": labels[recorded[0]], "year": this_year},
            field=recorded[0],
        )  # fmt: skip
    source = (source or "").strip()[:200]
    if recorded and len(source) < 2:
        raise DomainError(_("Source: say where the recorded results come from."), field="achieved_source")
    with actor_context(actor):
        target = ExitTarget.objects.select_for_update().filter(region=region, year=year).first()
        if target is None:
            target = ExitTarget(region=region, year=year)
        for f, v in values.items():
            setattr(target, f, v)
        target.achieved_source = source if recorded else ""
        target.note = (note or "").strip()[:300]
        target.recorded_by = actor
        target.save()
    return target
