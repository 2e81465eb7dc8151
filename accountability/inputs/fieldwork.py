"""Inputs from the work in the villages (assistance, issue 18.2–18.3): households their responsible
officer did not visit in the month (走访), and days short of the county's required days in the
village (驻村). Counted for the scheme versions that hold these indicators.

- `households_not_visited`: for an officer, the households they were responsible for during the
  month (an assignment overlapping it) that they did not visit in it; for a region, the households
  to assist there that nobody visited in the month.
- `presence_shortfall`: for an officer, the days they were short in the month on every team they
  belonged to; for a region, the shortfalls of the teams serving a village there.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from assistance.models import OfficerAssignment, Visit
from assistance.selectors import NEEDS_PLAN_STATUSES, presence_month, visits_per_officer
from households.models import Household

from ..models import IndicatorCode
from ..periods import month_end
from .base import Inputs, Scope, _region_q

NOT_VISITED = IndicatorCode.HOUSEHOLDS_NOT_VISITED
SHORTFALL = IndicatorCode.PRESENCE_SHORTFALL


def _covering(prefixes: set[str]) -> list[str]:
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def _own(scope: Scope) -> set[str]:
    return set(_covering(set(scope.prefixes)))


def collect_fieldwork_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    end = month_end(month)
    in_month = Q(visited_on__gte=month, visited_on__lte=end)

    # Officers: their households of the month not visited by them in it.
    officer_ids = sorted({o for s in scopes for o in s.officer_ids})
    by_officer: dict[int, int] = {}
    if officer_ids:
        visited = Visit.objects.filter(
            in_month, household_id=OuterRef("household_id"), officer_id=OuterRef("officer_id")
        )
        by_officer = dict(
            OfficerAssignment.objects.filter(officer_id__in=officer_ids, started_on__lte=end)
            .filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=month), household__status__in=NEEDS_PLAN_STATUSES
            )
            .filter(~Exists(visited))
            .order_by()
            .values("officer_id")
            .annotate(n=Count("household_id", distinct=True))
            .values_list("officer_id", "n")
        )

    # Regions: households to assist nobody visited in the month, per village, summed per prefix.
    prefixes = {p for s in scopes for p in s.prefixes}
    by_prefix: dict[str, int] = dict.fromkeys(prefixes, 0)
    covering = _covering(prefixes)
    if covering:
        qs = Household.objects.filter(status__in=NEEDS_PLAN_STATUSES)
        if len(covering) <= 50:
            qs = qs.filter(_region_q(Scope(prefixes=tuple(covering)), "village_id"))
        anyone = Visit.objects.filter(in_month, household_id=OuterRef("pk"))
        per_village = qs.filter(~Exists(anyone)).order_by().values("village_id").annotate(n=Count("*"))
        lengths = sorted({len(p) for p in prefixes})
        for row in per_village.values_list("village_id", "n"):
            for length in lengths:
                if row[0][:length] in by_prefix:
                    by_prefix[row[0][:length]] += row[1]

    # Days in the village: every team of the month, its people's shortfalls.
    rows = presence_month(month=month) if (officer_ids or prefixes) else []
    short_officer: dict[int, int] = {}
    for r in rows:
        short_officer[r.officer.pk] = short_officer.get(r.officer.pk, 0) + r.shortfall

    visits = visits_per_officer(officer_ids=officer_ids, start=month, end=end) if officer_ids else {}
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        own = _own(scope)
        not_visited = sum(by_officer.get(o, 0) for o in scope.officer_ids) + sum(
            by_prefix.get(p, 0) for p in own
        )
        shortfall = sum(short_officer.get(o, 0) for o in scope.officer_ids)
        shortfall += sum(r.shortfall for r in rows if any(v.startswith(p) for p in own for v in r.villages))
        inputs.counts[NOT_VISITED] = not_visited
        inputs.counts[SHORTFALL] = shortfall
        inputs.sources["assistance.fieldwork"] = {
            "available": True, "as_of": "computation",
            "visits_by_officer": {str(o): visits.get(o, 0) for o in scope.officer_ids},
        }  # fmt: skip


def collect_fieldwork(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    collect_fieldwork_all([scope], month, [inputs])
