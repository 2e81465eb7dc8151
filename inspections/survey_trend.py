"""三个显著提升 as a trend (issue 19.11): recognition and satisfaction month by month against a baseline.

The rates are the board's (`targets.surveys_counted`: filed covert visits' surveys in the region):
recognition = households recognising the result asked about / households surveyed; satisfaction =
households very satisfied or satisfied / households surveyed. Each month carries its sample size,
and its change against the baseline month in percentage points. One grouped query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from .models import SATISFIED_ANSWERS
from .targets import Rate, surveys_counted

MAX_MONTHS = 36


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthRates:
    month: dt.date
    recognition: Rate
    satisfaction: Rate

    @property
    def n(self) -> int:
        return self.recognition.whole


def _points(rate: Rate, base: Rate | None) -> float | None:
    """Change in percentage points against the baseline (None when either has no sample)."""
    if base is None or rate.rate is None or base.rate is None:
        return None
    return round((rate.rate - base.rate) * 100, 1)


def survey_trend(
    *, prefix: str, end: dt.date, months: int = 12, baseline: dt.date | None = None, actor=None
) -> dict:
    """Months from `end` back (`months` of them, or back to `baseline` when it is earlier; at most 36),
    each with both rates and their sample size. `baseline`: the month the others are compared with;
    by default the first month shown that has answers. `actor`: only surveys in the reader's scope."""
    end = end.replace(day=1)
    start = add_months(end, -(max(1, min(months, MAX_MONTHS)) - 1))
    if baseline is not None:
        baseline = baseline.replace(day=1)
        if baseline > end:
            baseline = None
        elif baseline < start:
            start = max(baseline, add_months(end, -(MAX_MONTHS - 1)))
    rows = (
        surveys_counted(prefix=prefix, actor=actor)
        .filter(answered_on__gte=start, answered_on__lt=add_months(end, 1))
        .annotate(m=TruncMonth("answered_on"))
        .order_by()
        .values("m")
        .annotate(
            n=Count("pk"),
            recognised=Count("pk", filter=Q(recognises=True)),
            satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED_ANSWERS)),
        )
    )
    found = {r["m"]: r for r in rows}
    series = []
    month = start
    while month <= end:
        r = found.get(month, {"n": 0, "recognised": 0, "satisfied": 0})
        series.append(MonthRates(month, Rate(r["recognised"], r["n"]), Rate(r["satisfied"], r["n"])))
        month = add_months(month, 1)
    base = next((m for m in series if m.month == baseline), None) if baseline else None
    if base is None:
        base = next((m for m in series if m.n), None)
    return {
        "start": start,
        "end": end,
        "baseline": base,
        "months": [
            {"month": m.month, "n": m.n, "recognition": m.recognition, "satisfaction": m.satisfaction,
             "recognition_points": _points(m.recognition, base.recognition if base else None),
             "satisfaction_points": _points(m.satisfaction, base.satisfaction if base else None)}
            for m in series
        ],
    }  # fmt: skip


def trend_as_json(trend: dict) -> dict:
    """The trend as plain JSON (the bulletin's snapshot, the API)."""
    base = trend["baseline"]
    return {
        "start": trend["start"].isoformat(),
        "end": trend["end"].isoformat(),
        "baseline": None if base is None else {
            "month": base.month.isoformat(), "n": base.n, "recognition": base.recognition.as_dict(),
            "satisfaction": base.satisfaction.as_dict(),
        },
        "months": [
            {"month": m["month"].isoformat(), "n": m["n"], "recognition": m["recognition"].as_dict(),
             "satisfaction": m["satisfaction"].as_dict(), "recognition_points": m["recognition_points"],
             "satisfaction_points": m["satisfaction_points"]}
            for m in trend["months"]
        ],
    }  # fmt: skip
