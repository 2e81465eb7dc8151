"""The year's targets against what the register counts (issue 18.5), and the 三个显著提升 trend (issue
19.11), for leaders: reads only, scoped to the reader. The definitions live with the data's owners
(`households.selectors.targets`, `inspections.survey_trend`), so the monthly bulletin counts the same.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from households.selectors import targets as exit_targets
from inspections import survey_trend

from .selectors import region_for

ROW_KINDS = ("households", "villages")


def _target_region(actor, code: str | None):
    region = region_for(actor=actor, region_code=code)
    if region.level not in ("city", "county"):
        raise Http404
    return region


def targets_for(*, actor, region_code: str | None, year: int) -> dict:
    """This year's progress and the year before (counted, and the results recorded for it)."""
    region = _target_region(actor, region_code)
    return {
        "region": region,
        "year": year,
        "current": exit_targets.progress(region=region, year=year),
        "previous": exit_targets.progress(region=region, year=year - 1),
    }


def target_rows(*, actor, region_code: str, kind: str, year: int):
    """The rows the achieved figure counts, in the reader's scope: households (their active members
    are the people counted) or villages."""
    if kind not in ROW_KINDS:
        raise Http404
    region = _target_region(actor, region_code)
    if kind == "villages":
        return region, exit_targets.exited_villages(prefix=region.prefix, year=year, actor=actor)
    rows = exit_targets.exited_households(prefix=region.prefix, year=year, actor=actor)
    return region, rows.select_related("village").order_by("village_id", "file_number")


def progress_json(progress) -> dict:
    return progress.as_dict()


def trend_for(*, actor, region_code: str | None, end: dt.date | None = None, baseline: dt.date | None = None,
              months: int = 12) -> dict:  # fmt: skip
    """Recognition and satisfaction month by month for the reader's region (their scope's surveys)."""
    region = region_for(actor=actor, region_code=region_code)
    end = end or timezone.localdate().replace(day=1)
    data = survey_trend.survey_trend(
        prefix=region.prefix, end=end, months=months, baseline=baseline, actor=actor
    )
    data["region"] = region
    return data


def trend_chart(trend: dict) -> dict:
    """What the chart draws (rates in %, sample sizes in households); the table shows the same."""

    def pct(rate):
        return None if rate.rate is None else round(rate.rate * 100, 1)

    base = trend["baseline"]
    return {
        "months": [f"{m['month']:%Y-%m}" for m in trend["months"]],
        "recognition": [pct(m["recognition"]) for m in trend["months"]],
        "satisfaction": [pct(m["satisfaction"]) for m in trend["months"]],
        "n": [m["n"] for m in trend["months"]],
        "baseline": f"{base.month:%Y-%m}" if base else None,
        "labels": {
            "recognition": _("Recognition rate"), "satisfaction": _("Satisfaction rate"),
            "n": _("Households surveyed"), "rate_axis": _("Rate (%)"), "n_axis": pgettext("axis unit", "households"),
            "baseline": _("baseline"),
        },
    }  # fmt: skip


def targets_chart(current) -> dict:
    """Achieved against target per county (households and people), for the progress chart."""
    rows = current.counties or [current]
    return {
        "names": [r.region.name for r in rows],
        "series": [
            {"name": _("Households exited"), "data": [r.achieved["households"] for r in rows], "axis": 0},
            {"name": _("Household target"), "data": [r.target_of("households") for r in rows], "axis": 0},
            {"name": _("People exited"), "data": [r.achieved["people"] for r in rows], "axis": 1},
            {"name": _("People target"), "data": [r.target_of("people") for r in rows], "axis": 1},
        ],
        "axes": [pgettext("axis unit", "households"), pgettext("axis unit", "people")],
    }
