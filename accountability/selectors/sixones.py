"""六个一 and the three targets, measured from the source rows (read-only).

The six lines of the 六个一 (问题一村一村查找 … 责任一级一级到人) each have a *base* queryset:
the rows a county must cover, each annotated `done` and `county` (6 digits). A line's figure for a
county is count(done) / count(rows) of its base — one aggregated SQL query per line for every
county at once, and the drill-down shows the same rows. The lines owned by inspections, assistance
and policies come from those apps' selectors; files re-verified (households) and disbursements
reviewed (funds) are read here because their apps' owners had work in flight. The three error rates
are `inspections.error_rates` (三个零差错, defined once).

This module sits in accountability (the right-most app that owns data) so the monthly bulletin
and the dashboard's board read the same definitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.selectors import measures_due_base
from core.models import Region, RegionLevel, Unit, UnitKind
from core.scoping import region_rows
from funds.models import DisbursementRequest, RequestStatus
from households.models import CheckStatus, Household, VerificationCheck
from inspections.error_rates import KINDS as ERROR_KINDS
from inspections.error_rates import ErrorRate, sum_rates
from inspections.error_rates import month_rates as month_error_rates
from inspections.targets import (
    ON_REGISTER,
    Rate,
    survey_rates,
    villages_inspected_base,
)
from policies.models import PolicyTask, TaskStatus

from ..models import Responsibility


def files_reverified_base(
    *, prefix: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet[Household]:
    """档卡一户一户校准: households on the register, `done` if a re-verification check of this year
    confirmed or corrected their file."""
    done_checks = VerificationCheck.objects.filter(household=OuterRef("pk"), checked_at__year=year).exclude(
        status=CheckStatus.PENDING
    )
    households = region_rows(Household.objects.all(), field="village_id", region=prefix, actor=actor)
    return (
        households.filter(status__in=ON_REGISTER)
        .annotate(done=Exists(done_checks), county=Substr("village_id", 1, 6))
        .order_by("village_id", "id")
    )


def disbursements_reviewed_base(
    *, prefix: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet:
    """资金一笔一笔审核: payment requests made this year, `done` once a second person decided them."""
    requests = region_rows(DisbursementRequest.objects.all(), field="region_id", region=prefix, actor=actor)
    return (
        requests.filter(created_at__year=year)
        .annotate(
            done=ExpressionWrapper(~Q(status=RequestStatus.PENDING), output_field=BooleanField()),
            county=Substr("region_id", 1, 6),
        )
        .order_by("created_at", "id")
    )


def policies_implemented_base(
    *, prefix: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet:
    """政策一条一条落地: policy tasks due this year, `done` when implemented (evidence attached)."""
    tasks = region_rows(PolicyTask.objects.all(), field="region_id", region=prefix, actor=actor)
    return (
        tasks.filter(deadline__year=year)
        .annotate(
            done=ExpressionWrapper(Q(status=TaskStatus.IMPLEMENTED), output_field=BooleanField()),
            county=Substr("region_id", 1, 6),
        )
        .order_by("deadline", "id")
    )


ANSWERING_KINDS = (UnitKind.PARTY_COMMITTEE, UnitKind.GOVERNMENT, UnitKind.DEPARTMENT, UnitKind.TOWNSHIP)


def responsibilities_assigned_base(
    *, prefix: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet:
    """责任一级一级到人: the county's and townships' committees, governments and departments, `done`
    when a responsibility in force today names a person of (or for) the unit."""
    today = today or timezone.localdate()
    current = Responsibility.objects.filter(officer__isnull=False, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    units = region_rows(Unit.objects.all(), field="region_id", region=prefix, actor=actor)
    return (
        units.filter(
            kind__in=ANSWERING_KINDS, is_active=True, region__level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP],
        )
        .annotate(
            done=Exists(current.filter(Q(unit=OuterRef("pk")) | Q(officer__unit=OuterRef("pk")))),
            county=Substr("region_id", 1, 6),
        )
        .order_by("region_id", "name")
    )  # fmt: skip


@dataclass(frozen=True)
class Line:
    code: str
    label: object  # lazy text
    measure: object  # what is counted, lazy text
    base: Callable[..., QuerySet]
    row_kind: str  # which columns the drill-down shows


LINES: list[Line] = [
    Line("villages", _("Problems found village by village"), _("villages with registered households visited this year"),
         villages_inspected_base, "village"),
    Line("files", _("Files calibrated household by household"), _("households on the register re-verified this year"),
         files_reverified_base, "household"),
    Line("measures", _("Assistance made solid measure by measure"), _("measures due this year done on time"),
         measures_due_base, "measure"),
    Line("funds", _("Funds reviewed payment by payment"), _("payment requests of this year reviewed by a second person"),
         disbursements_reviewed_base, "request"),
    Line("policies", _("Policies implemented item by item"), _("policy tasks due this year implemented"),
         policies_implemented_base, "policy_task"),
    Line("responsibilities", _("Responsibility assigned level by level to a person"),
         _("county and township units with a named responsible officer"), responsibilities_assigned_base, "unit"),
]  # fmt: skip
LINE_BY_CODE = {line.code: line for line in LINES}


def line_figures(line: Line, *, prefix: str, year: int, today: dt.date | None = None) -> dict[str, Rate]:
    """{county code (12 digits): Rate(done, rows)} — one aggregated query."""
    rows = (
        line.base(prefix=prefix, year=year, today=today)
        .order_by()
        .values("county")
        .annotate(n=Count("pk"), d=Count("pk", filter=Q(done=True)))
        .values_list("county", "d", "n")
    )
    return {county.ljust(12, "0"): Rate(d, n) for county, d, n in rows}


def line_rows(
    line: Line, *, county_code: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet:
    """The rows behind a county's figure; with `actor`, only those in the reader's scope."""
    return line.base(prefix=county_code[:6], year=year, today=today, actor=actor)


def counties_under(prefix: str) -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=prefix).order_by("code"))


def board(*, prefix: str, year: int, today: dt.date | None = None) -> dict:
    """The 六个一 board under `prefix`: per line, per county a Rate, and the total. 7 queries."""
    counties = counties_under(prefix)
    lines = []
    for line in LINES:
        figures = line_figures(line, prefix=prefix, year=year, today=today)
        per_county = [(c, figures.get(c.code, Rate(0, 0))) for c in counties]
        total = Rate(sum(r.part for _c, r in per_county), sum(r.whole for _c, r in per_county))
        lines.append({"line": line, "counties": per_county, "total": total})
    return {"year": year, "counties": counties, "lines": lines}


def board_within(board_data: dict, prefix: str) -> dict:
    """The board of a region inside the one computed: its counties, the totals summed again.

    Equal to `board(prefix=prefix, …)` with the same year and day (every line filters its rows and
    groups them by the same region field), so the monthly bulletin computes the province once.
    """
    counties = [c for c in board_data["counties"] if c.code.startswith(prefix)]
    lines = []
    for x in board_data["lines"]:
        per_county = [(c, r) for c, r in x["counties"] if c.code.startswith(prefix)]
        total = Rate(sum(r.part for _c, r in per_county), sum(r.whole for _c, r in per_county))
        lines.append({"line": x["line"], "counties": per_county, "total": total})
    return {"year": board_data["year"], "counties": counties, "lines": lines}


# --- the three targets: 三个零差错 and 三个显著提升, by county and month ---------------------------


TARGETS = [
    ("identification", _("identification error rate"), "lower"),
    ("exit", _("exit error rate"), "lower"),
    ("funds", _("fund error rate"), "lower"),
    ("recognition", _("recognition rate"), "higher"),
    ("satisfaction", _("satisfaction rate"), "higher"),
]


def _totals(rows: list[dict], targets) -> dict:
    return {
        key: sum_rates(r["rates"][key] for r in rows)
        if key in ERROR_KINDS
        else Rate(sum(r["rates"][key].part for r in rows), sum(r["rates"][key].whole for r in rows))
        for key, _label, _better in targets
    }


def three_targets(*, prefix: str, month: dt.date) -> dict:
    """Per county, the five measured figures of the three targets for the month: the error rates as
    `inspections.error_rates` defines them (三个零差错), the survey rates. 5 queries."""
    counties = counties_under(prefix)
    errors = month_error_rates(prefix=prefix, month=month)
    surveys = survey_rates(prefix=prefix, level="county", month=month)
    empty, no_error = Rate(0, 0), ErrorRate(0, 0, {})
    rows = []
    for c in counties:
        e, s = errors.get(c.code, {}), surveys.get(c.code, {})
        rates = {kind: e.get(kind, no_error) for kind in ERROR_KINDS}
        rates.update(recognition=s.get("recognition", empty), satisfaction=s.get("satisfaction", empty))
        rows.append({"county": c, "rates": rates})
    return {"month": month, "targets": TARGETS, "rows": rows, "totals": _totals(rows, TARGETS)}


def targets_within(targets_data: dict, prefix: str) -> dict:
    """The three targets of a region inside the one computed (as `board_within`)."""
    rows = [r for r in targets_data["rows"] if r["county"].code.startswith(prefix)]
    return {**targets_data, "rows": rows, "totals": _totals(rows, targets_data["targets"])}


def as_json(board_data: dict, targets_data: dict) -> dict:
    """Both as plain JSON for the bulletin's snapshot."""
    return {
        "sixones": {
            "year": board_data["year"],
            "counties": [{"code": c.code, "name": c.name} for c in board_data["counties"]],
            "lines": [
                {"code": x["line"].code, "label": str(x["line"].label), "measure": str(x["line"].measure),
                 "counties": [r.as_dict() for _c, r in x["counties"]], "total": x["total"].as_dict()}
                for x in board_data["lines"]
            ],
        },
        "targets": {
            "month": targets_data["month"].isoformat(),
            "targets": [{"code": k, "label": str(label), "better": b} for k, label, b in targets_data["targets"]],
            "rows": [
                {"code": r["county"].code, "county": r["county"].name,
                 "rates": {k: v.as_dict() for k, v in r["rates"].items()}}
                for r in targets_data["rows"]
            ],
            "totals": {k: v.as_dict() for k, v in targets_data["totals"].items()},
        },
    }  # fmt: skip
