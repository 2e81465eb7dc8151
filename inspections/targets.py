"""Reads for the three targets (三个显著提升; 三个零差错 is `error_rates`) and the 六个一 line this app owns.

Every figure is one aggregated query grouped by county (the first 6 digits of a region code);
the rows behind it come from the same queryset, so a figure is always a count of its rows.
Only filed reports count: a draft visit has no result yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from core.models import Region, RegionLevel
from core.scoping import region_rows, scope
from households.models import Household, HouseholdStatus

from .models import (
    SATISFIED_ANSWERS,
    ReportStatus,
    SurveyResponse,
    TeamCheck,
    VisitReport,
)
from .selectors import sees_secrets

ON_REGISTER = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED)
LEVEL_DIGITS = {"county": 6, "township": 9, "village": 12}


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


@dataclass(frozen=True)
class Rate:
    """part / whole, with the sample size always beside the rate."""

    part: int
    whole: int

    @property
    def rate(self) -> float | None:
        return self.part / self.whole if self.whole else None

    def as_dict(self) -> dict:
        return {"part": self.part, "whole": self.whole, "rate": self.rate}


def _by(qs: QuerySet, field: str, digits: int, **counts) -> dict[str, dict]:
    rows = qs.annotate(_code=Substr(field, 1, digits)).values("_code").annotate(**counts).order_by("_code")
    return {r.pop("_code").ljust(12, "0"): r for r in rows}


# --- surveys ---------------------------------------------------------------------------------


def survey_list(*, actor, filters: dict | None = None) -> QuerySet[SurveyResponse]:
    filters = filters or {}
    qs = scope(SurveyResponse.objects.all(), actor=actor, field="village_id")
    if not sees_secrets(actor):
        qs = qs.filter(report__status=ReportStatus.FILED)
    if filters.get("report"):
        qs = qs.filter(report_id=filters["report"])
    return qs.select_related("household", "village", "report")


def surveys_counted(
    *, prefix: str = "", actor=None, month: dt.date | None = None, year: int | None = None
) -> QuerySet:
    """The surveys the rates count: filed visits, in the region, in the month (or year).

    `actor`: a reader's page — their scope (a first secretary: their villages); `prefix`: a
    figure of the 六个一 board over a region already checked to be the reader's."""
    qs = SurveyResponse.objects.filter(report__status=ReportStatus.FILED)
    qs = (
        scope(qs, actor=actor, field="village_id", within=prefix or None)
        if actor is not None
        else (region_rows(qs, field="village_id", region=prefix))
    )
    if month is not None:
        start, end = month_bounds(month)
        qs = qs.filter(answered_on__gte=start, answered_on__lt=end)
    elif year is not None:
        qs = qs.filter(answered_on__year=year)
    return qs


def survey_rates(*, prefix: str = "", actor=None, level: str = "county", month: dt.date | None = None,
                 year: int | None = None) -> dict[str, dict[str, Rate]]:  # fmt: skip
    """{region code: {"recognition": Rate, "satisfaction": Rate}} by village, township or county."""
    rows = _by(
        surveys_counted(prefix=prefix, actor=actor, month=month, year=year), "village_id", LEVEL_DIGITS[level],
        n=Count("pk"), recognised=Count("pk", filter=Q(recognises=True)),
        satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED_ANSWERS)),
    )  # fmt: skip
    return {
        code: {"recognition": Rate(r["recognised"], r["n"]), "satisfaction": Rate(r["satisfied"], r["n"])}
        for code, r in rows.items()
    }


# --- identification, exit and fund errors: inspections.error_rates (三个零差错, defined once) ---


# --- 问题一村一村查找: villages inspected this year -------------------------------------------


def villages_inspected_base(
    *, prefix: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet[Region]:
    """Villages with households on the register, each marked `done` if a filed covert visit
    reached it this year. The line's figure per county is count(done) / count(rows)."""
    villages = region_rows(
        Region.objects.filter(level=RegionLevel.VILLAGE), field="code", region=prefix, actor=actor
    )
    return (
        villages.filter(Exists(Household.objects.filter(village=OuterRef("pk"), status__in=ON_REGISTER)))
        .annotate(
            done=Exists(
                VisitReport.objects.filter(
                    village=OuterRef("pk"), status=ReportStatus.FILED, visit_date__year=year
                )
            ),
            county=Substr("code", 1, 6),
        )
        .order_by("code")
    )


def team_check_list(*, actor) -> QuerySet[TeamCheck]:
    qs = scope(TeamCheck.objects.all(), actor=actor, field="village_id")
    if not sees_secrets(actor):
        qs = qs.filter(Q(plan__isnull=True) | Q(plan__status="filed"))
    return qs.select_related("team", "first_secretary", "village", "checked_by")
