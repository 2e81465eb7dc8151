"""The bulletin's 三个显著提升 trend (issue 19.11): recognition and satisfaction for the twelve months
up to the bulletin's, each with its sample size and its change against the baseline month (the first
of those months with answers), as `inspections.survey_trend` defines them for the dashboard."""

from __future__ import annotations

import datetime as dt

from core.models import Region
from inspections.survey_trend import survey_trend, trend_as_json


def trend_section(region: Region, month: dt.date) -> dict:
    trend = survey_trend(prefix=region.prefix, end=month, months=12)
    return {"available": True, **trend_as_json(trend)}
