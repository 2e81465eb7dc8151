"""Months and dates in Asia/Shanghai (the bulletin month, score months, ban ends)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the project's time zone (Asia/Shanghai), not the server's."""
    return timezone.localdate()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_end(month: dt.date) -> dt.date:
    """Last day of the month (inclusive)."""
    return next_month(month) - dt.timedelta(days=1)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def parse_month(value: str) -> dt.date:
    """'2017-05' or '2017-05-01' → 2017-05-01; ValueError otherwise."""
    value = value.strip()
    if len(value) == 7:
        value += "-01"
    return month_start(dt.date.fromisoformat(value))
