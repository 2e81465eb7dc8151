"""Inspection groups and covert visit plans with their reproducible random draw."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError, full_clean
from core.models import Region, Unit, UnitKind
from core.scoping import ensure_can_write
from core.transitions import can_transition, record_created, transition
from households.models import Household, HouseholdStatus, PoorVillage

from .. import draw
from ..models import (
    FindingStatus,
    GroupKind,
    InspectionGroup,
    ItemStatus,
    NotificationKind,
    PlanStatus,
    TargetKind,
    VisitPlan,
    VisitTarget,
)
from ..selectors import sees_secrets
from .notify import notify

DEFAULT_COUNTS = {"townships": 2, "villages_per_township": 2, "households_per_village": 3, "teams": 1}
# Households a covert visit checks: those on the register and those that have exited.
DRAWN_STATUSES = (HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, HouseholdStatus.RETURNED)


@transaction.atomic
def inspection_group_sync(*, actor=None) -> list[InspectionGroup]:
    """One InspectionGroup per core.Unit of kind inspection_group; its officers become inspectors."""
    groups = []
    for unit in Unit.objects.filter(kind=UnitKind.INSPECTION_GROUP).select_related("region"):
        group, _created = InspectionGroup.objects.get_or_create(
            unit=unit, defaults={"name": unit.name, "region": unit.region}
        )
        officers = list(unit.officers.filter(is_active=True).order_by("id"))
        if group.leader_id is None and officers:
            group.leader = next((o for o in officers if "组长" in o.position), officers[0])
            group.save(update_fields=["leader", "updated_at"])
        group.inspectors.add(*officers)
        groups.append(group)
    return groups


def _open_problem_counts(county: Region) -> Counter:
    """Open problems (confirmed findings with an unclosed item) per region code and household."""
    from ..models import Finding

    rows = (
        Finding.objects.filter(
            region__code__startswith=county.prefix,
            status=FindingStatus.CONFIRMED,
            rectification_items__status__in=[ItemStatus.OPEN, ItemStatus.SUBMITTED],
        )
        .values_list("id", "region_id", "household_id")
        .distinct()
    )
    counts: Counter = Counter()
    for _id, region_code, household_id in rows:
        counts[("township", region_code[:9])] += 1
        counts[("village", region_code)] += 1
        if household_id:
            counts[("household", household_id)] += 1
    return counts


class _Snapshot:
    """Reads candidates from the database while the draw runs, recording exactly what it read."""

    def __init__(self, county: Region, open_counts: Counter):
        self.open = open_counts
        self.townships = [
            [code, 1 + self.open[("township", code[:9])]]
            for code in Region.objects.filter(parent=county, level="township").order_by("code").values_list("code", flat=True)
        ]  # fmt: skip
        self.villages: dict[str, list] = {}
        self.households: dict[str, list] = {}
        self.teams = _team_candidates(county)

    def villages_of(self, township: str) -> list[list]:
        poor = set(
            PoorVillage.objects.filter(village__parent_id=township, status="poor").values_list(
                "village_id", flat=True
            )
        )
        self.villages[township] = [
            [code, 1 + self.open[("village", code)] + (1 if code in poor else 0)]
            for code in Region.objects.filter(parent_id=township, level="village").order_by("code").values_list("code", flat=True)
        ]  # fmt: skip
        return self.villages[township]

    def households_of(self, village: str) -> list[list]:
        ids = (
            Household.objects.filter(village_id=village, status__in=DRAWN_STATUSES)
            .order_by("id")
            .values_list("id", flat=True)
        )
        self.households[village] = [[str(pk), 1 + 2 * self.open[("household", pk)]] for pk in ids]
        return self.households[village]


def _team_candidates(county: Region) -> list[list]:
    """Current work teams serving a village of the county: [team id, weight, village], weight
    1 + the first secretary's absences found in earlier spot checks (absent before, checked more)."""
    from django.db.models import Count, Min, Q

    from assistance.selectors import current_teams

    from ..models import TeamCheck

    rows = (
        current_teams()
        .filter(served__village__code__startswith=county.prefix)
        .annotate(village=Min("served__village_id"))
        .values_list("pk", "first_secretary_id", "village")
        .order_by("pk")
    )
    rows = list(rows)
    absences = dict(
        TeamCheck.objects.filter(first_secretary_id__in=[r[1] for r in rows], secretary_present=False)
        .values("first_secretary_id")
        .annotate(n=Count("pk", filter=Q(secretary_present=False)))
        .values_list("first_secretary_id", "n")
    )
    return [[str(pk), 1 + absences.get(secretary, 0), village] for pk, secretary, village in rows]


@transaction.atomic
def visit_plan_draw(
    *,
    group: InspectionGroup,
    county: Region,
    month: dt.date,
    actor,
    counts: dict[str, int] | None = None,
    seed: str | None = None,
    department: Unit | None = None,
) -> VisitPlan:
    """Draw this month's covert visit targets in a county and store the draw so it can be re-run.

    `department`: an inspection group's plan may inspect a city department (领导小组成员单位) — its
    work is checked at the grassroots of `county`, drawn the same way and kept as secret. A
    supervision group's visit (市委督导组, 抓乡带村促县) takes one township and its villages."""
    if not sees_secrets(actor):
        raise DomainError(
            _("Only city inspectors and administrators draw covert visit plans."), field="group"
        )
    ensure_can_write(actor, county.code)
    if county.level != "county":
        raise DomainError(_("Choose a county to inspect."), field="county")
    if department is not None:
        if group.kind != GroupKind.INSPECTION:
            raise DomainError(
                _("Only the dedicated inspection groups inspect city departments."), field="department"
            )
        if department.kind != UnitKind.DEPARTMENT or not department.is_active:
            raise DomainError(_("Choose a department of the city to inspect."), field="department")
        if not county.code.startswith(department.region_id[:4]):
            raise DomainError(_("Choose a county of the department's city."), field="county")
        ensure_can_write(actor, department.region_id)
    counts = {**DEFAULT_COUNTS, **(counts or {})}
    if group.kind == GroupKind.SUPERVISION:
        counts["townships"] = 1  # 抓乡带村促县: one township and its villages
    for key, value in counts.items():
        if not 0 < int(value) <= 20:
            raise DomainError(_("Each count must be between 1 and 20."), field=key)
    month = month.replace(day=1)
    seed = seed or secrets.token_hex(16)
    snapshot = _Snapshot(county, _open_problem_counts(county))
    targets = draw.draw_targets(
        seed=seed, counts=counts, townships=snapshot.townships,
        villages_of=snapshot.villages_of, households_of=snapshot.households_of, teams=snapshot.teams,
    )  # fmt: skip
    inputs = {
        "algorithm_version": draw.ALGORITHM_VERSION,
        "county": county.code,
        **({"department": department.pk} if department is not None else {}),
        "month": month.isoformat(),
        "counts": counts,
        "weights": "township: 1 + open problems; village: 1 + open problems + 1 if poor village; "
        "household: 1 + 2 × open problems; team: 1 + earlier absences of its first secretary",
        "townships": snapshot.townships,
        "villages": snapshot.villages,
        "households": snapshot.households,
        "teams": snapshot.teams,
    }
    with actor_context(actor):
        plan = VisitPlan(
            group=group, county=county, department=department, month=month, seed=seed,
            algorithm_version=draw.ALGORITHM_VERSION, draw_inputs=inputs, created_by=actor,
        )  # fmt: skip
        full_clean(plan, exclude=["created_by", "group", "county", "department"], validate_constraints=False)
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            if department is not None:
                raise ConflictError(
                    _("This group already has a plan for this department and month."), field="month"
                ) from None
            raise ConflictError(
                _("This group already has a plan for this county and month."), field="month"
            ) from None
        VisitTarget.objects.bulk_create(
            [
                VisitTarget(
                    plan=plan,
                    kind=t.kind,
                    position=i,
                    region_id=t.parent if t.kind in (TargetKind.HOUSEHOLD, TargetKind.TEAM) else t.key,
                    household_id=int(t.key) if t.kind == TargetKind.HOUSEHOLD else None,
                    team_id=int(t.key) if t.kind == TargetKind.TEAM else None,
                )
                for i, t in enumerate(targets)
            ]
        )
        record_created(plan, actor=actor)
    notify(
        unit=group.unit, kind=NotificationKind.PLAN_DRAWN, plan=plan,
        message=_("Covert visit plan drawn: %(county)s, %(month)s.") % {
            "county": f"{department.name} · {county.name}" if department is not None else county.name,
            "month": f"{month:%Y-%m}"},
        url=reverse("inspections:plan_detail", args=[plan.pk]),
    )  # fmt: skip
    return plan


def visit_plan_verify_draw(*, plan: VisitPlan) -> tuple[bool, list[draw.Target], list[draw.Target]]:
    """Re-run the stored draw: (matches, re-drawn targets, stored targets)."""
    redrawn = draw.redraw(plan)
    stored = draw.stored_targets(plan)
    return redrawn == stored, redrawn, stored


def plan_mark_filed(*, plan: VisitPlan, at, actor) -> None:
    """Its report is filed: the plan is filed too (once; a second report changes nothing)."""
    if can_transition(plan, PlanStatus.FILED):
        transition(plan, PlanStatus.FILED, actor=actor, updates={"filed_at": at})
