"""Inputs from the assistance app: households needing a plan that have none or leave a cause uncovered."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, FilteredRelation, Q

from assistance.selectors import NEEDS_PLAN_STATUSES, UncoveredCauses
from households.models import Household

from ..models import IndicatorCode
from .base import Inputs, Scope, _region_q


def collect_plan_gaps(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Households that need a plan this year and have none, or whose plan leaves a cause uncovered."""
    key = IndicatorCode.PLAN_GAPS
    if not scope.prefixes:
        inputs.sources["assistance.coverage"] = {"available": True, "note": "no region"}
        inputs.counts.setdefault(key, 0)
        return
    qs = (
        Household.objects.filter(_region_q(scope, "village_id"), status__in=NEEDS_PLAN_STATUSES)
        .annotate(this_plan=FilteredRelation("assistance_plans", condition=Q(assistance_plans__year=month.year)))
        .annotate(plan_id=F("this_plan__id"), uncovered=UncoveredCauses("this_plan__id", "main_cause", "secondary_causes"))
        .filter(Q(plan_id__isnull=True) | Q(uncovered__len__gt=0))
    )  # fmt: skip
    inputs.counts[key] = qs.count()
    inputs.sources["assistance.coverage"] = {"available": True, "year": month.year, "as_of": "computation"}


def collect_plan_gaps_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    key = IndicatorCode.PLAN_GAPS
    prefixes = sorted({p for s in scopes for p in s.prefixes})
    # The fewest prefixes covering them all (a township inside a scored county adds nothing).
    covering = [p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)]
    per_village: dict[str, int] = {}
    if covering:
        qs = Household.objects.filter(status__in=NEEDS_PLAN_STATUSES)
        if len(covering) <= 50:  # else (a province): every village, no long OR on each row
            qs = qs.filter(_region_q(Scope(prefixes=tuple(covering)), "village_id"))
        qs = (
            qs.annotate(this_plan=FilteredRelation("assistance_plans", condition=Q(assistance_plans__year=month.year)))
            # The plan's stored coverage (kept by PostgreSQL from the measures and the household's
            # causes, the same rule as UncoveredCauses): read from the coverage index, no subquery.
            .filter(Q(this_plan__id__isnull=True) | Q(this_plan__uncovered_count__gt=0))
            .order_by()
            .values("village_id")
            .annotate(n=Count("*"))
            .values_list("village_id", "n")
        )  # fmt: skip
        per_village = dict(qs)
    by_prefix: dict[str, int] = dict.fromkeys(prefixes, 0)
    lengths = sorted({len(p) for p in prefixes})
    for village, n in per_village.items():
        for length in lengths:
            if village[:length] in by_prefix:
                by_prefix[village[:length]] += n
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        if not scope.prefixes:
            inputs.sources["assistance.coverage"] = {"available": True, "note": "no region"}
            inputs.counts.setdefault(key, 0)
            continue
        # Overlapping prefixes of one scope (a county and one of its townships) count a village once.
        own = [p for p in scope.prefixes if not any(p != q and p.startswith(q) for q in scope.prefixes)]
        inputs.counts[key] = sum(by_prefix[p] for p in set(own))
        inputs.sources["assistance.coverage"] = {
            "available": True,
            "year": month.year,
            "as_of": "computation",
        }
