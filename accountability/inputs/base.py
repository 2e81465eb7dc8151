"""What every input source shares: a subject's scope, the inputs record, the region and month filters,
and the row index the grouped collectors ("every subject of a month at once") match scopes against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from core.models import Officer, Unit, UnitKind
from core.regions import prefix_from_code

from ..models import Responsibility
from ..periods import month_end, next_month

# Units that answer for everything in their region (territorial responsibility).
TERRITORIAL_KINDS = (UnitKind.PARTY_COMMITTEE, UnitKind.GOVERNMENT, UnitKind.TOWNSHIP, UnitKind.VILLAGE)
SEVERITIES = ("minor", "serious", "grave")


@dataclass(frozen=True)
class Scope:
    """What a subject answers for: regions (code prefixes), and findings naming its unit or itself."""

    prefixes: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    officer_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {
            "prefixes": list(self.prefixes),
            "units": list(self.unit_ids),
            "officers": list(self.officer_ids),
        }


@dataclass
class Inputs:
    counts: dict[str, int] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)

    def as_dict(self, scope: Scope, month: dt.date) -> dict:
        return {
            "month": month.isoformat(),
            "scope": scope.as_dict(),
            "counts": self.counts,
            "sources": self.sources,
        }


def scope_of_unit(unit: Unit) -> Scope:
    prefixes = (prefix_from_code(unit.region_id),) if unit.kind in TERRITORIAL_KINDS else ()
    return Scope(prefixes=prefixes, unit_ids=(unit.pk,))


def scope_of_officer(officer: Officer, month: dt.date) -> Scope:
    """The regions of every responsibility the officer held on any day of the month."""
    resps = Responsibility.objects.filter(officer=officer, valid_from__lte=month_end(month)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month)
    )
    prefixes = sorted({prefix_from_code(r) for r in resps.values_list("region_id", flat=True)})
    return Scope(prefixes=tuple(prefixes), officer_ids=(officer.pk,))


def _region_q(scope: Scope, field_name: str) -> Q:
    if field_name.endswith("_id"):  # a foreign key to Region: filter its code (no join: code is the key)
        field_name = f"{field_name[:-3]}__code"
    return reduce(or_, (Q(**{f"{field_name}__startswith": p}) for p in scope.prefixes), Q(pk__in=[]))


def _between(field_name: str, month: dt.date) -> Q:
    """field in [month, next month) — dates or aware datetimes compared in Asia/Shanghai."""
    return Q(**{f"{field_name}__date__gte": month, f"{field_name}__date__lt": next_month(month)})


def scopes_of_officers(officers: list[Officer], month: dt.date) -> list[Scope]:
    """`[scope_of_officer(o, month) for o in officers]` in one query."""
    resps = Responsibility.objects.filter(
        officer__in=[o.pk for o in officers], valid_from__lte=month_end(month)
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
    regions: dict[int, set[str]] = {}
    for officer_id, region in resps.values_list("officer_id", "region_id"):
        regions.setdefault(officer_id, set()).add(prefix_from_code(region))
    return [Scope(prefixes=tuple(sorted(regions.get(o.pk, ()))), officer_ids=(o.pk,)) for o in officers]


# --- every subject of a month at once ----------------------------------------------------------
#
# The same inputs as `collect`, for many scopes with one query per indicator: each query selects the
# month's rows for every region (the collector's own filters, without the "who" part) with the columns
# the "who" part tests — region code, responsible unit, officers — and each scope keeps the rows it
# would have matched. Plan gaps, the only indicator over the whole register, are counted per village
# in one GROUP BY and summed per scope (a household lies in one village, so the union of a scope's
# prefixes is the sum of its villages). Results are identical to `collect` scope by scope (tested).


class _Rows:
    """The month's rows of one indicator, indexed by what a scope's "who" part tests."""

    def __init__(self, scopes: list[Scope]):
        self.lengths = sorted({len(p) for s in scopes for p in s.prefixes})
        self.by_prefix: dict[str, set[int]] = {}
        self.by_unit: dict[int, set[int]] = {}
        self.by_officer: dict[int, set[int]] = {}

    def add(self, pk: int, *, region: str | None = None, unit: int | None = None, officer: int | None = None):
        if region:
            for n in self.lengths:
                if len(region) >= n:  # code.startswith(p) ⇔ code[:len(p)] == p for codes long enough
                    self.by_prefix.setdefault(region[:n], set()).add(pk)
        if unit is not None:
            self.by_unit.setdefault(unit, set()).add(pk)
        if officer is not None:
            self.by_officer.setdefault(officer, set()).add(pk)

    def of(self, scope: Scope, *, units: bool = True, officers: bool = True) -> set[int]:
        """The rows the scope's "who" part matches: its prefixes, or its units, or its officers."""
        out: set[int] = set()
        for p in scope.prefixes:
            out |= self.by_prefix.get(p, set())
        if units:
            for u in scope.unit_ids:
                out |= self.by_unit.get(u, set())
        if officers:
            for o in scope.officer_ids:
                out |= self.by_officer.get(o, set())
        return out
