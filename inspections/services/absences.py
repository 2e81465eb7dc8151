"""随机抽查、突击检查 of first secretaries and work teams: who may check, and what an absence leads to.

The organisation departments (市县两级组织部门) spot-check first secretaries and work teams, as the city
inspectors do in their drawn plans (issue 19.4). A check that finds the first secretary absent is a
problem like any other: a confirmed finding (作风问题, the first secretary responsible) with its item in
the rectification ledger (整改台账) for the dispatching unit, closed one by one by an inspector; the
next monthly bulletin lists it (accountability/services/bulletin_absences.py).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError, full_clean
from core.models import Region, Role
from core.regions import in_line, pad_code
from core.scoping import ensure_can_write
from core.transitions import record_created

from ..models import Finding, FindingCategory, FindingSource, FindingStatus, Severity, TeamCheck
from ..selectors import is_inspector, sees_secrets

# 定时限: the dispatching unit has this many days to account for the absence and set it right.
ABSENCE_RECTIFICATION_DAYS = 30


def can_spot_check(actor) -> bool:
    """City inspectors (in their plans or unannounced) and the organisation departments of their region."""
    if actor is None or not actor.is_authenticated or getattr(actor, "is_read_only", False):
        return False
    if actor.is_superuser:
        return True
    return (is_inspector(actor) and sees_secrets(actor)) or actor.has_role(Role.ORGANISATION_DEPARTMENT)


def require_spot_checker(actor) -> None:
    if not can_spot_check(actor):
        raise DomainError(
            _("Only inspectors and the organisation departments spot-check work teams."), field="actor"
        )
    ensure_can_write(actor)


def _responsible_unit(check: TeamCheck):
    """The team's dispatching unit (派出单位) when it answers to the checked county or a region above it,
    else the county's poverty office."""
    from .reports import _county_office

    county = pad_code(check.village_id[:6])
    unit = check.team.dispatching_unit
    if unit is not None and unit.is_active and in_line(unit.region_id, county):
        return unit
    return _county_office(Region.objects.get(code=county))


def team_check_absence_record(*, check: TeamCheck, actor) -> Finding | None:
    """The finding and the ledger item of a check that found the first secretary absent (None when present).

    Called by `team_check_record` inside its transaction; a check has at most one (Finding.team_check)."""
    if check.secretary_present:
        return None
    ensure_can_write(actor, check.village_id)
    secretary = check.first_secretary
    description = _(
        "First secretary %(name)s (%(team)s) was not on duty when the work team was spot-checked on %(date)s."
    ) % {"name": secretary.name, "team": check.team.name, "date": date_format(check.checked_on)}
    if check.note:
        description = f"{description}\n{check.note}"
    unit = _responsible_unit(check)
    with actor_context(actor):
        finding = Finding(
            source=FindingSource.SPOT_CHECK, team_check=check, category=FindingCategory.CONDUCT,
            severity=Severity.MINOR, description=description, region_id=check.village_id,
            responsible_unit=unit, status=FindingStatus.CONFIRMED, confirmed_at=timezone.now(),
            reported_by=actor, source_reference=_("spot check of %(date)s") % {"date": date_format(check.checked_on)},
        )  # fmt: skip
        full_clean(finding, exclude=["team_check", "region", "responsible_unit", "reported_by"])
        finding.save()
        finding.responsible_officers.set([secretary.pk])
    record_created(finding, actor=actor)
    if unit is None:
        return finding
    from .ledger import rectification_item_create

    start = max(check.checked_on, timezone.localdate())
    rectification_item_create(
        actor=actor, finding=finding, responsible_unit=unit, spot_check=True,
        deadline=start + dt.timedelta(days=ABSENCE_RECTIFICATION_DAYS),
        description=_(
            "Account for the first secretary's absence and keep them on duty in the village "
            "(attendance, leave and the presence records)."
        ),
    )  # fmt: skip
    return finding
