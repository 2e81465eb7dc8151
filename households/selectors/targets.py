"""The year's targets and what the register says was achieved against them (issue 18.5).

Achieved in a year, defined once here (the dashboard and the monthly bulletin read these):
- households: those whose exit procedure (精准退出) was completed in the year — the day its case
  moved to completed, in Asia/Shanghai; a household that later returned still exited that year;
- people: the active members of those households;
- villages: poor villages exited with that exit year (the village's status and exit year).

Each figure is one grouped query by county, and the drill-down shows the same rows (`*_rows`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.http import Http404

from core.models import Region, RegionLevel
from core.scoping import region_rows, scope

from ..models import (
    CaseState,
    ExitTarget,
    Household,
    Member,
    PoorVillage,
    PoorVillageStatus,
    PoorVillageStatusChange,
    ProcedureCaseStatusChange,
    ProcedureKind,
)

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
FIGURES = ("people", "households", "villages")


def target_list(*, actor, year: int | None = None) -> QuerySet[ExitTarget]:
    qs = scope(ExitTarget.objects.all(), actor=actor, field="region_id")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.select_related("region", "recorded_by").order_by("-year", "region_id")


def target_get(*, actor, region_code: str, year: int) -> ExitTarget | None:
    """The region's target row for the year, None when none was recorded (404 outside the scope)."""
    if not scope(Region.objects.filter(code=region_code), actor=actor, field="code").exists():
        raise Http404
    return ExitTarget.objects.filter(region_id=region_code, year=year).select_related("region").first()


def target_regions(*, actor) -> list[Region]:
    """The city and counties whose targets the actor sees (a county user: their county)."""
    regions = scope(
        Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]), actor=actor, field="code"
    )
    return list(regions.order_by("code"))


# --- achieved: counted from the register ---------------------------------------------------------


def _bounds(year: int, until: dt.date | None) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, 1, 1, tzinfo=TZ)
    end = dt.datetime(year + 1, 1, 1, tzinfo=TZ)
    if until is not None:
        end = min(end, dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=TZ))
    return start, end


def _completions(year: int, until: dt.date | None):
    start, end = _bounds(year, until)
    return ProcedureCaseStatusChange.objects.filter(
        case__kind=ProcedureKind.EXIT, to_status=CaseState.COMPLETED, at__gte=start, at__lt=end
    )


def exited_households(*, prefix: str, year: int, until: dt.date | None = None, actor=None) -> QuerySet:
    """Households whose exit procedure was completed in the year (up to `until`), each with
    `exited_at`: the completion. With `actor`, only those in the reader's scope."""
    done = _completions(year, until)
    qs = region_rows(Household.objects.all(), field="village_id", region=prefix, actor=actor)
    last = done.filter(case__household=OuterRef("pk")).order_by().values("case__household")
    return qs.filter(pk__in=done.values("case__household_id")).annotate(
        exited_at=Subquery(last.annotate(m=Max("at")).values("m")[:1])
    )


def exited_villages(*, prefix: str, year: int, until: dt.date | None = None, actor=None) -> QuerySet:
    """Poor villages exited with this exit year; with `until`, not those moved to exited after it."""
    qs = region_rows(PoorVillage.objects.all(), field="village_id", region=prefix, actor=actor)
    qs = qs.filter(status=PoorVillageStatus.EXITED, exit_year=year)
    if until is not None:
        _start, end = _bounds(year, until)
        later = PoorVillageStatusChange.objects.filter(to_status=PoorVillageStatus.EXITED, at__gte=end)
        qs = qs.exclude(pk__in=later.values("poor_village_id"))
    return qs.select_related("village").order_by("village_id")


def _by_county(qs: QuerySet, field: str, *, distinct: bool = False) -> dict[str, int]:
    rows = (
        qs.annotate(_c=Substr(field, 1, 6)).order_by().values("_c").annotate(n=Count("pk", distinct=distinct))
    )
    return {r["_c"].ljust(12, "0"): r["n"] for r in rows}


def achieved_by_county(*, prefix: str, year: int, until: dt.date | None = None) -> dict[str, dict[str, int]]:
    """{county code: {"households", "people", "villages"}} counted from the register. 3 queries."""
    # Joined along the foreign keys (each join an index look-up), counted distinct: a subquery of
    # a subquery (household IN (household IN (completions))) was planned as nested loops without
    # an index condition where the tables had no statistics yet — minutes for 1,000 households.
    start, end = _bounds(year, until)
    completed = {
        "kind": ProcedureKind.EXIT,
        "status_changes__to_status": CaseState.COMPLETED,
        "status_changes__at__gte": start,
        "status_changes__at__lt": end,
    }
    exited = region_rows(Household.objects.all(), field="village_id", region=prefix).filter(
        **{f"procedures__{k}": v for k, v in completed.items()}
    )
    people = region_rows(
        Member.objects.filter(is_active=True), field="household__village_id", region=prefix
    ).filter(**{f"household__procedures__{k}": v for k, v in completed.items()})
    out: dict[str, dict[str, int]] = {}
    counts = {
        "households": _by_county(exited, "village_id", distinct=True),
        "people": _by_county(people, "household__village_id", distinct=True),
        "villages": _by_county(exited_villages(prefix=prefix, year=year, until=until), "village_id"),
    }
    for key, by_county in counts.items():
        for county, n in by_county.items():
            out.setdefault(county, dict.fromkeys(FIGURES, 0))[key] = n
    return out


# --- progress: targets beside what was achieved ----------------------------------------------------


@dataclass
class Progress:
    """One region's year: its target row (or None), what the register counts, the recorded results."""

    region: Region
    year: int
    target: ExitTarget | None
    achieved: dict[str, int]
    counties: list[Progress] = field(default_factory=list)

    def target_of(self, key: str) -> int | None:
        return getattr(self.target, key, None) if self.target else None

    def recorded_of(self, key: str) -> int | None:
        return getattr(self.target, f"achieved_{key}", None) if self.target else None

    def share(self, key: str) -> float | None:
        goal = self.target_of(key)
        return self.achieved.get(key, 0) / goal if goal else None

    def lines(self) -> list[dict]:
        return [
            {"key": k, "target": self.target_of(k), "achieved": self.achieved.get(k, 0), "share": self.share(k),
             "recorded": self.recorded_of(k), "remaining": max((self.target_of(k) or 0) - self.achieved.get(k, 0), 0)}
            for k in FIGURES
        ]  # fmt: skip

    def as_dict(self) -> dict:
        return {
            "code": self.region.code, "name": self.region.name, "year": self.year, "lines": self.lines(),
            "recorded_source": self.target.achieved_source if self.target else "",
            "counties": [c.as_dict() for c in self.counties],
        }  # fmt: skip


def progress(*, region: Region, year: int, until: dt.date | None = None) -> Progress:
    """Targets and achievements of `region` (already checked against the reader) and of each county
    in it. 4 queries, whatever the number of counties."""
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=region.prefix).order_by("code")
    )
    codes = [region.code, *(c.code for c in counties)]
    targets = {t.region_id: t for t in ExitTarget.objects.filter(region_id__in=codes, year=year)}
    achieved = achieved_by_county(prefix=region.prefix, year=year, until=until)
    zero = dict.fromkeys(FIGURES, 0)
    rows = [Progress(c, year, targets.get(c.code), achieved.get(c.code, dict(zero))) for c in counties]
    if region.level == RegionLevel.COUNTY:
        own = next((r for r in rows if r.region.code == region.code), None)
        return own or Progress(region, year, targets.get(region.code), dict(zero))
    total = {k: sum(r.achieved.get(k, 0) for r in rows) for k in FIGURES}
    return Progress(region, year, targets.get(region.code), total, counties=rows)
