"""Reads for the dashboard: figures for a region and its children, and the rows behind a figure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.models import CHILD_LEVEL, Region
from core.regions import prefix_from_code
from core.scoping import in_scope, scope
from households.models import Household, HouseholdStatusChange, Member, PoorVillage

from .figures import BY_NAME, TZ
from .models import FigureRefresh, RegionFigure

Figures = dict[str, dict[str, Decimal]]


@dataclass
class Overview:
    region: Region
    as_of: dt.datetime | None
    figures: Figures
    year: int
    children: list[tuple[Region, Figures]] = field(default_factory=list)

    def get(self, metric: str, key: str = "") -> Decimal:
        return self.figures.get(metric, {}).get(key, Decimal(0))

    def total(self, metric: str) -> Decimal:
        return sum(self.figures.get(metric, {}).values(), Decimal(0))

    def months(self, metric: str, count: int = 12) -> list[tuple[str, Decimal]]:
        """The months of the chosen year (up to the as-of month in the current year), zero-filled."""
        now = timezone.localtime(self.as_of or timezone.now()).date()
        end = now.replace(day=1) if self.year >= now.year else dt.date(self.year, 12, 1)
        keys = []
        y, m = end.year, end.month
        for _ in range(count):
            keys.append(f"{y:04d}-{m:02d}")
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        values = self.figures.get(metric, {})
        return [(k, values.get(k, Decimal(0))) for k in reversed(keys)]


def region_for(*, actor, region_code: str | None) -> Region:
    """The region asked for, if the actor may see it (404 otherwise). Default: the actor's own."""
    code = region_code or actor.region_id
    if not code or not in_scope(actor, code):
        raise Http404
    try:
        return Region.objects.select_related("parent__parent__parent__parent").get(code=code)
    except Region.DoesNotExist:
        raise Http404 from None


def _figures(rows) -> Figures:
    out: Figures = defaultdict(dict)
    for metric, key, value in rows:
        out[metric][key] = value
    return dict(out)


def as_of() -> dt.datetime | None:
    return FigureRefresh.objects.order_by("-finished_at").values_list("finished_at", flat=True).first()


def overview(
    *, actor, region_code: str | None = None, year: int | None = None, with_children: bool = True
) -> Overview:
    region = region_for(actor=actor, region_code=region_code)
    rows = RegionFigure.objects.filter(region_code=region.code).values_list("metric", "key", "value")
    result = Overview(
        region=region,
        as_of=as_of(),
        figures=_figures(rows),
        year=year or timezone.localtime().year,
    )
    if with_children:
        result.children = children(actor=actor, region=region)
    return result


CHILD_METRICS = ("households", "people", "exits_year", "poor_villages")


def years_with_data(ov: Overview) -> list[int]:
    keys = set(ov.figures.get("exits_year", {})) | {k[:4] for k in ov.figures.get("registrations_month", {})}
    return sorted({int(k) for k in keys if k.isdigit()} | {timezone.localtime().year}, reverse=True)


def children(*, actor, region: Region, metrics=CHILD_METRICS) -> list[tuple[Region, Figures]]:
    child_level = CHILD_LEVEL.get(region.level)
    if child_level is None:
        return []
    kids = list(scope(Region.objects.filter(parent=region), actor=actor, field="code").order_by("code"))
    if not kids:
        return []
    depth = len(prefix_from_code(kids[0].code))
    rows = RegionFigure.objects.filter(
        depth=depth, metric__in=metrics, region_code__startswith=region.prefix
    ).values_list("region_code", "metric", "key", "value")
    by_code: dict[str, list] = defaultdict(list)
    for code, metric, key, value in rows:
        by_code[code].append((metric, key, value))
    return [(kid, _figures(by_code.get(kid.code, []))) for kid in kids]


# --- the rows behind a figure: the same conditions as the metric's SQL, scoped -------------


def _year_bounds(key: str) -> tuple[dt.datetime, dt.datetime]:
    import zoneinfo

    tz = zoneinfo.ZoneInfo(TZ)
    if len(key) == 4:
        start = dt.datetime(int(key), 1, 1, tzinfo=tz)
        end = dt.datetime(int(key) + 1, 1, 1, tzinfo=tz)
    else:
        y, m = int(key[:4]), int(key[5:7])
        start = dt.datetime(y, m, 1, tzinfo=tz)
        end = dt.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=tz)
    return start, end


def _changed_to(status: str, key: str) -> Q:
    """Households with a change to `status` in the year or month `key` (Asia/Shanghai).

    An IN over the status-change rows (hashed once), not a correlated EXISTS per household:
    on freshly loaded tables without statistics the planner turned the EXISTS form into a
    nested loop of minutes.
    """
    start, end = _year_bounds(key)
    changed = HouseholdStatusChange.objects.filter(to_status=status, at__gte=start, at__lt=end).values(
        "household_id"
    )
    return Q(pk__in=changed)


ROW_METRICS = {
    "households": "household",
    "cause": "household",
    "attribute": "household",
    "exits_year": "household",
    "exits_month": "household",
    "returns_month": "household",
    "registrations_month": "household",
    "people": "member",
    "exit_people_year": "member",
    "poor_villages": "village",
    "village_exits_year": "village",
    "plan_coverage": "household",
    "late_plans": "household",
    "without_officer": "household",
    "fund_budget": "line",
    "fund_allocated": "line",
    "fund_disbursed": "line",
    "fund_disbursed_month": "line",
    "findings": "finding",
    "findings_month": "finding",
    "rectification": "item",
    "cases": "case",
    "cases_month": "case",
}


def _valid_key(metric: str, key: str) -> bool:
    if metric in {"exits_year", "exit_people_year", "village_exits_year"}:
        return len(key) == 4 and key.isdigit()
    if metric.endswith("_month"):
        return (
            len(key) == 7
            and key[:4].isdigit()
            and key[4] == "-"
            and key[5:].isdigit()
            and 1 <= int(key[5:]) <= 12
        )
    return True


def figure_rows(*, actor, region_code: str, metric: str, key: str = "") -> QuerySet:
    """Exactly the source rows a figure counts, within the actor's scope."""
    if metric not in ROW_METRICS or metric not in BY_NAME or not _valid_key(metric, key):
        raise Http404
    region = region_for(actor=actor, region_code=region_code)
    # Every source below is scoped by core.scoping and narrowed to the region in the same call
    # (scope(within=)): the region was checked against the scope, the rows are checked too.
    within = region.code
    kind = ROW_METRICS[metric]
    if kind == "village":
        qs = scope(
            PoorVillage.objects.select_related("village"), actor=actor, field="village_id", within=within
        )
        if metric == "poor_villages":
            return qs.filter(status=key).order_by("village_id")
        return qs.filter(exit_year=int(key)).order_by("village_id")

    if kind == "line":
        return _line_rows(actor=actor, within=within, metric=metric, key=key)
    if kind == "finding":
        return _finding_rows(actor=actor, within=within, metric=metric, key=key)
    if kind == "item":
        return _item_rows(actor=actor, within=within, key=key)
    if kind == "case":
        return _case_rows(actor=actor, within=within, metric=metric, key=key)
    if metric in {"plan_coverage", "late_plans"}:
        return _plan_rows(actor=actor, within=within, metric=metric, key=key)

    households = scope(Household.objects.all(), actor=actor, field="village_id", within=within)
    registered = ("registered", "returned")
    if metric in {"households", "people"}:
        households = households.filter(status=key)
    elif metric == "cause":
        households = households.filter(status__in=registered, main_cause=key)
    elif metric == "attribute":
        households = households.filter(status__in=registered, attribute=key)
    elif metric in {"exits_year", "exits_month", "exit_people_year"}:
        households = households.filter(_changed_to("exited", key))
    elif metric == "returns_month":
        households = households.filter(_changed_to("returned", key))
    elif metric == "registrations_month":
        households = households.filter(_changed_to("registered", key))
    elif metric == "without_officer":
        households = households.filter(status__in=registered, assistance_officer__isnull=True)
    else:  # a metric without a definition of its rows: never fall back to "all households"
        raise Http404
    if kind == "member":
        return (
            Member.objects.filter(household_id__in=households.values("pk"), is_active=True)
            .select_related("household__village")
            .order_by("household_id", "id")
        )
    return households.select_related("village").order_by("village_id", "file_number")


def _plan_rows(*, actor, within: str, metric: str, key: str) -> QuerySet:
    from assistance.selectors import worklist_base

    qs = worklist_base(actor=actor, year=timezone.localdate().year, region=within)
    if metric == "late_plans":
        qs = qs.filter(late_measures__gt=0)
    elif key == "no_plan":
        qs = qs.filter(plan_id__isnull=True)
    elif key == "uncovered":
        qs = qs.filter(plan_id__isnull=False, uncovered_count__gt=0)
    elif key == "covered":
        qs = qs.filter(plan_id__isnull=False, uncovered_count=0)
    else:
        raise Http404
    return qs.select_related("village").order_by("village_id", "file_number")


def _line_rows(*, actor, within: str, metric: str, key: str) -> QuerySet:
    """Ledger lines behind a money figure, on the side the figure counts."""
    from django.db.models import Subquery

    from funds.models import Line

    lines = Line.objects.select_related("entry", "account")
    other_account = Line.objects.filter(entry_id=OuterRef("entry_id")).exclude(pk=OuterRef("pk"))
    effective_kind = Coalesce("entry__reverses__kind", "entry__kind")
    if metric == "fund_budget":
        qs = lines.filter(account__kind="fund").alias(k=effective_kind).filter(k="budget")
        qs = scope(qs, actor=actor, field="account__region_id", within=within)
    elif metric == "fund_allocated":
        qs = (
            lines.filter(account__kind__in=("county", "project"))
            .alias(k=effective_kind)
            .filter(k="allocation")
        )
        qs = qs.filter(Exists(other_account.filter(account__kind="fund")))
        qs = scope(qs, actor=actor, field="account__region_id", within=within)
    else:
        holder_region = Subquery(
            other_account.exclude(account__kind="payee").values("account__region_id")[:1],
            output_field=CharField(),
        )
        # Paid to households only once the bank says so (as the figure: issue 20.4).
        awaiting = Q(entry__request__payee_kind="household", entry__request__status__in=("approved", "sent"))
        qs = lines.filter(account__kind="payee").exclude(awaiting).alias(holder_region=holder_region)
        qs = scope(qs, actor=actor, field="holder_region", within=within)
        if metric == "fund_disbursed_month":
            start, end = _year_bounds(key)
            qs = qs.filter(entry__booked_on__gte=start.date(), entry__booked_on__lt=end.date())
    return qs.order_by("entry__booked_on", "entry_id", "id")


def _finding_rows(*, actor, within: str, metric: str, key: str) -> QuerySet:
    from inspections.models import Finding

    qs = scope(Finding.objects.select_related("region"), actor=actor, field="region_id", within=within)
    qs = qs.filter(status="confirmed")
    if metric == "findings":
        qs = qs.filter(category=key)
    else:
        start, end = _year_bounds(key)
        qs = qs.filter(confirmed_at__gte=start, confirmed_at__lt=end)
    return qs.order_by("-confirmed_at", "id")


def _item_rows(*, actor, within: str, key: str) -> QuerySet:
    from inspections.models import RectificationItem

    qs = scope(
        RectificationItem.objects.select_related("region", "responsible_unit"),
        actor=actor,
        field="region_id",
        within=within,
    )
    qs = qs.filter(finding__status="confirmed")
    if key == "overdue":
        qs = qs.exclude(status="closed").filter(overdue_since__isnull=False)
    elif key == "closed":
        qs = qs.filter(status="closed")
    else:
        qs = qs.filter(status=key, overdue_since__isnull=True)
    return qs.order_by("deadline", "id")


def _case_rows(*, actor, within: str, metric: str, key: str) -> QuerySet:
    from accountability.models import AccountabilityCase

    qs = scope(
        AccountabilityCase.objects.select_related("region", "subject_officer", "subject_unit"),
        actor=actor,
        field="region_id",
        within=within,
    )
    if metric == "cases":
        qs = qs.filter(status=key)
    else:
        start, end = _year_bounds(key)
        qs = qs.filter(opened_on__gte=start.date(), opened_on__lt=end.date())
    return qs.order_by("-opened_on", "id")


def county_ranking(ov: Overview) -> list[tuple[Region, str, Decimal]]:
    """Children counties by their latest monthly score, best first (city or province level)."""
    rows = RegionFigure.objects.filter(
        metric="county_score", depth=6, region_code__startswith=ov.region.prefix
    ).values_list("region_code", "key", "value")
    latest: dict[str, tuple[str, Decimal]] = {}
    for code, month, value in rows:
        if code not in latest or month > latest[code][0]:
            latest[code] = (month, value)
    names = dict(Region.objects.filter(code__in=latest).values_list("code", "name"))
    ranked = sorted(latest.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return [(names.get(code, code), month, value) for code, (month, value) in ranked]
